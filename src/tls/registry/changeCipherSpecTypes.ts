/** ChangeCipherSpec's one field (RFC 5246 §7.1: `enum { change_cipher_spec(1), (255) } type`; no IANA registry). */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const changeCipherSpecTypes = new OpenEnum("TLS ChangeCipherSpec type", 1, {
  change_cipher_spec: { value: 1, rfc: "RFC 5246" },
});
/** The named ChangeCipherSpec type (`ChangeCipherSpecType.change_cipher_spec === 1`). */
export const ChangeCipherSpecType = changeCipherSpecTypes.codes;
export type ChangeCipherSpecType = CodePointOf<typeof changeCipherSpecTypes>;
