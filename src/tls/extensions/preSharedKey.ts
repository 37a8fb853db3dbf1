/**
 * pre_shared_key, RFC 8446 §4.2.11. ClientHello: OfferedPsks (identities, then binders — it must be the last
 * extension, because each binder is an HMAC over the ClientHello truncated just before the binders list,
 * §4.2.11.2). ServerHello: the selected identity's index.
 */
import { toHex } from "../reader";
import type { ExtensionSpec } from "./types";
import { plural, pushField } from "../handshake/message";
import { bounds, opaqueList, skipOpaqueList, skipVector, vector } from "../shape";

/** RFC 8446 §4.2.11: PskIdentity identities<7..2^16-1>, each { opaque identity<1..2^16-1>; uint32 obfuscated_ticket_age; }. */
const IDENTITIES = vector(2, 7);
const IDENTITY = vector(2, 1);
/** PskBinderEntry binders<33..2^16-1>, each opaque PskBinderEntry<32..255>. */
const BINDERS = opaqueList(2, vector(1, 32), 33);

/** OfferedPsks [p, e): identities then binders, exactly. */
function skipOfferedPsks(b: Uint8Array, p: number, e: number): boolean {
  const ids = skipVector(b, p, e, IDENTITIES);
  if (ids < 0) return false;
  for (let i = p + IDENTITIES.width; i < ids;) {
    i = skipVector(b, i, ids, IDENTITY);
    if (i < 0 || ids - i < 4) return false;
    i += 4;
  }
  return skipOpaqueList(b, ids, e, BINDERS) === e;
}

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
      IDENTITIES.width,
      () =>
        r.group("PskIdentity", () => {
          const id = r.opaque("identity", IDENTITY.width, { ...bounds(IDENTITY), display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}` });
          d.pskIdentities!.push(id);
          pushField(x.m.fields, "pskIdentityLengths", id.length);
          // §4.2.11.1: the ticket's age in ms plus ticket_age_add, mod 2^32, hiding the real age from observers.
          r.u32("obfuscated_ticket_age", { display: (v) => `${v} (age + ticket_age_add mod 2^32)` });
          return id;
        }),
      bounds(IDENTITIES),
    );
    // The truncated ClientHello that the binders authenticate ends right before this length field.
    d.pskBindersOffset = r.pos;
    const binders = r.list(
      "binders",
      BINDERS.width,
      () => {
        const b = r.opaque("PskBinderEntry", BINDERS.element.width, { ...bounds(BINDERS.element), display: (v) => `HMAC ${toHex(v)}` });
        d.pskBinders!.push(b);
        return b;
      },
      { ...bounds(BINDERS), rfc: "RFC 8446 §4.2.11.2" },
    );
    r.setDisplay(() => `${ids.length === 1 ? "1 identity" : `${ids.length} identities`}, ${plural(binders.length, "binder")}`);
  },
  scan(b, p, e, host) {
    if (host === "server_hello") return e - p === 2;
    return host !== "client_hello" || skipOfferedPsks(b, p, e);
  },
};
