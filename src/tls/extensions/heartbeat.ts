/** heartbeat, RFC 6520 §2: whether the peer may send HeartbeatRequests. */
import { heartbeatModes } from "../registry";
import type { ExtensionSpec } from "./types";

export const heartbeat: ExtensionSpec = {
  rfc: "RFC 6520 §2",
  decode(r) {
    const mode = r.u8("mode", { display: (v) => heartbeatModes.display(v) });
    r.setDisplay(() => heartbeatModes.name(mode));
  },
};
