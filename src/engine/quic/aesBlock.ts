/**
 * AES encryption of single blocks (FIPS 197) for QUIC header protection with the AES suites (RFC 9001 §5.4.3:
 * mask = AES-ECB(hp_key, sample)). A capture uses each header protection key for a few samples only — a key-less
 * summary masks about two packet headers per key — and setting up an OpenSSL cipher context per key cost several
 * times the blocks it then encrypted, so here the key schedule and the rounds are table-driven JavaScript with
 * nothing allocated per block. The node:crypto ECB in ../crypto stays the reference (the unit test compares).
 */

/** FIPS 197 §5.1.1: the S-box, built from the multiplicative inverse in GF(2^8) and the affine transformation. */
const SBOX = new Uint8Array(256);
/** The round tables: T0[x] is the column MixColumns makes of S-box output x in row 0; T1..T3 are its rotations. */
const T0 = new Int32Array(256);
const T1 = new Int32Array(256);
const T2 = new Int32Array(256);
const T3 = new Int32Array(256);

(function buildTables() {
  // Powers and logarithms of the generator 3 (x + 1) give the inverses.
  const pow = new Uint8Array(256);
  const log = new Uint8Array(256);
  for (let i = 0, x = 1; i < 256; i++) {
    pow[i] = x;
    log[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x11b : 0);
    x &= 0xff;
  }
  for (let i = 0; i < 256; i++) {
    const inv = i === 0 ? 0 : pow[(255 - log[i]) % 255];
    let s = inv;
    for (let r = 1; r <= 4; r++) s ^= ((inv << r) | (inv >> (8 - r))) & 0xff;
    SBOX[i] = s ^ 0x63;
  }
  for (let i = 0; i < 256; i++) {
    const s = SBOX[i];
    const s2 = ((s << 1) ^ (s & 0x80 ? 0x11b : 0)) & 0xff;
    const s3 = s2 ^ s;
    const t = (s2 << 24) | (s << 16) | (s << 8) | s3;
    T0[i] = t;
    T1[i] = (t >>> 8) | (t << 24);
    T2[i] = (t >>> 16) | (t << 16);
    T3[i] = (t >>> 24) | (t << 8);
  }
})();

/** FIPS 197 §5.2: the round keys of a 16- or 32-byte key, as big-endian words. */
export function aesExpandKey(key: Uint8Array): Int32Array {
  const nk = key.length >> 2;
  if (key.length !== 16 && key.length !== 32) throw new RangeError(`AES key of ${key.length} bytes: 16 or 32 here`);
  const rounds = nk + 6;
  const w = new Int32Array(4 * (rounds + 1));
  for (let i = 0; i < nk; i++) w[i] = (key[4 * i] << 24) | (key[4 * i + 1] << 16) | (key[4 * i + 2] << 8) | key[4 * i + 3];
  let rcon = 1;
  for (let i = nk; i < w.length; i++) {
    let t = w[i - 1];
    if (i % nk === 0) {
      // RotWord, SubWord, then the round constant.
      t = (SBOX[(t >>> 16) & 0xff] << 24) | (SBOX[(t >>> 8) & 0xff] << 16) | (SBOX[t & 0xff] << 8) | SBOX[t >>> 24];
      t ^= rcon << 24;
      rcon = ((rcon << 1) ^ (rcon & 0x80 ? 0x11b : 0)) & 0xff;
    } else if (nk > 6 && i % nk === 4) {
      t = (SBOX[t >>> 24] << 24) | (SBOX[(t >>> 16) & 0xff] << 16) | (SBOX[(t >>> 8) & 0xff] << 8) | SBOX[t & 0xff];
    }
    w[i] = w[i - nk] ^ t;
  }
  return w;
}

/** FIPS 197 §5.1: encrypts the 16 bytes at `input[at..]` with round keys `w`, into `out[0..16)`. */
export function aesEncryptBlock(w: Int32Array, input: Uint8Array, at: number, out: Uint8Array): void {
  let s0 = ((input[at] << 24) | (input[at + 1] << 16) | (input[at + 2] << 8) | input[at + 3]) ^ w[0];
  let s1 = ((input[at + 4] << 24) | (input[at + 5] << 16) | (input[at + 6] << 8) | input[at + 7]) ^ w[1];
  let s2 = ((input[at + 8] << 24) | (input[at + 9] << 16) | (input[at + 10] << 8) | input[at + 11]) ^ w[2];
  let s3 = ((input[at + 12] << 24) | (input[at + 13] << 16) | (input[at + 14] << 8) | input[at + 15]) ^ w[3];
  const rounds = (w.length >> 2) - 1;
  let k = 4;
  // SubBytes, ShiftRows and MixColumns of the full rounds in one table look-up per byte.
  for (let r = 1; r < rounds; r++, k += 4) {
    const t0 = T0[s0 >>> 24] ^ T1[(s1 >>> 16) & 0xff] ^ T2[(s2 >>> 8) & 0xff] ^ T3[s3 & 0xff] ^ w[k];
    const t1 = T0[s1 >>> 24] ^ T1[(s2 >>> 16) & 0xff] ^ T2[(s3 >>> 8) & 0xff] ^ T3[s0 & 0xff] ^ w[k + 1];
    const t2 = T0[s2 >>> 24] ^ T1[(s3 >>> 16) & 0xff] ^ T2[(s0 >>> 8) & 0xff] ^ T3[s1 & 0xff] ^ w[k + 2];
    const t3 = T0[s3 >>> 24] ^ T1[(s0 >>> 16) & 0xff] ^ T2[(s1 >>> 8) & 0xff] ^ T3[s2 & 0xff] ^ w[k + 3];
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
  }
  // The last round has no MixColumns.
  lastRound(out, 0, s0, s1, s2, s3, w[k]);
  lastRound(out, 4, s1, s2, s3, s0, w[k + 1]);
  lastRound(out, 8, s2, s3, s0, s1, w[k + 2]);
  lastRound(out, 12, s3, s0, s1, s2, w[k + 3]);
}

/** SubBytes, ShiftRows and AddRoundKey of one output column of the last round. */
function lastRound(out: Uint8Array, o: number, a: number, b: number, c: number, d: number, rk: number): void {
  out[o] = SBOX[a >>> 24] ^ (rk >>> 24);
  out[o + 1] = SBOX[(b >>> 16) & 0xff] ^ ((rk >>> 16) & 0xff);
  out[o + 2] = SBOX[(c >>> 8) & 0xff] ^ ((rk >>> 8) & 0xff);
  out[o + 3] = SBOX[d & 0xff] ^ (rk & 0xff);
}
