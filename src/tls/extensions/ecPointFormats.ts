/** ec_point_formats, RFC 8422 §5.1.2 (only "uncompressed" remains in use). */
import { ecPointFormats as formats } from "../registry";
import type { ExtensionSpec } from "./types";

export const ecPointFormats: ExtensionSpec = {
  rfc: "RFC 8422 §5.1.2",
  decode(r) {
    const list = r.list("ec_point_format_list", 1, () => r.u8("ec_point_format", { display: (v) => formats.display(v) }), { min: 1 });
    r.setDisplay(() => list.map((v) => formats.name(v)).join(", "));
  },
};
