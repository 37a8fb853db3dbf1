/** KeyUpdateRequest (RFC 8446 §4.6.3; fixed by the RFC, no IANA registry). */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const keyUpdateRequests = new OpenEnum("TLS KeyUpdateRequest", 1, {
  update_not_requested: { value: 0, rfc: "RFC 8446" },
  update_requested: { value: 1, rfc: "RFC 8446" },
});
/** The named KeyUpdateRequest code points (`KeyUpdateRequest.update_requested === 1`). */
export const KeyUpdateRequest = keyUpdateRequests.codes;
export type KeyUpdateRequest = CodePointOf<typeof keyUpdateRequests>;
