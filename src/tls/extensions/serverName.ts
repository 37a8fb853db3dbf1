/** server_name (SNI), RFC 6066 §3: the host name the client wants to reach. */
import { NameType, nameTypes } from "../registry";
import type { ExtensionSpec } from "./types";
import { latin1, quoted } from "../handshake/message";
import { readEmptyBody } from "./opaqueBody";

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
      2,
      () =>
        r.group(
          "server_name",
          () => {
            const type = r.u8("name_type", { display: (v) => nameTypes.display(v) });
            // Every defined NameType (only host_name) is an opaque<1..2^16-1>; unknown ones are read the same way.
            const name = latin1(r.opaque(type === NameType.host_name ? "host_name" : "name", 2, { min: 1, display: (b) => quoted(latin1(b)) }));
            return { type, name };
          },
          { display: (v) => quoted(v.name) },
        ),
      { min: 1 },
    );
    const host = names.find((n) => n.type === NameType.host_name) ?? names[0];
    if (host) {
      x.m.details.sni ??= host.name;
      if (x.m.fields.sni === null || x.m.fields.sni === undefined) x.m.fields.sni = host.name;
    }
    r.setDisplay(() => names.map((n) => quoted(n.name)).join(", "));
  },
};
