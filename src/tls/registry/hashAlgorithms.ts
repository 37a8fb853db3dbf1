/**
 * IANA "TLS HashAlgorithm" registry (Transport Layer Security (TLS) Parameters, tls-parameters-18; RFC 5246
 * §7.4.1.4.1, RFC 8422 §5.1.3): the high byte of a TLS 1.2 SignatureAndHashAlgorithm.
 */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const hashAlgorithms = new OpenEnum("TLS HashAlgorithm", 1, {
  none: { value: 0, rfc: "RFC 5246" },
  md5: { value: 1, rfc: "RFC 5246" },
  sha1: { value: 2, rfc: "RFC 5246" },
  sha224: { value: 3, rfc: "RFC 5246" },
  sha256: { value: 4, rfc: "RFC 5246" },
  sha384: { value: 5, rfc: "RFC 5246" },
  sha512: { value: 6, rfc: "RFC 5246" },
  Intrinsic: { value: 8, rfc: "RFC 8422" },
});
/** The named HashAlgorithm code points (`HashAlgorithm.sha256 === 4`). */
export const HashAlgorithm = hashAlgorithms.codes;
export type HashAlgorithm = CodePointOf<typeof hashAlgorithms>;
