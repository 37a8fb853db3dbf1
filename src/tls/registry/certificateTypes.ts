/** IANA "TLS Certificate Types" registry (TLS Extensions; RFC 6091, RFC 7250 §7): cert_type and client/server_certificate_type values. */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const certificateTypes = new OpenEnum("TLS Certificate Types", 1, {
  X509: { value: 0, rfc: "RFC 6091" },
  OpenPGP: { value: 1, rfc: "RFC 6091" },
  RawPublicKey: { value: 2, rfc: "RFC 7250" },
  IEEE1609Dot2: { value: 3, name: "1609Dot2", rfc: "draft-tls-certieee1609" },
});
/** The named CertificateType code points (`CertificateType.RawPublicKey === 2`). */
export const CertificateType = certificateTypes.codes;
export type CertificateType = CodePointOf<typeof certificateTypes>;
