/** IANA "TLS Compression Method Identifiers" registry (Transport Layer Security (TLS) Parameters, tls-parameters-3; RFC 5246 §6.1, RFC 3749, RFC 3943). */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const compressionMethods = new OpenEnum("TLS Compression Method Identifiers", 1, {
  null: { value: 0, rfc: "RFC 5246" },
  DEFLATE: { value: 1, rfc: "RFC 3749" },
  LZS: { value: 64, rfc: "RFC 3943" },
});
/** The named CompressionMethod code points (`CompressionMethod.null === 0`). */
export const CompressionMethod = compressionMethods.codes;
export type CompressionMethod = CodePointOf<typeof compressionMethods>;
