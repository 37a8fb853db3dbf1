/** Server Name Indication NameType (RFC 6066 §3; IANA has no registry of its own for it, RFC 6066 fixes host_name). */
import { OpenEnum } from "./openEnum";

export const nameTypes = new OpenEnum("TLS Server Name NameType", 1, {
  0: { name: "host_name", rfc: "RFC 6066" },
});
