/**
 * Primitives the state machines need that `crypto.ts` does not offer (to be merged into crypto.ts by the lead):
 * RSA key generation from an `Rng` (so a seeded simulation has a reproducible RSA key), RSAES-PKCS1-v1_5
 * encryption with padding from an `Rng` (crypto.ts's uses the OS randomness), the ffdhe2048 group (RFC 7919), and
 * RSA on bigint keys throughout (PKCS#1 v1.5 and PSS signatures, both directions of PKCS#1 v1.5 encryption), so
 * generated keys, fixture keys and keys parsed from certificates share one representation.
 */
import { generateKeyPairSync } from "node:crypto";
import { hashLength, hashOf as hash, mgf1, modPow, type HashName, type Rng } from "./crypto";

export const FFDHE2048_P = BigInt(
  "0xFFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8F681B202AEC4617AD3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797ABC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F619172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005C58EF1837D1683B2C6F34A26C1B2EFFA886B423861285C97FFFFFFFFFFFFFFFF",
);
export const FFDHE2048_G = 2n;

export function bytesToBig(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}
export function bigToBytes(v: bigint, length?: number): Uint8Array {
  let hex = v.toString(16);
  if (hex.length % 2) hex = "0" + hex;
  const raw = Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
  if (length === undefined || raw.length === length) return raw;
  if (raw.length > length) throw new RangeError("integer too large");
  const out = new Uint8Array(length);
  out.set(raw, length - raw.length);
  return out;
}
export { modPow };

/** Finite-field group ffdhe2048 as byte strings (for crypto.ts's dhKeyPair). */
export const FFDHE2048 = { p: bigToBytes(FFDHE2048_P), g: new Uint8Array([2]) };

// ---- RSA (RFC 8017): keys as bigints; PKCS#1 v1.5 signatures and encryption, PSS signatures.

export interface RsaPublicKey {
  n: bigint;
  e: bigint;
}
export interface RsaPrivateKey extends RsaPublicKey {
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qi: bigint;
}

const SMALL_PRIMES: number[] = (() => {
  const out: number[] = [];
  for (let n = 3; out.length < 300; n += 2) if (out.every((p) => n % p !== 0)) out.push(n);
  return out;
})();

function isProbablePrime(n: bigint, rng: Rng): boolean {
  for (const p of SMALL_PRIMES) if (n % BigInt(p) === 0n) return n === BigInt(p);
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  const bytes = Math.ceil(n.toString(16).length / 2);
  // FIPS 186-5 Table B.1: a few Miller-Rabin rounds suffice for random 1024-bit candidates.
  for (let round = 0; round < 8; round++) {
    const a = (bytesToBig(rng(bytes)) % (n - 3n)) + 2n;
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < s; i++) {
      x = (x * x) % n;
      if (x === n - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

function randomPrime(bits: number, e: bigint, rng: Rng): bigint {
  for (let attempt = 0; attempt < 100000; attempt++) {
    let c = bytesToBig(rng(bits / 8));
    // Top two bits set so p·q has exactly 2·bits bits; odd.
    c |= (3n << BigInt(bits - 2)) | 1n;
    if (isProbablePrime(c, rng) && gcd((c - 1n) % e, e) === 1n) return c;
  }
  throw new Error("no prime found");
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}
function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

function b64uToBig(s: string): bigint {
  return bytesToBig(new Uint8Array(Buffer.from(s, "base64url")));
}

/** A fresh RSA key: from the rng (deterministic, pure bigint) when seeded, else from node:crypto. */
export function rsaGenerate(bits: number, rng?: Rng): RsaPrivateKey {
  const e = 65537n;
  if (!rng) {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent: 65537 });
    const j = privateKey.export({ format: "jwk" }) as Record<string, string>;
    return {
      n: b64uToBig(j.n),
      e: b64uToBig(j.e),
      d: b64uToBig(j.d),
      p: b64uToBig(j.p),
      q: b64uToBig(j.q),
      dp: b64uToBig(j.dp),
      dq: b64uToBig(j.dq),
      qi: b64uToBig(j.qi),
    };
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    const p = randomPrime(bits / 2, e, rng);
    const q = randomPrime(bits / 2, e, rng);
    if (p === q) continue;
    const n = p * q;
    const d = modInverse(e, (p - 1n) * (q - 1n));
    return { n, e, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qi: modInverse(q, p) };
  }
  throw new Error("RSA key generation failed");
}

export function rsaModulusLength(k: RsaPublicKey): number {
  return Math.ceil(k.n.toString(16).length / 2);
}

/** RSADP with CRT (RFC 8017 §5.1.2). */
function rsaPrivateOp(k: RsaPrivateKey, c: bigint): bigint {
  const m1 = modPow(c, k.dp, k.p);
  const m2 = modPow(c, k.dq, k.q);
  const h = (k.qi * (((m1 - m2) % k.p) + k.p)) % k.p;
  return m2 + h * k.q;
}

const DIGEST_INFO: Record<HashName, string> = {
  SHA1: "3021300906052b0e03021a05000414",
  SHA256: "3031300d060960864801650304020105000420",
  SHA384: "3041300d060960864801650304020205000430",
  SHA512: "3051300d060960864801650304020305000440",
};
const hexBytes = (h: string) => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2). */
function emsaPkcs1(hashName: HashName, message: Uint8Array, k: number): Uint8Array {
  const t = new Uint8Array([...hexBytes(DIGEST_INFO[hashName]), ...hash(hashName, message)]);
  const em = new Uint8Array(k).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[k - t.length - 1] = 0;
  em.set(t, k - t.length);
  return em;
}

export function rsaPkcs1Sign(key: RsaPrivateKey, hashName: HashName, message: Uint8Array): Uint8Array {
  const k = rsaModulusLength(key);
  return bigToBytes(rsaPrivateOp(key, bytesToBig(emsaPkcs1(hashName, message, k))), k);
}

export function rsaPkcs1Verify(key: RsaPublicKey, hashName: HashName, message: Uint8Array, signature: Uint8Array): boolean {
  const k = rsaModulusLength(key);
  const s = bytesToBig(signature);
  if (signature.length !== k || s >= key.n) return false;
  const em = bigToBytes(modPow(s, key.e, key.n), k);
  const expected = emsaPkcs1(hashName, message, k);
  return em.length === expected.length && em.every((b, i) => b === expected[i]);
}

/** RSASSA-PSS with MGF1 of the same hash and a salt as long as the hash (RFC 8446 §4.2.3). */
export function rsaPssSign(key: RsaPrivateKey, hashName: HashName, message: Uint8Array, rng: Rng): Uint8Array {
  const k = rsaModulusLength(key);
  const emBits = key.n.toString(2).length - 1;
  const emLen = Math.ceil(emBits / 8);
  const hl = hashLength(hashName);
  const mHash = hash(hashName, message);
  const salt = rng(hl);
  const h = hash(hashName, new Uint8Array([...new Uint8Array(8), ...mHash, ...salt]));
  const db = new Uint8Array(emLen - hl - 1);
  db[db.length - hl - 1] = 1;
  db.set(salt, db.length - hl);
  const mask = mgf1(hashName, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  const em = new Uint8Array([...db, ...h, 0xbc]);
  return bigToBytes(rsaPrivateOp(key, bytesToBig(em)), k);
}

export function rsaPssVerify(key: RsaPublicKey, hashName: HashName, message: Uint8Array, signature: Uint8Array): boolean {
  const k = rsaModulusLength(key);
  const s = bytesToBig(signature);
  if (signature.length !== k || s >= key.n) return false;
  const emBits = key.n.toString(2).length - 1;
  const emLen = Math.ceil(emBits / 8);
  const hl = hashLength(hashName);
  let em: Uint8Array;
  try {
    em = bigToBytes(modPow(s, key.e, key.n), emLen);
  } catch {
    return false;
  }
  if (em[emLen - 1] !== 0xbc || emLen < 2 * hl + 2) return false;
  const db = em.slice(0, emLen - hl - 1);
  const h = em.subarray(emLen - hl - 1, emLen - 1);
  if (db[0] & ~(0xff >> (8 * emLen - emBits)) & 0xff) return false;
  const mask = mgf1(hashName, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  const ps = db.length - hl - 1;
  for (let i = 0; i < ps; i++) if (db[i] !== 0) return false;
  if (db[ps] !== 1) return false;
  const salt = db.subarray(ps + 1);
  const h2 = hash(hashName, new Uint8Array([...new Uint8Array(8), ...hash(hashName, message), ...salt]));
  return h2.every((b, i) => b === h[i]);
}

/** RSAES-PKCS1-v1_5 encryption (RFC 8017 §7.2.1): nonzero random padding from the rng. */
export function rsaEncryptPkcs1(key: RsaPublicKey, message: Uint8Array, rng: Rng): Uint8Array {
  const k = rsaModulusLength(key);
  const psLen = k - message.length - 3;
  const ps = new Uint8Array(psLen);
  for (let i = 0; i < psLen; i++) {
    let b = 0;
    for (let t = 0; t < 64 && b === 0; t++) b = rng(1)[0];
    ps[i] = b || 1;
  }
  const em = new Uint8Array([0, 2, ...ps, 0, ...message]);
  return bigToBytes(modPow(bytesToBig(em), key.e, key.n), k);
}

/** RSAES-PKCS1-v1_5 decryption; null on a padding error (the caller applies RFC 5246 §7.4.7.1's countermeasure). */
export function rsaDecryptPkcs1(key: RsaPrivateKey, ciphertext: Uint8Array): Uint8Array | null {
  const k = rsaModulusLength(key);
  const c = bytesToBig(ciphertext);
  if (ciphertext.length !== k || c >= key.n) return null;
  const em = bigToBytes(rsaPrivateOp(key, c), k);
  if (em[0] !== 0 || em[1] !== 2) return null;
  const sep = em.indexOf(0, 2);
  if (sep < 10) return null;
  return em.slice(sep + 1);
}
