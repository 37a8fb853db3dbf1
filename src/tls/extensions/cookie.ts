/** cookie, RFC 8446 §4.2.2: state a HelloRetryRequest hands the client to echo in its second ClientHello. */
import { toHex } from "../reader";
import type { ExtensionSpec } from "./types";
import { plural } from "../handshake/message";

export const cookie: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.2",
  note: "hello-retry-request",
  decode(r) {
    const c = r.opaque("cookie", 2, { min: 1, display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}` });
    r.setDisplay(() => plural(c.length, "byte"));
  },
};
