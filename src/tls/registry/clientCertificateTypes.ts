/**
 * IANA "TLS ClientCertificateType Identifiers" registry (Transport Layer Security (TLS) Parameters, tls-parameters-2;
 * RFC 5246 §7.4.4, RFC 8422 §5.5, RFC 9189): the certificate_types of a TLS 1.2 CertificateRequest. Values IANA
 * marks `_RESERVED` keep their original names.
 */
import { OpenEnum } from "./openEnum";

export const clientCertificateTypes = new OpenEnum("TLS ClientCertificateType Identifiers", 1, {
  1: { name: "rsa_sign", rfc: "RFC 5246" },
  2: { name: "dss_sign", rfc: "RFC 5246" },
  3: { name: "rsa_fixed_dh", rfc: "RFC 5246" },
  4: { name: "dss_fixed_dh", rfc: "RFC 5246" },
  5: { name: "rsa_ephemeral_dh", rfc: "RFC 5246" },
  6: { name: "dss_ephemeral_dh", rfc: "RFC 5246" },
  20: { name: "fortezza_dms", rfc: "RFC 5246" },
  64: { name: "ecdsa_sign", rfc: "RFC 8422" },
  65: { name: "rsa_fixed_ecdh", rfc: "RFC 8422" },
  66: { name: "ecdsa_fixed_ecdh", rfc: "RFC 8422" },
  67: { name: "gost_sign256", rfc: "RFC 9189" },
  68: { name: "gost_sign512", rfc: "RFC 9189" },
});
