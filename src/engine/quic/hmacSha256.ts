/**
 * HMAC-SHA-256 (RFC 2104 over FIPS 180-4's SHA-256) for the short inputs of QUIC's key derivation, and
 * HKDF-Extract / HKDF-Expand-Label (RFC 5869, RFC 8446 §7.1) on it. A capture holds one Initial key derivation per
 * QUIC connection (RFC 9001 §5.2: an extract, two expansions to the client and server secrets, three more per
 * secret for key, IV and header protection key): through node:crypto that is nine HMAC objects per connection,
 * which cost more than opening the connection's packets. Here a key's inner and outer pad states are computed once
 * (two compressions) and each HMAC of a message up to 55 bytes is two more compressions into preallocated state:
 * nothing is allocated but the output. The general HMAC in ../crypto stays the reference (the unit test compares).
 */

/** FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
/** FIPS 180-4 §5.3.3: the initial hash value. */
const IV = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** HMAC's block size in bytes (RFC 2104 §2: B = 64 for SHA-256), and the longest message one more block takes. */
const BLOCK = 64;
export const MAX_SHORT_MESSAGE = BLOCK - 9;

// Scratch space, reused by every call (single-threaded: no call re-enters another).
const W = new Int32Array(64);
const M = new Int32Array(16);
const S = new Int32Array(8);

/** FIPS 180-4 §6.2.2: one compression of the 16 words in M into `state`. */
function compress(state: Int32Array): void {
  for (let t = 0; t < 16; t++) W[t] = M[t];
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15];
    const w2 = W[t - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[t] = (s1 + W[t - 7] + s0 + W[t - 16]) | 0;
  }
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let e = state[4];
  let f = state[5];
  let g = state[6];
  let h = state[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[t] + W[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
  state[5] = (state[5] + f) | 0;
  state[6] = (state[6] + g) | 0;
  state[7] = (state[7] + h) | 0;
}

/** Big-endian words of `bytes[0..n)` into M from word 0, then SHA-256's padding for a message of `total` bytes. */
function loadLastBlock(bytes: Uint8Array, n: number, total: number): void {
  M.fill(0);
  for (let i = 0; i < n; i++) M[i >> 2] |= bytes[i] << (24 - 8 * (i & 3));
  M[n >> 2] |= 0x80 << (24 - 8 * (n & 3));
  // The length in bits (below 2^32 here: the high word stays zero).
  M[15] = total * 8;
}

/** An HMAC-SHA-256 key: the states after its inner and outer padded blocks (RFC 2104 §2 steps 1–3). */
export interface HmacSha256Key {
  inner: Int32Array;
  outer: Int32Array;
}

/** The pad states of a key of at most 64 bytes (longer keys are hashed first by RFC 2104; nothing here has one). */
export function hmacSha256Key(key: Uint8Array): HmacSha256Key {
  if (key.length > BLOCK) throw new RangeError(`hmacSha256Key: ${key.length}-byte key, at most ${BLOCK}`);
  const pad = (xor: number): Int32Array => {
    M.fill(0);
    for (let i = 0; i < key.length; i++) M[i >> 2] |= key[i] << (24 - 8 * (i & 3));
    const x = xor * 0x01010101;
    for (let i = 0; i < 16; i++) M[i] ^= x;
    const st = Int32Array.from(IV);
    compress(st);
    return st;
  };
  return { inner: pad(0x36), outer: pad(0x5c) };
}

/**
 * HMAC-SHA-256(key, msg) for a message of at most MAX_SHORT_MESSAGE bytes; the first `length` (≤ 32) bytes of the
 * 32-byte tag are written to `out` at `at`.
 */
export function hmacSha256Short(key: HmacSha256Key, msg: Uint8Array, out: Uint8Array, at = 0, length = 32): void {
  if (msg.length > MAX_SHORT_MESSAGE) throw new RangeError(`hmacSha256Short: ${msg.length}-byte message, at most ${MAX_SHORT_MESSAGE}`);
  S.set(key.inner);
  loadLastBlock(msg, msg.length, BLOCK + msg.length);
  compress(S);
  M.fill(0);
  for (let i = 0; i < 8; i++) M[i] = S[i];
  M[8] = 0x80000000 | 0;
  M[15] = (BLOCK + 32) * 8;
  S.set(key.outer);
  compress(S);
  for (let i = 0; i < length; i++) out[at + i] = S[i >> 2] >>> (24 - 8 * (i & 3));
}

/** HKDF-Extract(salt, IKM) = HMAC-SHA-256(salt, IKM) (RFC 5869 §2.2), the salt's pad states given. */
export function hkdfExtractSha256Short(salt: HmacSha256Key, ikm: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  hmacSha256Short(salt, ikm, out);
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
    if (info.length > MAX_SHORT_MESSAGE) throw new RangeError(`HKDF label "${label}" too long for one block`);
    infoCache.set(k, info);
  }
  return info;
}

/**
 * HKDF-Expand-Label(secret, label, "", length) with SHA-256 for length ≤ 32 (one HKDF-Expand block: T(1)),
 * the secret's pad states given (one key serves all of its labels).
 */
export function hkdfExpandLabelSha256Short(secret: HmacSha256Key, label: string, length: number): Uint8Array {
  if (length > 32) throw new RangeError(`hkdfExpandLabelSha256Short: length ${length}, at most 32`);
  const out = new Uint8Array(length);
  hmacSha256Short(secret, labelInfo(label, length), out, 0, length);
  return out;
}
