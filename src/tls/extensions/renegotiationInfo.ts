/**
 * renegotiation_info, RFC 5746 §3.2: empty on an initial handshake; on a renegotiation it carries the previous
 * Finished verify_data, binding the two handshakes together.
 */
import { toHex } from "../reader";
import type { ExtensionSpec } from "./types";

export const renegotiationInfo: ExtensionSpec = {
  rfc: "RFC 5746 §3.2",
  decode(r) {
    const v = r.opaque("renegotiated_connection", 1, { display: (b) => (b.length ? toHex(b) : "(empty: initial handshake)") });
    r.setDisplay(() => (v.length ? "renegotiation" : "initial handshake"));
  },
};
