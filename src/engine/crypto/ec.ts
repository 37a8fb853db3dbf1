/**
 * Elliptic curves: ECDH with X25519/X448 (RFC 7748) and the NIST curves (RFC 8446 §7.4.2), ECDSA (RFC 8446 §4.2.3,
 * RFC 4492 §5.4) and EdDSA (RFC 8032), all on @noble/curves.
 */
import { ed25519, x25519 } from "@noble/curves/ed25519.js";
import { ed448, x448 } from "@noble/curves/ed448.js";
import { p256, p384, p521 } from "@noble/curves/nist.js";
import { NamedGroup } from "../../tls/registry";
import { hashOf, type HashName } from "./hash";
import { randomBytes, type Rng } from "./random";

export type EcGroup = "x25519" | "x448" | "secp256r1" | "secp384r1" | "secp521r1";
export type EcdsaCurve = "secp256r1" | "secp384r1" | "secp521r1";

/** Named group code points (RFC 8446 §4.2.7) of the groups above. */
const EC_GROUP_CODES: Record<EcGroup, number> = {
  x25519: NamedGroup.x25519,
  x448: NamedGroup.x448,
  secp256r1: NamedGroup.secp256r1,
  secp384r1: NamedGroup.secp384r1,
  secp521r1: NamedGroup.secp521r1,
};

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
export const POINT_LENGTH = { secp256r1: 65, secp384r1: 97, secp521r1: 133 } as const;
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

/**
 * ECDSA signature over `message` hashed with `hash` (the TLS signature scheme names the hash, not the curve),
 * DER-encoded as TLS carries it (RFC 8446 §4.2.3, RFC 4492 §5.4). Deterministic k (RFC 6979).
 */
export function ecdsaSign(curve: EcdsaCurve, hash: HashName, privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return NIST[curve].sign(hashOf(hash, message), privateKey, { prehash: false, format: "der", lowS: false });
}

export function ecdsaVerify(curve: EcdsaCurve, hash: HashName, publicKey: Uint8Array, message: Uint8Array, derSignature: Uint8Array): boolean {
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
