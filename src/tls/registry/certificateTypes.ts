/** IANA "TLS Certificate Types" registry (TLS Extensions; RFC 6091, RFC 7250 §7): cert_type and client/server_certificate_type values. */
import { OpenEnum } from "./openEnum";

export const certificateTypes = new OpenEnum("TLS Certificate Types", 1, {
  0: { name: "X509", rfc: "RFC 6091" },
  1: { name: "OpenPGP", rfc: "RFC 6091" },
  2: { name: "RawPublicKey", rfc: "RFC 7250" },
  3: { name: "1609Dot2", rfc: "draft-tls-certieee1609" },
});
