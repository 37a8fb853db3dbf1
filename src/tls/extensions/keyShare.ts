/**
 * key_share, RFC 8446 §4.2.8: the client's (EC)DHE shares, the server's one share, or — in a HelloRetryRequest —
 * only the group the server wants a share for.
 */
import { hybridLayout, hybridShareParts, namedGroups, type HybridLayout, type HybridPart, type HybridSide } from "../registry";
import { toHex, type Reader } from "../reader";
import type { KeyShareEntry } from "../handshake/types";
import type { ExtensionSpec } from "./types";
import { plural, pushField } from "../handshake/message";
import { bounds, skipVector, vector } from "../shape";

/** RFC 8446 §4.2.8: KeyShareEntry { NamedGroup group; opaque key_exchange<1..2^16-1>; }. */
const KEY_EXCHANGE = vector(2, 1);
/** KeyShareEntry client_shares<0..2^16-1>. */
const CLIENT_SHARES = vector(2);

/** One KeyShareEntry from p: the position after it, or -1. */
function skipEntry(b: Uint8Array, p: number, e: number): number {
  return e - p < 2 ? -1 : skipVector(b, p + 2, e, KEY_EXCHANGE);
}

const bytesDisplay = (b: Uint8Array) => `${plural(b.length, "byte")}: ${toHex(b)}`;

/**
 * A hybrid group's key_exchange split into its ML-KEM and ECDH parts, in the group's order
 * (draft-ietf-tls-ecdhe-mlkem §3.1.1–3.1.2). A value of another length is left whole: the peer will refuse it.
 */
function readHybridKeyExchange(r: Reader, layout: HybridLayout, side: HybridSide): Uint8Array {
  return r.vector(
    "key_exchange",
    KEY_EXCHANGE.width,
    () => {
      const parts = hybridShareParts(layout, side, r.remaining());
      if (!parts) return r.rest("data", { display: (b) => `${bytesDisplay(b)} (not the ${layout.name} ${side} share's size)` });
      const kemName = side === "client" ? "mlkem_encapsulation_key" : "mlkem_ciphertext";
      const kemWhat = side === "client" ? `${layout.kem} encapsulation key (FIPS 203 §7.1)` : `${layout.kem} ciphertext (FIPS 203 §7.2)`;
      const ecWhat = layout.ecdh === "x25519" ? "X25519 public key (RFC 7748)" : `${layout.ecdh} uncompressed point (RFC 8446 §4.2.8.2)`;
      const read = (p: HybridPart) =>
        p.kind === "mlkem"
          ? r.bytes(kemName, p.length, { display: (b) => `${kemWhat}, ${bytesDisplay(b)}`, rfc: layout.section })
          : r.bytes(`${layout.ecdh}_share`, p.length, { display: (b) => `${ecWhat}, ${bytesDisplay(b)}`, rfc: layout.section });
      const a = read(parts[0]);
      const b = read(parts[1]);
      return r.buf.subarray(a.byteOffset - r.buf.byteOffset, b.byteOffset - r.buf.byteOffset + b.length);
    },
    {
      ...bounds(KEY_EXCHANGE),
      display: (b: Uint8Array) => {
        const parts = hybridShareParts(layout, side, b.length);
        if (!parts) return bytesDisplay(b);
        const name = (p: HybridPart) => (p.kind === "mlkem" ? `${layout.kem} ${side === "client" ? "encapsulation key" : "ciphertext"}` : layout.ecdh);
        return `${plural(b.length, "byte")}: ${name(parts[0])} (${parts[0].length}) ‖ ${name(parts[1])} (${parts[1].length})`;
      },
    },
  );
}

function readEntry(r: Reader, side: HybridSide): KeyShareEntry {
  return r.group(
    "KeyShareEntry",
    () => {
      const group = r.u16("group", { display: (v) => namedGroups.display(v) });
      const layout = r.annotate ? hybridLayout(group) : undefined;
      const keyExchange = layout
        ? readHybridKeyExchange(r, layout, side)
        : r.opaque("key_exchange", KEY_EXCHANGE.width, { ...bounds(KEY_EXCHANGE), display: bytesDisplay });
      return { group, keyExchange };
    },
    { display: (e) => namedGroups.name(e.group) },
  );
}

export const keyShare: ExtensionSpec = {
  rfc: "RFC 8446 §4.2.8",
  note: "tls13-key-schedule",
  decode(r, x) {
    const d = x.m.details;
    const f = x.m.fields;
    if (x.host === "client_hello") {
      d.keyShares ??= [];
      if (!Array.isArray(f.keyShareGroups)) f.keyShareGroups = [];
      const list = r.list("client_shares", CLIENT_SHARES.width, () => {
        const e = readEntry(r, "client");
        d.keyShares!.push(e);
        pushField(f, "keyShareGroups", e.group);
        return e;
      });
      r.setDisplay(() => list.map((e) => namedGroups.name(e.group)).join(", ") || "(empty: asks the server to pick)");
      return;
    }
    if (x.host === "server_hello") {
      const e = r.group("server_share", () => readEntry(r, "server"));
      d.keyShares = [e];
      if (f.keyShareGroup === null || f.keyShareGroup === undefined) f.keyShareGroup = e.group;
      r.setDisplay(() => namedGroups.name(e.group));
      return;
    }
    if (x.host === "hello_retry_request") {
      const g = r.u16("selected_group", { display: (v) => namedGroups.display(v), rfc: "RFC 8446 §4.2.8" });
      d.selectedGroup = g;
      if (f.keyShareGroup === null || f.keyShareGroup === undefined) f.keyShareGroup = g;
      r.setDisplay(() => `send a ${namedGroups.name(g)} share`);
      return;
    }
    return false;
  },
  scan(b, p, e, host) {
    if (host === "client_hello") {
      const q = skipVector(b, p, e, CLIENT_SHARES);
      if (q !== e) return false;
      for (let i = p + CLIENT_SHARES.width; i < q;) if ((i = skipEntry(b, i, q)) < 0) return false;
      return true;
    }
    if (host === "server_hello") return skipEntry(b, p, e) === e;
    if (host === "hello_retry_request") return e - p === 2;
    return true;
  },
};
