/** KeyUpdateRequest (RFC 8446 §4.6.3; fixed by the RFC, no IANA registry). */
import { OpenEnum } from "./openEnum";

export const keyUpdateRequests = new OpenEnum("TLS KeyUpdateRequest", 1, {
  0: { name: "update_not_requested", rfc: "RFC 8446" },
  1: { name: "update_requested", rfc: "RFC 8446" },
});
