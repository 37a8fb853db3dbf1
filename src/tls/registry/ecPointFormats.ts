/** IANA "TLS EC Point Formats" registry (Transport Layer Security (TLS) Parameters, tls-parameters-9; RFC 8422 §5.1.2). */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const ecPointFormats = new OpenEnum("TLS EC Point Formats", 1, {
  uncompressed: { value: 0, rfc: "RFC 8422" },
  ansiX962_compressed_prime: { value: 1, rfc: "RFC 8422" },
  ansiX962_compressed_char2: { value: 2, rfc: "RFC 8422" },
});
/** The named ECPointFormat code points (`ECPointFormat.uncompressed === 0`). */
export const ECPointFormat = ecPointFormats.codes;
export type ECPointFormat = CodePointOf<typeof ecPointFormats>;
