/** server_name (SNI), RFC 6066 §3: the host name the client wants to reach. */
import { NameType, nameTypes } from "../registry";
import type { ExtensionScanOut, ExtensionSpec } from "./types";
import { latin1, quoted } from "../handshake/message";
import { readEmptyBody } from "./opaqueBody";
import { bounds, skipVector, u16, vector } from "../shape";

/** RFC 6066 §3: ServerName server_name_list<1..2^16-1>, each { NameType name_type; opaque HostName<1..2^16-1>; }. */
const SERVER_NAME_LIST = vector(2, 1);
const HOST_NAME = vector(2, 1);

/** The server_name_list [p, e), recording the name decode reports (the first host_name, else the first entry). */
function scanServerNameList(b: Uint8Array, p: number, e: number, out: ExtensionScanOut): boolean {
  const q = skipVector(b, p, e, SERVER_NAME_LIST);
  if (q !== e) return false;
  let first = -1;
  let host = -1;
  for (let i = p + SERVER_NAME_LIST.width; i < q;) {
    if (q - i < 1) return false;
    const at = i + 1;
    i = skipVector(b, at, q, HOST_NAME);
    if (i < 0) return false;
    if (first < 0) first = at;
    if (host < 0 && b[at - 1] === NameType.host_name) host = at;
  }
  const at = host >= 0 ? host : first;
  if (at >= 0 && out.sni === null) out.sni = latin1(b.subarray(at + 2, at + 2 + u16(b, at)));
  return true;
}

export const serverName: ExtensionSpec = {
  rfc: "RFC 6066 §3",
  note: "sni-alpn",
  decode(r, x) {
    if (x.host !== "client_hello") {
      // RFC 6066 §3: the server's extension_data is empty; it only confirms it used the name.
      readEmptyBody(r, "the server used the name");
      return;
    }
    const names = r.list(
      "server_name_list",
      SERVER_NAME_LIST.width,
      () =>
        r.group(
          "server_name",
          () => {
            const type = r.u8("name_type", { display: (v) => nameTypes.display(v) });
            // Every defined NameType (only host_name) is an opaque<1..2^16-1>; unknown ones are read the same way.
            const name = latin1(
              r.opaque(type === NameType.host_name ? "host_name" : "name", HOST_NAME.width, { ...bounds(HOST_NAME), display: (b) => quoted(latin1(b)) }),
            );
            return { type, name };
          },
          { display: (v) => quoted(v.name) },
        ),
      bounds(SERVER_NAME_LIST),
    );
    const host = names.find((n) => n.type === NameType.host_name) ?? names[0];
    if (host) {
      x.m.details.sni ??= host.name;
      if (x.m.fields.sni === null || x.m.fields.sni === undefined) x.m.fields.sni = host.name;
    }
    r.setDisplay(() => names.map((n) => quoted(n.name)).join(", "));
  },
  // A list in the ClientHello; empty elsewhere, or shown as stray bytes.
  scan: (b, p, e, host, out) => host !== "client_hello" || scanServerNameList(b, p, e, out),
};
