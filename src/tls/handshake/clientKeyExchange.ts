/**
 * ClientKeyExchange (TLS ≤ 1.2, RFC 5246 §7.4.7): the client's half of the key exchange — an RSA-encrypted
 * premaster secret (§7.4.7.1, with a 2-byte length since TLS 1.0), a DH public value Yc (§7.4.7.2), or an ECDH
 * point (RFC 8422 §5.7). PSK suites put the identity first (RFC 4279 §2). The form follows the negotiated suite;
 * an unknown suite is sniffed from the lengths.
 */
import { toHex, type Reader } from "../reader";
import { keyExchangeKind } from "./keyExchangeKind";
import { latin1, plural, quoted, type MessageState } from "./message";
import { bounds, vector } from "../shape";

type Kind = "ecdh" | "rsa" | "dh";

function sniff(r: Reader): Kind {
  const left = r.remaining();
  if (left >= 1 && 1 + r.buf[r.pos] === left) return "ecdh";
  // A 2-byte length: DH Yc and RSA premaster look alike; an RSA ciphertext is the modulus size, which is the
  // more common case.
  return "rsa";
}

/** RFC 8422 §5.7 opaque ecdh_Yc<1..2^8-1>; RFC 5246 §7.4.7.2 opaque dh_Yc<1..2^16-1>; §7.4.7.1 the
 * EncryptedPreMasterSecret's public-key-encrypted opaque<0..2^16-1>. */
export const ECDH_YC = vector(1, 1);
export const DH_YC = vector(2, 1);
export const ENCRYPTED_PREMASTER = vector(2);

export function decodeClientKeyExchange(r: Reader, m: MessageState): void {
  const kind = keyExchangeKind(m.ctx.cipherSuite);
  const d = m.details;
  if (kind.psk) {
    r.opaque("psk_identity", 2, { rfc: "RFC 4279 §2", display: (b) => quoted(latin1(b)) });
    if (kind.base === "none") return;
  }
  const form: Kind = kind.base === "ecdhe" ? "ecdh" : kind.base === "dhe" ? "dh" : kind.base === "rsa" ? "rsa" : sniff(r);
  const show = (b: Uint8Array) => `${plural(b.length, "byte")}: ${toHex(b)}`;
  let value: Uint8Array;
  if (form === "ecdh") {
    value = r.opaque("ecdh_Yc", ECDH_YC.width, { ...bounds(ECDH_YC), rfc: "RFC 8422 §5.7", note: "client-key-exchange", display: show });
  } else if (form === "dh") {
    value = r.opaque("dh_Yc", DH_YC.width, { ...bounds(DH_YC), rfc: "RFC 5246 §7.4.7.2", note: "client-key-exchange", display: show });
  } else {
    value = r.opaque("EncryptedPreMasterSecret", ENCRYPTED_PREMASTER.width, {
      ...bounds(ENCRYPTED_PREMASTER),
      rfc: "RFC 5246 §7.4.7.1",
      note: "key-exchange-rsa-vs-dhe",
      display: show,
    });
  }
  d.exchange = value;
  d.exchangeKind = form;
  m.fields.exchangeLength = value.length;
  m.fields.exchangeKind = form;
}
