/** IANA "TLS Certificate Status Types" registry (TLS Extensions; RFC 6066 §8, RFC 6961 §2.2). */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const certificateStatusTypes = new OpenEnum("TLS Certificate Status Types", 1, {
  ocsp: { value: 1, rfc: "RFC 6066" },
  ocsp_multi: { value: 2, rfc: "RFC 6961" },
});
/** The named CertificateStatusType code points (`CertificateStatusType.ocsp === 1`). */
export const CertificateStatusType = certificateStatusTypes.codes;
export type CertificateStatusType = CodePointOf<typeof certificateStatusTypes>;
