/**
 * renegotiation_info, RFC 5746 §3.2: empty on an initial handshake; on a renegotiation it carries the previous
 * Finished verify_data, binding the two handshakes together.
 */
import { toHex } from "../reader";
import type { ExtensionSpec } from "./types";
import { skipVector, vector } from "../shape";

/** RFC 5746 §3.2: opaque renegotiated_connection<0..255>. */
const RENEGOTIATED_CONNECTION = vector(1);

export const renegotiationInfo: ExtensionSpec = {
  rfc: "RFC 5746 §3.2",
  decode(r) {
    const v = r.opaque("renegotiated_connection", RENEGOTIATED_CONNECTION.width, { display: (b) => (b.length ? toHex(b) : "(empty: initial handshake)") });
    r.setDisplay(() => (v.length ? "renegotiation" : "initial handshake"));
  },
  scan: (b, p, e) => skipVector(b, p, e, RENEGOTIATED_CONNECTION) === e,
};
