/** IANA "TLS EC Point Formats" registry (Transport Layer Security (TLS) Parameters, tls-parameters-9; RFC 8422 §5.1.2). */
import { OpenEnum } from "./openEnum";

export const ecPointFormats = new OpenEnum("TLS EC Point Formats", 1, {
  0: { name: "uncompressed", rfc: "RFC 8422" },
  1: { name: "ansiX962_compressed_prime", rfc: "RFC 8422" },
  2: { name: "ansiX962_compressed_char2", rfc: "RFC 8422" },
});
