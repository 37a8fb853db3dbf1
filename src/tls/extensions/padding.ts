/** padding, RFC 7685 §3: zero bytes that grow a ClientHello past sizes some middleboxes mishandle. */
import type { ExtensionSpec } from "./types";
import { plural } from "../handshake/message";

export const padding: ExtensionSpec = {
  rfc: "RFC 7685 §3",
  decode(r, x) {
    const n = r.remaining();
    if (x.host === "client_hello") x.m.fields.paddingLength = n;
    if (n === 0) {
      r.setDisplay("(empty)");
      return;
    }
    const bytes = r.rest("zeros", {
      display: (b) => (b.every((v) => v === 0) ? plural(b.length, "zero byte") : `${plural(b.length, "byte")}, not all zero (RFC 7685 requires zeros)`),
    });
    r.setDisplay(() => plural(bytes.length, "byte"));
  },
  // Any body is read without an error (an unexpected one is shown as bytes).
  scan: () => true,
};
