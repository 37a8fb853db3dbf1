/**
 * IANA "TLS SignatureAlgorithm" registry (Transport Layer Security (TLS) Parameters, tls-parameters-16; RFC 5246
 * §7.4.1.4.1, RFC 8422 §5.1.3, RFC 9189): the low byte of a TLS 1.2 SignatureAndHashAlgorithm.
 */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const signatureAlgorithms = new OpenEnum("TLS SignatureAlgorithm", 1, {
  anonymous: { value: 0, rfc: "RFC 5246" },
  rsa: { value: 1, rfc: "RFC 5246" },
  dsa: { value: 2, rfc: "RFC 5246" },
  ecdsa: { value: 3, rfc: "RFC 5246" },
  ed25519: { value: 7, rfc: "RFC 8422" },
  ed448: { value: 8, rfc: "RFC 8422" },
  gostr34102012_256: { value: 64, rfc: "RFC 9189" },
  gostr34102012_512: { value: 65, rfc: "RFC 9189" },
});
/** The named SignatureAlgorithm code points (`SignatureAlgorithm.ecdsa === 3`). */
export const SignatureAlgorithm = signatureAlgorithms.codes;
export type SignatureAlgorithm = CodePointOf<typeof signatureAlgorithms>;
