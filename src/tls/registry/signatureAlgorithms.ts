/**
 * IANA "TLS SignatureAlgorithm" registry (Transport Layer Security (TLS) Parameters, tls-parameters-16; RFC 5246
 * §7.4.1.4.1, RFC 8422 §5.1.3, RFC 9189): the low byte of a TLS 1.2 SignatureAndHashAlgorithm.
 */
import { OpenEnum } from "./openEnum";

export const signatureAlgorithms = new OpenEnum("TLS SignatureAlgorithm", 1, {
  0: { name: "anonymous", rfc: "RFC 5246" },
  1: { name: "rsa", rfc: "RFC 5246" },
  2: { name: "dsa", rfc: "RFC 5246" },
  3: { name: "ecdsa", rfc: "RFC 5246" },
  7: { name: "ed25519", rfc: "RFC 8422" },
  8: { name: "ed448", rfc: "RFC 8422" },
  64: { name: "gostr34102012_256", rfc: "RFC 9189" },
  65: { name: "gostr34102012_512", rfc: "RFC 9189" },
});
