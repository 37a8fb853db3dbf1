/**
 * early_data, RFC 8446 §4.2.10: empty in ClientHello (0-RTT data follows) and EncryptedExtensions (accepted);
 * in NewSessionTicket it carries max_early_data_size. ticket_early_data_info (draft-ietf-tls-tls13-18, type 46)
 * had the same NewSessionTicket body.
 */
import type { ExtensionSpec } from "./types";
import { readEmptyBody } from "./opaqueBody";

export const earlyData: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.10",
  note: "psk-0rtt",
  decode(r, x) {
    if (x.host === "new_session_ticket") {
      const v = r.u32("max_early_data_size", { display: (v) => `${v} bytes` });
      r.setDisplay(() => `up to ${v} bytes of 0-RTT data`);
      return;
    }
    readEmptyBody(r, x.host === "client_hello" ? "0-RTT data follows" : "0-RTT data accepted");
  },
};
