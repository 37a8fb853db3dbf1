/** connection_id, RFC 9146 §3: the CID the sender wants the peer to put in DTLS records it sends. */
import { toHex } from "../reader";
import type { ExtensionSpec } from "./types";

export const connectionId: ExtensionSpec = {
  rfc: "RFC 9146 §3",
  decode(r) {
    r.opaque("cid", 1, { display: (b) => (b.length ? toHex(b) : "(empty: supports CIDs, wants none)") });
  },
};
