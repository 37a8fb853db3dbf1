/**
 * Every cryptographic primitive the engine uses, in one place: the only module that imports @noble/* (and
 * node:crypto, for RSA). Callers pass and get plain Uint8Arrays; nothing here knows about TLS records or messages.
 *
 * Randomness: every function that needs random bytes takes an optional `Rng`, so the simulator can run from a
 * seed (`seededRng`) and reproduce every byte; without one, the OS CSPRNG is used.
 */
import * as nodeCrypto from "node:crypto";
import { md5 as nobleMd5, sha1 as nobleSha1 } from "@noble/hashes/legacy.js";
import { sha256 as nobleSha256, sha384 as nobleSha384, sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { hmac as nobleHmac } from "@noble/hashes/hmac.js";
import { expand as nobleExpand, extract as nobleExtract } from "@noble/hashes/hkdf.js";
import type * as NobleAes from "@noble/ciphers/aes.js";
import type * as NobleChacha from "@noble/ciphers/chacha.js";
import type * as NobleMlKem from "@noble/post-quantum/ml-kem.js";
import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { ed448, x448 } from "@noble/curves/ed448.js";
import { p256, p384, p521 } from "@noble/curves/nist.js";

// @noble/ciphers builds its AES tables when loaded (~8 ms): it is loaded on first use only — the ciphers run on
// node:crypto, and noble is the fallback and the tests' reference.
let aesLib: typeof NobleAes | undefined;
let chachaLib: typeof NobleChacha | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (see above)
const nobleAes = (): typeof NobleAes => (aesLib ??= require("@noble/ciphers/aes.js") as typeof NobleAes);
const gcm = (key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array) => nobleAes().gcm(key, nonce, aad);
const cbc = (key: Uint8Array, iv: Uint8Array, opts?: { disablePadding?: boolean }) => nobleAes().cbc(key, iv, opts);
const chacha20poly1305 = (key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array) =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (see above)
  (chachaLib ??= require("@noble/ciphers/chacha.js") as typeof NobleChacha).chacha20poly1305(key, nonce, aad);

// ---------------------------------------------------------------- hashes

/** SHA-512 only signs (ecdsa_secp521r1_sha512, rsa_*_sha512); no TLS suite uses it as its PRF or HKDF hash. */
export type HashName = "SHA1" | "SHA256" | "SHA384" | "SHA512";

const HASHES = { SHA1: nobleSha1, SHA256: nobleSha256, SHA384: nobleSha384, SHA512: nobleSha512 } as const;

export function hashLength(h: HashName): number {
  return h === "SHA1" ? 20 : h === "SHA256" ? 32 : h === "SHA384" ? 48 : 64;
}

export function hashOf(h: HashName, data: Uint8Array): Uint8Array {
  // OpenSSL's digests are several times noble's (a decrypted capture hashes two transcripts per connection).
  if (nodeHashes.has(NODE_HASH[h])) {
    const b = nodeCrypto.createHash(NODE_HASH[h]).update(data).digest();
    return new Uint8Array(b.buffer, b.byteOffset, b.length);
  }
  return HASHES[h](data);
}

export const sha1 = (data: Uint8Array): Uint8Array => nobleSha1(data);
/** MD5 only for the TLS 1.0/1.1 PRF and Finished hash (RFC 2246 §5, §7.4.9), never as a signature or suite hash. */
export const md5 = (data: Uint8Array): Uint8Array => nobleMd5(data);
export const hmacMd5 = (key: Uint8Array, data: Uint8Array): Uint8Array => nobleHmac(nobleMd5, key, data);
export const sha256 = (data: Uint8Array): Uint8Array => nobleSha256(data);
export const sha384 = (data: Uint8Array): Uint8Array => nobleSha384(data);

/** An incremental hash: a transcript hash can be read at any point (`clone().digest()`) and keep growing. */
export interface IncrementalHash {
  readonly alg: HashName;
  update(data: Uint8Array): IncrementalHash;
  /** The digest of everything so far; the hash cannot be updated afterwards (use `clone()` first). */
  digest(): Uint8Array;
  clone(): IncrementalHash;
}

interface NobleHashState {
  update(d: Uint8Array): unknown;
  digest(): Uint8Array;
  clone(): NobleHashState;
}

class NobleIncremental implements IncrementalHash {
  constructor(
    readonly alg: HashName,
    private readonly state: NobleHashState,
  ) {}
  update(data: Uint8Array): IncrementalHash {
    this.state.update(data);
    return this;
  }
  digest(): Uint8Array {
    return this.state.digest();
  }
  clone(): IncrementalHash {
    return new NobleIncremental(this.alg, this.state.clone());
  }
}

export function createHash(alg: HashName): IncrementalHash {
  return new NobleIncremental(alg, HASHES[alg].create() as unknown as NobleHashState);
}

// ---------------------------------------------------------------- HMAC, HKDF (RFC 2104, RFC 5869)

// On node:crypto where it has the hash (OpenSSL's HMAC is several times noble's speed: QUIC derives Initial keys
// for every connection of a capture, RFC 9001 §5.2), noble elsewhere; the two give the same bytes.
const NODE_HASH: Record<HashName, string> = { SHA1: "sha1", SHA256: "sha256", SHA384: "sha384", SHA512: "sha512" };
const nodeHashes = new Set(nodeCrypto.getHashes());

function nodeHmac(h: HashName, key: Uint8Array, ...data: Uint8Array[]): Uint8Array {
  const m = nodeCrypto.createHmac(NODE_HASH[h], key);
  for (const d of data) m.update(d);
  const b = m.digest();
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

export function hmac(h: HashName, key: Uint8Array, data: Uint8Array): Uint8Array {
  return nodeHashes.has(NODE_HASH[h]) ? nodeHmac(h, key, data) : nobleHmac(HASHES[h], key, data);
}

/** HKDF-Extract(salt, IKM) (RFC 5869 §2.2): HMAC-Hash(salt, IKM). */
export function hkdfExtract(h: HashName, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  if (!nodeHashes.has(NODE_HASH[h])) return nobleExtract(HASHES[h], ikm, salt);
  // RFC 5869 §2.2: an absent salt is HashLen zero bytes.
  return nodeHmac(h, salt.length ? salt : new Uint8Array(hashLength(h)), ikm);
}

/** HKDF-Expand(PRK, info, L) (RFC 5869 §2.3): T(i) = HMAC-Hash(PRK, T(i-1) | info | i), concatenated. */
export function hkdfExpand(h: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!nodeHashes.has(NODE_HASH[h])) return nobleExpand(HASHES[h], prk, info, length);
  const n = hashLength(h);
  if (length > 255 * n) throw new RangeError(`HKDF-Expand: length ${length} exceeds 255 * HashLen`);
  const out = new Uint8Array(length);
  let t: Uint8Array = new Uint8Array(0);
  for (let i = 1, at = 0; at < length; i++, at += n) {
    t = nodeHmac(h, prk, t, info, Uint8Array.of(i));
    out.set(t.subarray(0, Math.min(n, length - at)), at);
  }
  return out;
}

// ---------------------------------------------------------------- ciphers
//
// Bulk record protection runs on node:crypto (OpenSSL, AES-NI): measured on these machines, noble's AES-GCM opens
// 16 KB records at ~15 MB/s and node's at ~700 MB/s, which decides whether a 1 GB capture decrypts in seconds or
// minutes. The noble ciphers remain the fallback for a runtime without these OpenSSL ciphers.

export type AeadAlg = "AES_128_GCM" | "AES_256_GCM" | "CHACHA20_POLY1305" | "AES_128_CCM" | "AES_256_CCM" | "AES_128_CCM_8" | "AES_256_CCM_8";
/** The tag of every AEAD here but the CCM_8 ones. */
export const AEAD_TAG_LENGTH = 16;

/** RFC 6655 §3 / RFC 8446 Appendix B.4: the _CCM_8 suites truncate CCM's tag to 8 bytes; the others carry 16. */
export function aeadTagLength(alg: AeadAlg): number {
  return alg.endsWith("_CCM_8") ? 8 : AEAD_TAG_LENGTH;
}

const NODE_AEAD: Record<AeadAlg, string> = {
  AES_128_GCM: "aes-128-gcm",
  AES_256_GCM: "aes-256-gcm",
  CHACHA20_POLY1305: "chacha20-poly1305",
  AES_128_CCM: "aes-128-ccm",
  AES_256_CCM: "aes-256-ccm",
  AES_128_CCM_8: "aes-128-ccm",
  AES_256_CCM_8: "aes-256-ccm",
};
const nodeCiphers = new Set(nodeCrypto.getCiphers());
const useNode = (name: string) => nodeCiphers.has(name);
const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);
const isCcm = (alg: AeadAlg) => alg.includes("_CCM");

function nobleAead(alg: AeadAlg, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) {
  // @noble/ciphers has no CCM: a runtime without OpenSSL's CCM cannot run those suites.
  if (isCcm(alg)) throw new Error(`${alg}: this runtime's crypto has no AES-CCM`);
  return alg === "CHACHA20_POLY1305" ? chacha20poly1305(key, nonce, aad) : gcm(key, nonce, aad);
}

/** AEAD encryption: ciphertext || tag (16 bytes; 8 for CCM_8). */
export function aeadSeal(alg: AeadAlg, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const name = NODE_AEAD[alg];
  if (!useNode(name)) return nobleAead(alg, key, nonce, aad).encrypt(plaintext);
  const authTagLength = aeadTagLength(alg);
  if (isCcm(alg)) {
    // CCM (RFC 3610) must know the message length before it starts (it is in the first block it MACs).
    const c = nodeCrypto.createCipheriv(name as nodeCrypto.CipherCCMTypes, key, nonce, { authTagLength });
    c.setAAD(aad, { plaintextLength: plaintext.length });
    return u8(Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]));
  }
  const c = nodeCrypto.createCipheriv(name as nodeCrypto.CipherGCMTypes, key, nonce, { authTagLength });
  c.setAAD(aad);
  return u8(Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]));
}

/** AEAD decryption; null when the tag does not verify. */
export function aeadOpen(alg: AeadAlg, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array | null {
  const tagLength = aeadTagLength(alg);
  if (ciphertext.length < tagLength) return null;
  const name = NODE_AEAD[alg];
  try {
    if (!useNode(name)) return nobleAead(alg, key, nonce, aad).decrypt(ciphertext);
    const split = ciphertext.length - tagLength;
    if (isCcm(alg)) {
      const d = nodeCrypto.createDecipheriv(name as nodeCrypto.CipherCCMTypes, key, nonce, { authTagLength: tagLength });
      d.setAuthTag(ciphertext.subarray(split));
      d.setAAD(aad, { plaintextLength: split });
      // OpenSSL checks the CCM tag inside update(): it throws there when the tag does not verify.
      const pt = d.update(ciphertext.subarray(0, split));
      d.final();
      return u8(pt);
    }
    const d = nodeCrypto.createDecipheriv(name as nodeCrypto.CipherGCMTypes, key, nonce, { authTagLength: tagLength });
    d.setAuthTag(ciphertext.subarray(split));
    d.setAAD(aad);
    const head = d.update(ciphertext.subarray(0, split));
    const tail = d.final(); // throws when the tag does not verify
    return u8(tail.length ? Buffer.concat([head, tail]) : head);
  } catch {
    return null;
  }
}

export const aesGcmSeal = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): Uint8Array =>
  aeadSeal(key.length === 16 ? "AES_128_GCM" : "AES_256_GCM", key, nonce, aad, pt);
export const aesGcmOpen = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array | null =>
  aeadOpen(key.length === 16 ? "AES_128_GCM" : "AES_256_GCM", key, nonce, aad, ct);
export const chacha20Poly1305Seal = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): Uint8Array =>
  aeadSeal("CHACHA20_POLY1305", key, nonce, aad, pt);
export const chacha20Poly1305Open = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array | null =>
  aeadOpen("CHACHA20_POLY1305", key, nonce, aad, ct);

const cbcName = (key: Uint8Array) => (key.length === 16 ? "aes-128-cbc" : "aes-256-cbc");

/**
 * AES-CBC over whole blocks, without padding of its own: TLS pads (RFC 5246 §6.2.3.2) and checks the padding
 * itself. `data.length` must be a multiple of 16.
 */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (!useNode(cbcName(key))) return cbc(key, iv, { disablePadding: true }).encrypt(data);
  const c = nodeCrypto.createCipheriv(cbcName(key), key, iv).setAutoPadding(false);
  return u8(Buffer.concat([c.update(data), c.final()]));
}

export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (!useNode(cbcName(key))) return cbc(key, iv, { disablePadding: true }).decrypt(data);
  const d = nodeCrypto.createDecipheriv(cbcName(key), key, iv).setAutoPadding(false);
  return u8(Buffer.concat([d.update(data), d.final()]));
}

/**
 * One AES block encrypted with no chaining (AES-ECB of 16 bytes): QUIC's header protection for the AES suites
 * (RFC 9001 §5.4.3). A CBC pass with a zero IV over one block is exactly that.
 */
export function aesEcbBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  return aesEcbEncryptor(key)(block);
}

/**
 * An AES-ECB block encryptor for one key, set up once (a QUIC connection masks every packet's header with the
 * same key: one cipher context instead of one per packet). Without padding, each 16-byte update is one block.
 */
export function aesEcbEncryptor(key: Uint8Array): (block: Uint8Array) => Uint8Array {
  const name = key.length === 16 ? "aes-128-ecb" : "aes-256-ecb";
  if (!useNode(name)) return (block) => aesCbcEncrypt(key, new Uint8Array(16), block.subarray(0, 16));
  const c = nodeCrypto.createCipheriv(name, key, null).setAutoPadding(false);
  return (block) => u8(c.update(block.subarray(0, 16)));
}

/**
 * The raw ChaCha20 stream (RFC 8439 §2.4) XORed over `data`, starting at block `counter` of `nonce` (12 bytes):
 * QUIC's header protection for ChaCha20-Poly1305 (RFC 9001 §5.4.4).
 */
export function chacha20Xor(key: Uint8Array, counter: number, nonce: Uint8Array, data: Uint8Array): Uint8Array {
  if (useNode("chacha20")) {
    // OpenSSL's "chacha20" takes a 16-byte IV: the 32-bit block counter (little-endian), then the nonce.
    const iv = new Uint8Array(16);
    new DataView(iv.buffer).setUint32(0, counter >>> 0, true);
    iv.set(nonce.subarray(0, 12), 4);
    const c = nodeCrypto.createCipheriv("chacha20", key, iv);
    return u8(Buffer.concat([c.update(data), c.final()]));
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the fallback loads like the others (above)
  return (chachaLib ??= require("@noble/ciphers/chacha.js") as typeof NobleChacha).chacha20(key, nonce, data, undefined, counter >>> 0);
}

/** The noble implementations, for tests that cross-check the node:crypto path against an independent one. */
export const nobleCiphers = {
  aeadSeal: (alg: AeadAlg, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): Uint8Array => nobleAead(alg, key, nonce, aad).encrypt(pt),
  cbcEncrypt: (key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array => cbc(key, iv, { disablePadding: true }).encrypt(data),
};

// ---------------------------------------------------------------- randomness

/** A source of random bytes: returns `n` fresh bytes. */
export type Rng = (n: number) => Uint8Array;

export function randomBytes(n: number, rng?: Rng): Uint8Array {
  if (rng) return rng(n);
  return new Uint8Array(nodeCrypto.randomBytes(n));
}

/**
 * A deterministic byte stream from a seed (for `--seed`): HMAC-SHA256(SHA-256(seed), counter) blocks. Not for
 * real secrets; its purpose is reproducible simulations.
 */
export function seededRng(seed: string): Rng {
  const key = nobleSha256(new TextEncoder().encode(seed));
  let counter = 0n;
  let pool = new Uint8Array(0);
  return (n: number) => {
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      if (pool.length === 0) {
        const c = new Uint8Array(8);
        new DataView(c.buffer).setBigUint64(0, counter++);
        pool = nobleHmac(nobleSha256, key, c);
      }
      const take = Math.min(pool.length, n - o);
      out.set(pool.subarray(0, take), o);
      pool = pool.subarray(take);
      o += take;
    }
    return out;
  };
}

/** Equality whose running time depends only on the lengths (for MACs, Finished, padding). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

// ---------------------------------------------------------------- (EC)DH

export type EcGroup = "x25519" | "x448" | "secp256r1" | "secp384r1" | "secp521r1";

/** Named group code points (RFC 8446 §4.2.7) of the groups above. */
export const EC_GROUP_CODES: Record<EcGroup, number> = { x25519: 29, x448: 30, secp256r1: 23, secp384r1: 24, secp521r1: 25 };

export function ecGroupByCode(code: number): EcGroup | undefined {
  return (Object.keys(EC_GROUP_CODES) as EcGroup[]).find((g) => EC_GROUP_CODES[g] === code);
}

export interface KeyPair {
  privateKey: Uint8Array;
  /** As carried in a key share / ServerKeyExchange: X25519 32 bytes; P-256/P-384 uncompressed (04 || x || y). */
  publicKey: Uint8Array;
}

const NIST = { secp256r1: p256, secp384r1: p384, secp521r1: p521 } as const;
/** Uncompressed point lengths (04 || x || y, RFC 8446 §4.2.8.2). */
const POINT_LENGTH = { secp256r1: 65, secp384r1: 97, secp521r1: 133 } as const;
/** Seed bytes for an unbiased scalar: the order's length plus half again (FIPS 186-5 A.2.1). */
const SEED_LENGTH = { secp256r1: 48, secp384r1: 72, secp521r1: 99 } as const;

export function ecPublicKey(group: EcGroup, privateKey: Uint8Array): Uint8Array {
  if (group === "x25519") return x25519.getPublicKey(privateKey);
  if (group === "x448") return x448.getPublicKey(privateKey);
  return NIST[group].getPublicKey(privateKey, false);
}

export function ecKeyPair(group: EcGroup, rng?: Rng): KeyPair {
  let privateKey: Uint8Array;
  if (group === "x25519") privateKey = randomBytes(32, rng);
  else if (group === "x448") privateKey = randomBytes(56, rng);
  // randomSecretKey reduces a longer seed into [1, n-1] without bias (FIPS 186-5 A.2.1).
  else privateKey = NIST[group].utils.randomSecretKey(randomBytes(SEED_LENGTH[group], rng));
  return { privateKey, publicKey: ecPublicKey(group, privateKey) };
}

/**
 * The (EC)DHE shared secret: X25519 output (RFC 7748 §6.1; an all-zero result is refused, RFC 8446 §7.4.2), or
 * for NIST curves the x-coordinate of the shared point (RFC 8446 §7.4.2, RFC 4492 §5.10). Throws on an invalid
 * peer key.
 */
export function ecdh(group: EcGroup, privateKey: Uint8Array, peerPublic: Uint8Array): Uint8Array {
  if (group === "x25519") {
    if (peerPublic.length !== 32) throw new Error("X25519 key share must be 32 bytes");
    let z: Uint8Array;
    try {
      z = x25519.getSharedSecret(privateKey, peerPublic);
    } catch {
      z = new Uint8Array(32); // noble refuses the all-zero result itself
    }
    if (z.every((b) => b === 0)) throw new Error("X25519 shared secret is all zero (low-order peer key)");
    return z;
  }
  if (group === "x448") {
    // RFC 7748 §6.2 / RFC 8446 §7.4.2: 56 bytes; an all-zero result is refused as for X25519.
    if (peerPublic.length !== 56) throw new Error("X448 key share must be 56 bytes");
    let z: Uint8Array;
    try {
      z = x448.getSharedSecret(privateKey, peerPublic);
    } catch {
      z = new Uint8Array(56);
    }
    if (z.every((b) => b === 0)) throw new Error("X448 shared secret is all zero (low-order peer key)");
    return z;
  }
  const curve = NIST[group];
  const len = POINT_LENGTH[group];
  if (peerPublic.length !== len || peerPublic[0] !== 4) throw new Error(`${group} key share must be an uncompressed point`);
  let point: Uint8Array;
  try {
    point = curve.getSharedSecret(privateKey, peerPublic, true);
  } catch {
    throw new Error(`${group} key share is not a point on the curve`);
  }
  return point.subarray(1);
}

// ---------------------------------------------------------------- finite-field DH

const toBig = (b: Uint8Array): bigint => (b.length ? BigInt("0x" + Buffer.from(b).toString("hex")) : 0n);

function fromBig(n: bigint, length?: number): Uint8Array {
  let h = n.toString(16);
  if (h.length % 2) h = "0" + h;
  const raw = Uint8Array.from(Buffer.from(h, "hex"));
  if (length === undefined || raw.length >= length) return raw;
  const out = new Uint8Array(length);
  out.set(raw, length - raw.length);
  return out;
}

/** base^exp mod m by square-and-multiply (finite-field DH here, RSA in cryptoExtra.ts). */
export function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

/**
 * A finite-field DH key pair for group (p, g): a 256-bit private exponent (enough for ffdhe2048–4096 per
 * RFC 7919 §5.2's guidance of twice the security level) and Y = g^x mod p, left-padded to p's length.
 */
export function dhKeyPair(p: Uint8Array, g: Uint8Array, rng?: Rng): KeyPair {
  const P = toBig(p);
  let x = toBig(randomBytes(32, rng));
  if (x < 2n) x += 2n;
  return { privateKey: fromBig(x, 32), publicKey: fromBig(modPow(toBig(g), x, P), p.length) };
}

/**
 * Z = Y_peer^x mod p. TLS 1.2 strips Z's leading zero bytes (RFC 5246 §8.1.2); TLS 1.3 keeps it padded to p's
 * length (RFC 8446 §7.4.1): pass `padded`. Throws on a peer value outside [2, p-2] (RFC 7919 §5.1).
 */
export function dhSharedSecret(p: Uint8Array, privateKey: Uint8Array, peerPublic: Uint8Array, padded = false): Uint8Array {
  const P = toBig(p);
  const Y = toBig(peerPublic);
  if (Y < 2n || Y > P - 2n) throw new Error("DH public value out of range");
  const z = modPow(Y, toBig(privateKey), P);
  return padded ? fromBig(z, p.length) : fromBig(z);
}

// ---------------------------------------------------------------- signatures

export type SigHash = HashName;
export type EcdsaCurve = "secp256r1" | "secp384r1" | "secp521r1";

/**
 * ECDSA signature over `message` hashed with `hash` (the TLS signature scheme names the hash, not the curve),
 * DER-encoded as TLS carries it (RFC 8446 §4.2.3, RFC 4492 §5.4). Deterministic k (RFC 6979).
 */
export function ecdsaSign(curve: EcdsaCurve, hash: SigHash, privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return NIST[curve].sign(hashOf(hash, message), privateKey, { prehash: false, format: "der", lowS: false });
}

export function ecdsaVerify(curve: EcdsaCurve, hash: SigHash, publicKey: Uint8Array, message: Uint8Array, derSignature: Uint8Array): boolean {
  try {
    return NIST[curve].verify(derSignature, hashOf(hash, message), publicKey, { prehash: false, format: "der", lowS: false });
  } catch {
    return false;
  }
}

export function ed25519KeyPair(rng?: Rng): KeyPair {
  const privateKey = randomBytes(32, rng);
  return { privateKey, publicKey: ed25519.getPublicKey(privateKey) };
}

export function ed25519Sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, privateKey);
}

export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

export function ed448Sign(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed448.sign(message, privateKey);
}

export function ed448Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return ed448.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

export const ed25519PublicKey = (privateKey: Uint8Array): Uint8Array => ed25519.getPublicKey(privateKey);
export const ed448PublicKey = (privateKey: Uint8Array): Uint8Array => ed448.getPublicKey(privateKey);

/** A private key as PEM (PKCS#1 or PKCS#8), or an already parsed key. */
export type PrivateKeyInput = string | nodeCrypto.KeyObject;
/** A public key as PEM, as SubjectPublicKeyInfo DER (from a certificate), or a parsed key. */
export type PublicKeyInput = string | Uint8Array | nodeCrypto.KeyObject;

function privateKeyObject(k: PrivateKeyInput): nodeCrypto.KeyObject {
  return typeof k === "string" ? nodeCrypto.createPrivateKey(k) : k;
}

function publicKeyObject(k: PublicKeyInput): nodeCrypto.KeyObject {
  if (typeof k === "string") return nodeCrypto.createPublicKey(k);
  if (k instanceof Uint8Array) return nodeCrypto.createPublicKey({ key: Buffer.from(k), format: "der", type: "spki" });
  return k;
}

const nodeHash = (h: SigHash): string => NODE_HASH[h];

/** RSASSA-PKCS1-v1_5 (TLS 1.2 signatures; RFC 8446 only for certificates). */
export function rsaPkcs1Sign(key: PrivateKeyInput, hash: SigHash, message: Uint8Array): Uint8Array {
  return new Uint8Array(nodeCrypto.sign(nodeHash(hash), message, { key: privateKeyObject(key), padding: nodeCrypto.constants.RSA_PKCS1_PADDING }));
}

export function rsaPkcs1Verify(key: PublicKeyInput, hash: SigHash, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return nodeCrypto.verify(nodeHash(hash), message, { key: publicKeyObject(key), padding: nodeCrypto.constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}

/** MGF1 (RFC 8017 §B.2.1) with the given hash. */
export function mgf1(h: SigHash, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const c = new Uint8Array(seed.length + 4);
  c.set(seed);
  for (let counter = 0, o = 0; o < length; counter++) {
    new DataView(c.buffer).setUint32(seed.length, counter);
    const block = hashOf(h, c);
    out.set(block.subarray(0, Math.min(block.length, length - o)), o);
    o += block.length;
  }
  return out;
}

/**
 * RSASSA-PSS with MGF1 of the same hash and salt length = hash length (RFC 8446 §4.2.3). With an `rng`, the
 * salt comes from it and EMSA-PSS (RFC 8017 §9.1.1) is encoded here, signed as a raw RSA operation, so a seeded
 * simulation is reproducible; otherwise node:crypto does it all.
 */
export function rsaPssSign(key: PrivateKeyInput, hash: SigHash, message: Uint8Array, rng?: Rng): Uint8Array {
  const k = privateKeyObject(key);
  if (!rng) {
    return new Uint8Array(
      nodeCrypto.sign(nodeHash(hash), message, { key: k, padding: nodeCrypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: hashLength(hash) }),
    );
  }
  const modBits = k.asymmetricKeyDetails?.modulusLength ?? 2048;
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = hashLength(hash);
  const salt = rng(hLen);
  const mPrime = new Uint8Array(8 + hLen + hLen);
  mPrime.set(hashOf(hash, message), 8);
  mPrime.set(salt, 8 + hLen);
  const H = hashOf(hash, mPrime);
  const db = new Uint8Array(emLen - hLen - 1);
  db[db.length - hLen - 1] = 1;
  db.set(salt, db.length - hLen);
  const mask = mgf1(hash, H, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  const em = new Uint8Array(Math.ceil(modBits / 8));
  em.set(db, em.length - emLen);
  em.set(H, em.length - 1 - hLen);
  em[em.length - 1] = 0xbc;
  return new Uint8Array(nodeCrypto.privateEncrypt({ key: k, padding: nodeCrypto.constants.RSA_NO_PADDING }, em));
}

export function rsaPssVerify(key: PublicKeyInput, hash: SigHash, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return nodeCrypto.verify(
      nodeHash(hash),
      message,
      { key: publicKeyObject(key), padding: nodeCrypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: hashLength(hash) },
      signature,
    );
  } catch {
    return false;
  }
}

/** RSA modulus length in bytes. */
export function rsaModulusBytes(key: PrivateKeyInput | PublicKeyInput): number {
  const k = key instanceof nodeCrypto.KeyObject ? key : typeof key === "string" && key.includes("PRIVATE KEY") ? privateKeyObject(key) : publicKeyObject(key);
  return Math.ceil((k.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
}

/** RSAES-PKCS1-v1_5 encryption (the client's side of RSA key transport, RFC 5246 §7.4.7.1). */
export function rsaPkcs1Encrypt(key: PublicKeyInput, data: Uint8Array): Uint8Array {
  return new Uint8Array(nodeCrypto.publicEncrypt({ key: publicKeyObject(key), padding: nodeCrypto.constants.RSA_PKCS1_PADDING }, data));
}

/**
 * The raw RSA private operation m = c^d mod n, left-padded to the modulus length. Node 20 refuses PKCS#1 v1.5
 * decryption padding (CVE-2023-46809, the Marvin attack), so the caller checks 00 02 … 00 itself.
 */
export function rsaRawDecrypt(key: PrivateKeyInput, data: Uint8Array): Uint8Array {
  return new Uint8Array(nodeCrypto.privateDecrypt({ key: privateKeyObject(key), padding: nodeCrypto.constants.RSA_NO_PADDING }, data));
}

/** An EC private key (PEM) as a raw scalar, for the noble ECDSA functions. */
export function ecPrivateKeyFromPem(pem: string): { curve: EcdsaCurve; privateKey: Uint8Array } {
  const k = nodeCrypto.createPrivateKey(pem);
  const jwk = k.export({ format: "jwk" });
  const curve = jwk.crv === "P-256" ? "secp256r1" : jwk.crv === "P-384" ? "secp384r1" : jwk.crv === "P-521" ? "secp521r1" : null;
  if (!curve || !jwk.d) throw new Error(`not a P-256/P-384/P-521 private key (${jwk.crv ?? k.asymmetricKeyType})`);
  return { curve, privateKey: new Uint8Array(Buffer.from(jwk.d, "base64url")) };
}

// ---------------------------------------------------------------- ML-KEM (FIPS 203)

export type MlKemParams = "ML-KEM-768" | "ML-KEM-1024";

// @noble/post-quantum takes ~15 ms to load: loaded on first use, so runs without a hybrid group never pay for it.
let mlKemLib: typeof NobleMlKem | undefined;
function mlKem(p: MlKemParams) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not at start-up (see above)
  mlKemLib ??= require("@noble/post-quantum/ml-kem.js") as typeof NobleMlKem;
  return p === "ML-KEM-768" ? mlKemLib.ml_kem768 : mlKemLib.ml_kem1024;
}

/** Encapsulation key and ciphertext sizes (FIPS 203 §8, Table 3). */
export const ML_KEM_SIZES: Record<MlKemParams, { encapsulationKey: number; ciphertext: number }> = {
  "ML-KEM-768": { encapsulationKey: 1184, ciphertext: 1088 },
  "ML-KEM-1024": { encapsulationKey: 1568, ciphertext: 1568 },
};

export interface MlKemKeyPair {
  /** The 64-byte seed d ‖ z (FIPS 203 Algorithm 19): a complete form of the private key. */
  seed: Uint8Array;
  encapsulationKey: Uint8Array;
  decapsulationKey: Uint8Array;
}

/** ML-KEM.KeyGen from 64 bytes of randomness (FIPS 203 §7.1, Algorithm 19). */
export function mlKemKeyPair(params: MlKemParams, rng?: Rng): MlKemKeyPair {
  const seed = randomBytes(64, rng);
  const k = mlKem(params).keygen(seed);
  return { seed, encapsulationKey: k.publicKey, decapsulationKey: k.secretKey };
}

/**
 * ML-KEM.Encaps (FIPS 203 §7.2, Algorithm 20) with the 32-byte message m from `rng`. Throws when the encapsulation
 * key fails the §7.2 input checks (its length, and the modulus check that every coefficient is below q).
 */
export function mlKemEncapsulate(
  params: MlKemParams,
  encapsulationKey: Uint8Array,
  rng?: Rng,
): { m: Uint8Array; ciphertext: Uint8Array; sharedSecret: Uint8Array } {
  const m = randomBytes(32, rng);
  const kem = mlKem(params);
  const want = ML_KEM_SIZES[params].encapsulationKey;
  if (encapsulationKey.length !== want) throw new Error(`${params} encapsulation key must be ${want} bytes`);
  let out: { cipherText: Uint8Array; sharedSecret: Uint8Array };
  try {
    out = kem.encapsulate(encapsulationKey, m);
  } catch {
    throw new Error(`${params} encapsulation key fails the modulus check (FIPS 203 §7.2)`);
  }
  return { m, ciphertext: out.cipherText, sharedSecret: out.sharedSecret };
}

/** ML-KEM.Decaps (FIPS 203 §7.3, Algorithm 21): never fails on a well-sized ciphertext (implicit rejection). */
export function mlKemDecapsulate(params: MlKemParams, decapsulationKey: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const want = ML_KEM_SIZES[params].ciphertext;
  if (ciphertext.length !== want) throw new Error(`${params} ciphertext must be ${want} bytes`);
  return mlKem(params).decapsulate(ciphertext, decapsulationKey);
}

/** A private key read from PEM, in the raw form the engine's signers take. */
export type RawPrivateKey =
  | { type: "ec"; curve: EcdsaCurve; privateKey: Uint8Array; publicKey: Uint8Array }
  | { type: "ed25519" | "ed448"; privateKey: Uint8Array; publicKey: Uint8Array }
  | { type: "rsa"; pss: boolean; jwk: Record<"n" | "e" | "d" | "p" | "q" | "dp" | "dq" | "qi", string> };

const b64u = (s: string | undefined): Uint8Array => new Uint8Array(Buffer.from(s ?? "", "base64url"));

/**
 * Any private key OpenSSL writes (PKCS#8 or the traditional forms; EC P-256/384/521, Ed25519, Ed448, RSA, RSA-PSS).
 * RSA-PSS keys have no JWK form in Node: their PKCS#8 privateKey OCTET STRING holds a plain RSAPrivateKey
 * (RFC 8017 A.1.2, RFC 4055 §3), read back as PKCS#1.
 */
export function privateKeyFromPem(pem: string): RawPrivateKey {
  const k = nodeCrypto.createPrivateKey(pem);
  const type = k.asymmetricKeyType;
  if (type === "ec") {
    const j = k.export({ format: "jwk" });
    const curve = j.crv === "P-256" ? "secp256r1" : j.crv === "P-384" ? "secp384r1" : j.crv === "P-521" ? "secp521r1" : null;
    if (!curve) throw new Error(`unsupported EC curve ${j.crv}`);
    const n = POINT_LENGTH[curve];
    const coord = (s: string | undefined) => {
      const b = b64u(s);
      const out = new Uint8Array((n - 1) / 2);
      out.set(b, out.length - b.length);
      return out;
    };
    const publicKey = new Uint8Array(n);
    publicKey[0] = 4;
    publicKey.set(coord(j.x), 1);
    publicKey.set(coord(j.y), 1 + (n - 1) / 2);
    return { type: "ec", curve, privateKey: b64u(j.d), publicKey };
  }
  if (type === "ed25519" || type === "ed448") {
    const j = k.export({ format: "jwk" });
    return { type, privateKey: b64u(j.d), publicKey: b64u(j.x) };
  }
  if (type === "rsa" || type === "rsa-pss") {
    let rsa = k;
    if (type === "rsa-pss") {
      const der = new Uint8Array(k.export({ format: "der", type: "pkcs8" }));
      rsa = nodeCrypto.createPrivateKey({ key: Buffer.from(pkcs8PrivateKeyOctets(der)), format: "der", type: "pkcs1" });
    }
    const j = rsa.export({ format: "jwk" }) as Record<"n" | "e" | "d" | "p" | "q" | "dp" | "dq" | "qi", string>;
    return { type: "rsa", pss: type === "rsa-pss", jwk: j };
  }
  throw new Error(`unsupported private key type ${type ?? "?"}`);
}

/** PrivateKeyInfo ::= SEQUENCE { version INTEGER, algorithm AlgorithmIdentifier, privateKey OCTET STRING, ... } */
function pkcs8PrivateKeyOctets(der: Uint8Array): Uint8Array {
  const readLen = (at: number): [number, number] => {
    const first = der[at];
    if (first < 0x80) return [first, at + 1];
    let n = 0;
    for (let i = 1; i <= (first & 0x7f); i++) n = n * 256 + der[at + i];
    return [n, at + 1 + (first & 0x7f)];
  };
  let [, at] = readLen(1); // into the outer SEQUENCE
  for (let field = 0; field < 2; field++) {
    const [len, body] = readLen(at + 1); // skip version, then algorithm
    at = body + len;
  }
  if (der[at] !== 0x04) throw new Error("PKCS#8: no privateKey OCTET STRING");
  const [len, body] = readLen(at + 1);
  return der.subarray(body, body + len);
}
