/**
 * RSA (RFC 8017), the engine's one implementation: keys as bigints whatever their origin (generated from a seed,
 * read from PEM, taken from a certificate), PKCS#1 v1.5 and PSS signatures, PKCS#1 v1.5 encryption.
 *
 * The paddings (EMSA-PKCS1-v1_5, EMSA-PSS, EME-PKCS1-v1_5) are encoded here, so their randomness (the PSS salt, the
 * encryption padding) comes from the caller's `Rng` and a seeded simulation is reproducible. The private
 * operation RSADP/RSASP1 (m = c^d mod n) runs in node:crypto on a key object made once per key: OpenSSL blinds it
 * and is an order of magnitude faster than bigint arithmetic (a 2048-bit operation: ~1 ms against ~14 ms). The
 * public operation (e = 65537) is a handful of bigint multiplications.
 */
import * as nodeCrypto from "node:crypto";
import { bigToBytes, bytesToBig, gcd, modInverse, modPow } from "./bigint";
import { hashLength, hashOf, type HashName } from "./hash";
import { osRng, type Rng } from "./random";

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

type RsaJwk = Record<"n" | "e" | "d" | "p" | "q" | "dp" | "dq" | "qi", string>;
const JWK_FIELDS = ["n", "e", "d", "p", "q", "dp", "dq", "qi"] as const;

/** A private key from its JWK form (RFC 7518 §6.3.2), as node:crypto exports it. */
export function rsaPrivateKeyFromJwk(j: RsaJwk): RsaPrivateKey {
  const big = (s: string): bigint => BigInt("0x" + (Buffer.from(s, "base64url").toString("hex") || "0"));
  return { n: big(j.n), e: big(j.e), d: big(j.d), p: big(j.p), q: big(j.q), dp: big(j.dp), dq: big(j.dq), qi: big(j.qi) };
}

export function rsaModulusLength(k: RsaPublicKey): number {
  return Math.ceil(k.n.toString(16).length / 2);
}

// ---------------------------------------------------------------- key generation

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

/** A fresh RSA key: from the rng (deterministic, pure bigint) when seeded, else from node:crypto. */
export function rsaGenerate(bits: number, rng?: Rng): RsaPrivateKey {
  const e = 65537n;
  if (!rng) {
    const { privateKey } = nodeCrypto.generateKeyPairSync("rsa", { modulusLength: bits, publicExponent: 65537 });
    return rsaPrivateKeyFromJwk(privateKey.export({ format: "jwk" }) as RsaJwk);
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

// ---------------------------------------------------------------- the two primitives

const nodeKeys = new WeakMap<RsaPrivateKey, nodeCrypto.KeyObject>();

function nodeKey(k: RsaPrivateKey): nodeCrypto.KeyObject {
  let o = nodeKeys.get(k);
  if (!o) {
    const jwk: Record<string, string> = { kty: "RSA" };
    for (const f of JWK_FIELDS) jwk[f] = Buffer.from(bigToBytes(k[f])).toString("base64url");
    nodeKeys.set(k, (o = nodeCrypto.createPrivateKey({ key: jwk, format: "jwk" })));
  }
  return o;
}

/**
 * RSADP / RSASP1 (RFC 8017 §5.1.2, §5.2.1): c^d mod n as modulus-length bytes, for an input of modulus length;
 * null when the input is not below the modulus (the RFC's "ciphertext representative out of range").
 */
export function rsaPrivateOperation(k: RsaPrivateKey, input: Uint8Array): Uint8Array | null {
  if (bytesToBig(input) >= k.n) return null;
  const out = nodeCrypto.privateDecrypt({ key: nodeKey(k), padding: nodeCrypto.constants.RSA_NO_PADDING }, input);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** RSASP1 on an encoded message, which is below the modulus by construction. */
function sign(k: RsaPrivateKey, em: Uint8Array): Uint8Array {
  const s = rsaPrivateOperation(k, em);
  if (!s) throw new Error("RSA: encoded message not below the modulus");
  return s;
}

/** RSAEP / RSAVP1 (RFC 8017 §5.1.1, §5.2.2): s^e mod n as modulus-length bytes; null when out of range. */
function rsaPublicOperation(k: RsaPublicKey, input: Uint8Array): Uint8Array | null {
  const s = bytesToBig(input);
  if (input.length !== rsaModulusLength(k) || s >= k.n) return null;
  return bigToBytes(modPow(s, k.e, k.n), input.length);
}

// ---------------------------------------------------------------- signatures

const DIGEST_INFO: Record<HashName, string> = {
  SHA1: "3021300906052b0e03021a05000414",
  SHA256: "3031300d060960864801650304020105000420",
  SHA384: "3041300d060960864801650304020205000430",
  SHA512: "3051300d060960864801650304020305000440",
};

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2). */
function emsaPkcs1(hash: HashName, message: Uint8Array, k: number): Uint8Array {
  const t = Buffer.concat([Buffer.from(DIGEST_INFO[hash], "hex"), hashOf(hash, message)]);
  const em = new Uint8Array(k).fill(0xff);
  em[0] = 0;
  em[1] = 1;
  em[k - t.length - 1] = 0;
  em.set(t, k - t.length);
  return em;
}

/** RSASSA-PKCS1-v1_5 (TLS 1.2 signatures; RFC 8446 only for certificates). Deterministic. */
export function rsaPkcs1Sign(key: RsaPrivateKey, hash: HashName, message: Uint8Array): Uint8Array {
  return sign(key, emsaPkcs1(hash, message, rsaModulusLength(key)));
}

export function rsaPkcs1Verify(key: RsaPublicKey, hash: HashName, message: Uint8Array, signature: Uint8Array): boolean {
  const em = rsaPublicOperation(key, signature);
  if (!em) return false;
  const expected = emsaPkcs1(hash, message, em.length);
  return em.every((b, i) => b === expected[i]);
}

/** MGF1 (RFC 8017 §B.2.1) with the given hash. */
function mgf1(h: HashName, seed: Uint8Array, length: number): Uint8Array {
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

/** M' = (0x)00 00 00 00 00 00 00 00 || mHash || salt, hashed (RFC 8017 §9.1.1 steps 5–6). */
const pssH = (hash: HashName, message: Uint8Array, salt: Uint8Array) => hashOf(hash, Buffer.concat([new Uint8Array(8), hashOf(hash, message), salt]));

/**
 * RSASSA-PSS with MGF1 of the same hash and a salt as long as the hash (RFC 8446 §4.2.3), the salt from `rng`
 * (EMSA-PSS-ENCODE, RFC 8017 §9.1.1).
 */
export function rsaPssSign(key: RsaPrivateKey, hash: HashName, message: Uint8Array, rng: Rng = osRng): Uint8Array {
  const k = rsaModulusLength(key);
  const emBits = key.n.toString(2).length - 1;
  const emLen = Math.ceil(emBits / 8);
  const hl = hashLength(hash);
  const salt = rng(hl);
  const h = pssH(hash, message, salt);
  const db = new Uint8Array(emLen - hl - 1);
  db[db.length - hl - 1] = 1;
  db.set(salt, db.length - hl);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  const em = new Uint8Array(k);
  em.set(db, k - emLen);
  em.set(h, k - 1 - hl);
  em[k - 1] = 0xbc;
  return sign(key, em);
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with MGF1 of the same hash and a hash-length salt. */
export function rsaPssVerify(key: RsaPublicKey, hash: HashName, message: Uint8Array, signature: Uint8Array): boolean {
  const m = rsaPublicOperation(key, signature);
  if (!m) return false;
  const emBits = key.n.toString(2).length - 1;
  const emLen = Math.ceil(emBits / 8);
  // emLen is the modulus length, or one less when emBits is a multiple of 8: that leading byte must be zero.
  if (m.length > emLen && m[0] !== 0) return false;
  const em = m.subarray(m.length - emLen);
  const hl = hashLength(hash);
  if (em[emLen - 1] !== 0xbc || emLen < 2 * hl + 2) return false;
  const db = em.slice(0, emLen - hl - 1);
  const h = em.subarray(emLen - hl - 1, emLen - 1);
  if (db[0] & ~(0xff >> (8 * emLen - emBits)) & 0xff) return false;
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  const ps = db.length - hl - 1;
  for (let i = 0; i < ps; i++) if (db[i] !== 0) return false;
  if (db[ps] !== 1) return false;
  const h2 = pssH(hash, message, db.subarray(ps + 1));
  return h2.every((b, i) => b === h[i]);
}

// ---------------------------------------------------------------- encryption

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

/**
 * RSAES-PKCS1-v1_5 decryption (RFC 8017 §7.2.2); null on any error. It branches on the padding: where the
 * outcome must not show (a TLS server's premaster), rsaKeyTransport.ts checks the raw result without branching.
 */
export function rsaDecryptPkcs1(key: RsaPrivateKey, ciphertext: Uint8Array): Uint8Array | null {
  if (ciphertext.length !== rsaModulusLength(key)) return null;
  const em = rsaPrivateOperation(key, ciphertext);
  if (!em || em[0] !== 0 || em[1] !== 2) return null;
  const sep = em.indexOf(0, 2);
  if (sep < 10) return null;
  return em.slice(sep + 1);
}
