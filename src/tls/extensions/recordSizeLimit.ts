/** record_size_limit, RFC 8449 §4: the largest protected record plaintext the sender accepts. */
import type { ExtensionSpec } from "./types";

export const recordSizeLimit: ExtensionSpec = {
  rfc: "RFC 8449 §4",
  decode(r) {
    const v = r.u16("record_size_limit", { display: (v) => `${v} bytes${v < 64 ? " (below the minimum 64)" : ""}` });
    r.setDisplay(() => `${v} bytes`);
  },
  // One uint16, nothing after it.
  scan: (_b, p, e) => e - p === 2,
};
