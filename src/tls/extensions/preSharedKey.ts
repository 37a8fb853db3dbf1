/**
 * pre_shared_key, RFC 8446 §4.2.11. ClientHello: OfferedPsks (identities, then binders — it must be the last
 * extension, because each binder is an HMAC over the ClientHello truncated just before the binders list,
 * §4.2.11.2). ServerHello: the selected identity's index.
 */
import { toHex } from "../reader";
import type { ExtensionSpec } from "./types";
import { plural, pushField } from "../handshake/message";

export const preSharedKey: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.11",
  note: "psk-0rtt",
  decode(r, x) {
    const d = x.m.details;
    if (x.host === "server_hello") {
      const i = r.u16("selected_identity", { rfc: "RFC 8446 §4.2.11" });
      d.selectedIdentity = i;
      x.m.fields.selectedIdentity = i;
      return;
    }
    if (x.host !== "client_hello") return false;
    d.pskIdentities = [];
    d.pskBinders = [];
    const ids = r.list(
      "identities",
      2,
      () =>
        r.group("PskIdentity", () => {
          const id = r.opaque("identity", 2, { min: 1, display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}` });
          d.pskIdentities!.push(id);
          pushField(x.m.fields, "pskIdentityLengths", id.length);
          // §4.2.11.1: the ticket's age in ms plus ticket_age_add, mod 2^32, hiding the real age from observers.
          r.u32("obfuscated_ticket_age", { display: (v) => `${v} (age + ticket_age_add mod 2^32)` });
          return id;
        }),
      { min: 7 },
    );
    // The truncated ClientHello that the binders authenticate ends right before this length field.
    d.pskBindersOffset = r.pos;
    const binders = r.list(
      "binders",
      2,
      () => {
        const b = r.opaque("PskBinderEntry", 1, { min: 32, display: (v) => `HMAC ${toHex(v)}` });
        d.pskBinders!.push(b);
        return b;
      },
      { min: 33, rfc: "RFC 8446 §4.2.11.2" },
    );
    r.setDisplay(() => `${ids.length === 1 ? "1 identity" : `${ids.length} identities`}, ${plural(binders.length, "binder")}`);
  },
};
