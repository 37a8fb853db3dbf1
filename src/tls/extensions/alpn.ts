/**
 * application_layer_protocol_negotiation, RFC 7301 §3.1: the client's ordered list; the server's answer is the
 * same structure holding exactly one name.
 */
import type { Reader } from "../reader";
import type { ExtensionSpec } from "./types";
import { latin1, quoted } from "../handshake/message";
import { isGrease16 } from "../registry";
import { bounds, opaqueList, skipOpaqueList, vector } from "../shape";

/** RFC 8701 §2: the ALPN identifiers {0x0A,0x0A} … {0xFA,0xFA} are GREASE. */
const protocolDisplay = (b: Uint8Array) =>
  b.length === 2 && isGrease16((b[0] << 8) | b[1]) ? `GREASE (0x${b[0].toString(16)}${b[1].toString(16)})` : quoted(latin1(b));

/** RFC 7301 §3.1: ProtocolName protocol_name_list<2..2^16-1>, each opaque ProtocolName<1..2^8-1>. */
export const PROTOCOL_NAME_LIST = opaqueList(2, vector(1, 1), 2);

export function readProtocolNameList(r: Reader, name = "protocol_name_list"): string[] {
  const item = PROTOCOL_NAME_LIST.element;
  const list = r.list(
    name,
    PROTOCOL_NAME_LIST.width,
    () => latin1(r.opaque("protocol_name", item.width, { ...bounds(item), display: protocolDisplay })),
    bounds(PROTOCOL_NAME_LIST),
  );
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
  // Records the first protocol of the first list, as decode's details.alpn[0].
  scan(b, p, e, _host, out) {
    if (skipOpaqueList(b, p, e, PROTOCOL_NAME_LIST) !== e) return false;
    if (out.alpn === null) out.alpn = latin1(b.subarray(p + 3, p + 3 + b[p + 2]));
    return true;
  },
};
