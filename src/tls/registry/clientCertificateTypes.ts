/**
 * IANA "TLS ClientCertificateType Identifiers" registry (Transport Layer Security (TLS) Parameters, tls-parameters-2;
 * RFC 5246 §7.4.4, RFC 8422 §5.5, RFC 9189): the certificate_types of a TLS 1.2 CertificateRequest. Values IANA
 * marks `_RESERVED` keep their original names.
 */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const clientCertificateTypes = new OpenEnum("TLS ClientCertificateType Identifiers", 1, {
  rsa_sign: { value: 1, rfc: "RFC 5246" },
  dss_sign: { value: 2, rfc: "RFC 5246" },
  rsa_fixed_dh: { value: 3, rfc: "RFC 5246" },
  dss_fixed_dh: { value: 4, rfc: "RFC 5246" },
  rsa_ephemeral_dh: { value: 5, rfc: "RFC 5246" },
  dss_ephemeral_dh: { value: 6, rfc: "RFC 5246" },
  fortezza_dms: { value: 20, rfc: "RFC 5246" },
  ecdsa_sign: { value: 64, rfc: "RFC 8422" },
  rsa_fixed_ecdh: { value: 65, rfc: "RFC 8422" },
  ecdsa_fixed_ecdh: { value: 66, rfc: "RFC 8422" },
  gost_sign256: { value: 67, rfc: "RFC 9189" },
  gost_sign512: { value: 68, rfc: "RFC 9189" },
});
/** The named ClientCertificateType code points (`ClientCertificateType.ecdsa_sign === 64`). */
export const ClientCertificateType = clientCertificateTypes.codes;
export type ClientCertificateType = CodePointOf<typeof clientCertificateTypes>;
