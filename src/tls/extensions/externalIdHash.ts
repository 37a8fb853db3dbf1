/** external_id_hash, RFC 8844 §3: hash of the WebRTC identity assertion (empty from the server). */
import { toHex } from "../reader";
import type { ExtensionSpec } from "./types";
import { readEmptyBody } from "./opaqueBody";

export const externalIdHash: ExtensionSpec = {
  rfc: "RFC 8844 §3",
  decode(r) {
    if (r.remaining() === 0) {
      readEmptyBody(r, "acknowledged");
      return;
    }
    r.opaque("external_id_hash", 1, { max: 32, display: (b) => (b.length ? toHex(b) : "(empty)") });
  },
};
