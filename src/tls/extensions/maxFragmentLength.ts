/** max_fragment_length, RFC 6066 §4: enum { 2^9(1), 2^10(2), 2^11(3), 2^12(4) }. */
import type { ExtensionSpec } from "./types";

export const maxFragmentLength: ExtensionSpec = {
  rfc: "RFC 6066 §4",
  decode(r) {
    r.u8("max_fragment_length", {
      display: (v) => (v >= 1 && v <= 4 ? `2^${8 + v} = ${2 ** (8 + v)} bytes (${v})` : `unknown (${v})`),
    });
  },
};
