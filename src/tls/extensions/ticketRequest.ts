/** ticket_request, RFC 9149 §3: how many tickets the client wants; the server's expected_count in EncryptedExtensions. */
import type { ExtensionSpec } from "./types";

export const ticketRequest: ExtensionSpec = {
  rfc: "RFC 9149 §3",
  decode(r, x) {
    if (x.host === "client_hello") {
      r.u8("new_session_count");
      r.u8("resumption_count");
      return;
    }
    if (x.host === "encrypted_extensions") {
      r.u8("expected_count");
      return;
    }
    return false;
  },
};
