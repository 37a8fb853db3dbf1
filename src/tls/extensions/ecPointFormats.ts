/** ec_point_formats, RFC 8422 §5.1.2 (only "uncompressed" remains in use). */
import { ecPointFormats as formats } from "../registry";
import type { ExtensionSpec } from "./types";
import { bounds, fixedList, skipFixedList } from "../shape";

/** RFC 8422 §5.1.2: ECPointFormat ec_point_format_list<1..2^8-1>. */
const EC_POINT_FORMAT_LIST = fixedList(1, 1, 1);

export const ecPointFormats: ExtensionSpec = {
  rfc: "RFC 8422 §5.1.2",
  decode(r) {
    const list = r.list(
      "ec_point_format_list",
      EC_POINT_FORMAT_LIST.width,
      () => r.u8("ec_point_format", { display: (v) => formats.display(v) }),
      bounds(EC_POINT_FORMAT_LIST),
    );
    r.setDisplay(() => list.map((v) => formats.name(v)).join(", "));
  },
  scan: (b, p, e) => skipFixedList(b, p, e, EC_POINT_FORMAT_LIST) === e,
};
