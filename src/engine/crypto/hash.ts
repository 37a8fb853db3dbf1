/**
 * Hashes, HMAC (RFC 2104) and HKDF (RFC 5869): the transcript hash, the TLS 1.2 PRF's and the TLS 1.3 key
 * schedule's building blocks.
 *
 * On node:crypto where it has the hash (OpenSSL's digests and HMAC are several times noble's speed: a decrypted
 * capture hashes two transcripts per connection, QUIC derives Initial keys for every connection, RFC 9001 §5.2),
 * noble elsewhere; the two give the same bytes. The incremental hash stays on noble: its state can be cloned
 * (a transcript hash is read at many points and keeps growing).
 */
import * as nodeCrypto from "node:crypto";
import { md5 as nobleMd5, sha1 as nobleSha1 } from "@noble/hashes/legacy.js";
import { sha256 as nobleSha256, sha384 as nobleSha384, sha512 as nobleSha512 } from "@noble/hashes/sha2.js";
import { hmac as nobleHmac } from "@noble/hashes/hmac.js";
import { expand as nobleExpand, extract as nobleExtract } from "@noble/hashes/hkdf.js";
import { u8 } from "./lazy";

/** SHA-512 only signs (ecdsa_secp521r1_sha512, rsa_*_sha512); no TLS suite uses it as its PRF or HKDF hash. */
export type HashName = "SHA1" | "SHA256" | "SHA384" | "SHA512";

const HASHES = { SHA1: nobleSha1, SHA256: nobleSha256, SHA384: nobleSha384, SHA512: nobleSha512 } as const;
const NODE_HASH: Record<HashName, string> = { SHA1: "sha1", SHA256: "sha256", SHA384: "sha384", SHA512: "sha512" };
const nodeHashes = new Set(nodeCrypto.getHashes());

export function hashLength(h: HashName): number {
  return h === "SHA1" ? 20 : h === "SHA256" ? 32 : h === "SHA384" ? 48 : 64;
}

export function hashOf(h: HashName, data: Uint8Array): Uint8Array {
  if (nodeHashes.has(NODE_HASH[h])) return u8(nodeCrypto.createHash(NODE_HASH[h]).update(data).digest());
  return HASHES[h](data);
}

/** MD5 only for the TLS 1.0/1.1 PRF and Finished hash (RFC 2246 §5, §7.4.9), never as a signature or suite hash. */
export const md5 = (data: Uint8Array): Uint8Array => nobleMd5(data);
export const hmacMd5 = (key: Uint8Array, data: Uint8Array): Uint8Array => nobleHmac(nobleMd5, key, data);

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

function nodeHmac(h: HashName, key: Uint8Array, ...data: Uint8Array[]): Uint8Array {
  const m = nodeCrypto.createHmac(NODE_HASH[h], key);
  for (const d of data) m.update(d);
  return u8(m.digest());
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

/** Equality whose running time depends only on the lengths (for MACs, Finished, padding). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
