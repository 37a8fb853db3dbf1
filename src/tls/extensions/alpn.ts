/**
 * application_layer_protocol_negotiation, RFC 7301 §3.1: the client's ordered list; the server's answer is the
 * same structure holding exactly one name.
 */
import type { Reader } from "../reader";
import type { ExtensionSpec } from "./types";
import { latin1, quoted } from "../handshake/message";

export function readProtocolNameList(r: Reader, name = "protocol_name_list"): string[] {
  const list = r.list(name, 2, () => latin1(r.opaque("protocol_name", 1, { min: 1, display: (b) => quoted(latin1(b)) })), { min: 2 });
  r.setDisplay(() => list.map(quoted).join(", "));
  return list;
}

export const alpn: ExtensionSpec = {
  rfc: "RFC 7301 §3.1",
  note: "sni-alpn",
  decode(r, x) {
    const list = readProtocolNameList(r);
    x.m.details.alpn = [...(x.m.details.alpn ?? []), ...list];
    const f = x.m.fields;
    if (x.host === "client_hello") {
      if (!Array.isArray(f.alpn)) f.alpn = [];
      (f.alpn as string[]).push(...list);
    } else if (list.length && (f.alpn === null || f.alpn === undefined)) {
      // The server selects one protocol (RFC 7301 §3.1).
      f.alpn = list[0];
    }
  },
};
