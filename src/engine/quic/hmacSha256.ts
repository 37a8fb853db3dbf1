/**
 * HMAC-SHA-256 with each key's padded blocks absorbed once (RFC 2104 §2 steps 1–3), and HKDF-Extract /
 * HKDF-Expand-Label (RFC 5869, RFC 8446 §7.1) on it, for QUIC's key derivation. A capture holds one Initial key
 * derivation per QUIC connection (RFC 9001 §5.2: an extract, two expansions to the client and server secrets, three
 * more per secret for key, IV and header protection key): through node:crypto that is nine HMAC objects per
 * connection, which cost more than opening the connection's packets. Here @noble/hashes keeps a key's inner and
 * outer hash states, and each HMAC clones them into one reused instance: no key padding is hashed again and nothing
 * is allocated but the output. The engine's general HKDF stays the reference (the unit test compares).
 */
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";

/** An HMAC-SHA-256 key: the hash states after its inner and outer padded blocks. */
export type HmacSha256Key = ReturnType<typeof hmac.create>;

export function hmacSha256Key(key: Uint8Array): HmacSha256Key {
  return hmac.create(sha256, key);
}

// One instance the keys' states are cloned into, and its 32-byte tag (single-threaded: no call re-enters another).
const work = hmac.create(sha256, new Uint8Array(0));
const tag = new Uint8Array(32);

/** HMAC-SHA-256(key, msg); the first `length` (≤ 32) bytes of the tag are written to `out` at `at`. */
export function hmacSha256(key: HmacSha256Key, msg: Uint8Array, out: Uint8Array, at = 0, length = 32): void {
  key._cloneInto(work);
  work.update(msg);
  work.digestInto(tag);
  out.set(length === 32 ? tag : tag.subarray(0, length), at);
}

/** HKDF-Extract(salt, IKM) = HMAC-SHA-256(salt, IKM) (RFC 5869 §2.2), the salt's states given. */
export function hkdfExtractSha256(salt: HmacSha256Key, ikm: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  hmacSha256(salt, ikm, out);
  return out;
}

const infoCache = new Map<string, Uint8Array>();

/**
 * HkdfLabel with an empty context followed by HKDF-Expand's first counter byte (RFC 8446 §7.1, RFC 5869 §2.3):
 * uint16 length, opaque label<7..255> = "tls13 " + label, opaque context<0..255> = "", then 0x01.
 */
function labelInfo(label: string, length: number): Uint8Array {
  const k = `${length}:${label}`;
  let info = infoCache.get(k);
  if (!info) {
    const full = "tls13 " + label;
    info = new Uint8Array(2 + 1 + full.length + 1 + 1);
    info[0] = length >> 8;
    info[1] = length & 0xff;
    info[2] = full.length;
    for (let i = 0; i < full.length; i++) info[3 + i] = full.charCodeAt(i);
    info[3 + full.length] = 0;
    info[4 + full.length] = 1;
    infoCache.set(k, info);
  }
  return info;
}

/**
 * HKDF-Expand-Label(secret, label, "", length) with SHA-256 for length ≤ 32 (one HKDF-Expand block: T(1)),
 * the secret's states given (one key serves all of its labels).
 */
export function hkdfExpandLabelSha256(secret: HmacSha256Key, label: string, length: number): Uint8Array {
  if (length > 32) throw new RangeError(`hkdfExpandLabelSha256: length ${length}, at most 32`);
  const out = new Uint8Array(length);
  hmacSha256(secret, labelInfo(label, length), out, 0, length);
  return out;
}
