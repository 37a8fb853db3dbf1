/**
 * key_share, RFC 8446 §4.2.8: the client's (EC)DHE shares, the server's one share, or — in a HelloRetryRequest —
 * only the group the server wants a share for.
 */
import { namedGroups } from "../registry";
import { toHex, type Reader } from "../reader";
import type { KeyShareEntry } from "../handshake/types";
import type { ExtensionSpec } from "./types";
import { plural, pushField } from "../handshake/message";

function readEntry(r: Reader): KeyShareEntry {
  return r.group(
    "KeyShareEntry",
    () => {
      const group = r.u16("group", { display: (v) => namedGroups.display(v) });
      const keyExchange = r.opaque("key_exchange", 2, { min: 1, display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}` });
      return { group, keyExchange };
    },
    { display: (e) => namedGroups.name(e.group) },
  );
}

export const keyShare: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.8",
  note: "tls13-key-schedule",
  decode(r, x) {
    const d = x.m.details;
    const f = x.m.fields;
    if (x.host === "client_hello") {
      d.keyShares ??= [];
      if (!Array.isArray(f.keyShareGroups)) f.keyShareGroups = [];
      const list = r.list("client_shares", 2, () => {
        const e = readEntry(r);
        d.keyShares!.push(e);
        pushField(f, "keyShareGroups", e.group);
        return e;
      });
      r.setDisplay(() => list.map((e) => namedGroups.name(e.group)).join(", ") || "(empty: asks the server to pick)");
      return;
    }
    if (x.host === "server_hello") {
      const e = r.group("server_share", () => readEntry(r));
      d.keyShares = [e];
      if (f.keyShareGroup === null || f.keyShareGroup === undefined) f.keyShareGroup = e.group;
      r.setDisplay(() => namedGroups.name(e.group));
      return;
    }
    if (x.host === "hello_retry_request") {
      const g = r.u16("selected_group", { display: (v) => namedGroups.display(v), rfc: "RFC 8446 §4.2.8" });
      d.selectedGroup = g;
      if (f.keyShareGroup === null || f.keyShareGroup === undefined) f.keyShareGroup = g;
      r.setDisplay(() => `send a ${namedGroups.name(g)} share`);
      return;
    }
    return false;
  },
};
