/**
 * session_ticket (SessionTicket TLS), RFC 5077 §3.2: the client's ticket (empty to ask for one); empty from the
 * server, which then sends NewSessionTicket.
 */
import type { ExtensionSpec } from "./types";
import { plural } from "../handshake/message";
import { toHex } from "../reader";
import { readEmptyBody } from "./opaqueBody";

export const sessionTicket: ExtensionSpec = {
  rfc: "RFC 5077 §3.2",
  note: "new-session-ticket",
  decode(r, x) {
    if (x.host === "client_hello") {
      x.m.fields.sessionTicketLength = r.remaining();
      if (r.remaining() === 0) {
        r.setDisplay("(empty: the client asks for a ticket)");
        return;
      }
      const t = r.rest("ticket", { display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}` });
      r.setDisplay(() => `resumption ticket, ${plural(t.length, "byte")}`);
      return;
    }
    readEmptyBody(r, "the server will send a NewSessionTicket");
  },
  // Any body is read without an error (an unexpected one is shown as bytes).
  scan: () => true,
};
