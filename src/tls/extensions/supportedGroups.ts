/** supported_groups (RFC 8446 §4.2.7, RFC 8422 §5.1.1; "elliptic_curves" before RFC 7919). */
import { namedGroups } from "../registry";
import type { ExtensionSpec } from "./types";
import { pushField } from "../handshake/message";
import { bounds, fixedList, skipFixedList } from "../shape";

/** RFC 8446 §4.2.7: NamedGroup named_group_list<2..2^16-1>. */
const NAMED_GROUP_LIST = fixedList(2, 2, 2);

export const supportedGroups: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.7",
  note: "key-exchange-rsa-vs-dhe",
  decode(r, x) {
    const groups = r.list(
      "named_group_list",
      NAMED_GROUP_LIST.width,
      () => r.u16("named_group", { display: (v) => namedGroups.display(v) }),
      bounds(NAMED_GROUP_LIST),
    );
    if (x.host === "client_hello") {
      const f = x.m.fields;
      if (!Array.isArray(f.supportedGroups)) f.supportedGroups = [];
      for (const g of groups) pushField(f, "supportedGroups", g);
    }
    r.setDisplay(() => groups.map((g) => namedGroups.name(g)).join(", "));
  },
  scan: (b, p, e) => skipFixedList(b, p, e, NAMED_GROUP_LIST) === e,
};
