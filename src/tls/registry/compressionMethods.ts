/** IANA "TLS Compression Method Identifiers" registry (Transport Layer Security (TLS) Parameters, tls-parameters-3; RFC 5246 §6.1, RFC 3749, RFC 3943). */
import { OpenEnum } from "./openEnum";

export const compressionMethods = new OpenEnum("TLS Compression Method Identifiers", 1, {
  0: { name: "null", rfc: "RFC 5246" },
  1: { name: "DEFLATE", rfc: "RFC 3749" },
  64: { name: "LZS", rfc: "RFC 3943" },
});
