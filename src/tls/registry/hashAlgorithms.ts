/**
 * IANA "TLS HashAlgorithm" registry (Transport Layer Security (TLS) Parameters, tls-parameters-18; RFC 5246
 * §7.4.1.4.1, RFC 8422 §5.1.3): the high byte of a TLS 1.2 SignatureAndHashAlgorithm.
 */
import { OpenEnum } from "./openEnum";

export const hashAlgorithms = new OpenEnum("TLS HashAlgorithm", 1, {
  0: { name: "none", rfc: "RFC 5246" },
  1: { name: "md5", rfc: "RFC 5246" },
  2: { name: "sha1", rfc: "RFC 5246" },
  3: { name: "sha224", rfc: "RFC 5246" },
  4: { name: "sha256", rfc: "RFC 5246" },
  5: { name: "sha384", rfc: "RFC 5246" },
  6: { name: "sha512", rfc: "RFC 5246" },
  8: { name: "Intrinsic", rfc: "RFC 8422" },
});
