/** KeyUpdate, RFC 8446 §4.6.3: the sender switches to its next traffic secret; request_update asks the peer to as well. */
import { keyUpdateRequests } from "../registry";
import type { Reader } from "../reader";
import type { MessageState } from "./message";

export function decodeKeyUpdate(r: Reader, m: MessageState): void {
  const v = r.u8("request_update", { display: (v) => keyUpdateRequests.display(v), rfc: "RFC 8446 §4.6.3", note: "key-update" });
  m.details.requestUpdate = v;
  m.fields.requestUpdate = v;
}
