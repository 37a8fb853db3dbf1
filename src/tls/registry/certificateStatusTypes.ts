/** IANA "TLS Certificate Status Types" registry (TLS Extensions; RFC 6066 §8, RFC 6961 §2.2). */
import { OpenEnum } from "./openEnum";

export const certificateStatusTypes = new OpenEnum("TLS Certificate Status Types", 1, {
  1: { name: "ocsp", rfc: "RFC 6066" },
  2: { name: "ocsp_multi", rfc: "RFC 6961" },
});
