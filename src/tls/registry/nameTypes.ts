/** Server Name Indication NameType (RFC 6066 §3; IANA has no registry of its own for it, RFC 6066 fixes host_name). */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const nameTypes = new OpenEnum("TLS Server Name NameType", 1, {
  host_name: { value: 0, rfc: "RFC 6066" },
});
/** The named NameType code points (`NameType.host_name === 0`). */
export const NameType = nameTypes.codes;
export type NameType = CodePointOf<typeof nameTypes>;
