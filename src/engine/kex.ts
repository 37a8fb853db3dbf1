/**
 * Key exchange groups by code point (RFC 8446 §4.2.7): X25519 and X448 (RFC 7748), secp256r1/384r1/521r1 (ECDHE)
 * and the RFC 7919 finite-field groups ffdhe2048–8192. Key shares are encoded as the wire carries them (RFC 8446
 * §4.2.8.1–2).
 */
import { ecGroupByCode, ecKeyPair, ecdh, type KeyPair } from "./crypto/ec";
import { dhKeyPair, dhSharedSecret, ffdheGroup } from "./crypto/ffdh";
import type { Rng } from "./crypto/random";
import { hybridLayout } from "./hybridKex";

export const GROUP_NAMES: Record<number, string> = {
  29: "x25519",
  30: "x448",
  23: "secp256r1",
  24: "secp384r1",
  25: "secp521r1",
  256: "ffdhe2048",
  257: "ffdhe3072",
  258: "ffdhe4096",
  259: "ffdhe6144",
  260: "ffdhe8192",
};

export function groupName(g: number): string {
  return GROUP_NAMES[g] ?? hybridLayout(g)?.name ?? `0x${g.toString(16).padStart(4, "0")}`;
}

export function isSupportedGroup(g: number): boolean {
  return g in GROUP_NAMES || hybridLayout(g) !== undefined;
}

/** Groups usable in TLS 1.2's ServerKeyExchange: the hybrids are TLS 1.3 only (draft-ietf-tls-ecdhe-mlkem §1). */
export function isSupportedGroup12(g: number): boolean {
  return g in GROUP_NAMES;
}

export function keyPairFor(group: number, rng: Rng): KeyPair {
  const ec = ecGroupByCode(group);
  if (ec) return ecKeyPair(ec, rng);
  const ff = ffdheGroup(group);
  if (ff) return dhKeyPair(ff.p, ff.g, rng);
  throw new Error(`unsupported group ${groupName(group)}`);
}

/**
 * The shared secret. Finite-field: TLS 1.3 keeps it padded to p's length (RFC 8446 §7.4.1), TLS 1.2 strips the
 * leading zeros (RFC 5246 §8.1.2). Throws on an invalid peer share.
 */
export function sharedSecretFor(group: number, privateKey: Uint8Array, peer: Uint8Array, tls13: boolean): Uint8Array {
  const ec = ecGroupByCode(group);
  if (ec) return ecdh(ec, privateKey, peer);
  const ff = ffdheGroup(group);
  if (ff) {
    // RFC 8446 §4.2.8.1: the share is Y left-padded to the size of p.
    if (peer.length !== ff.p.length) throw new Error(`${groupName(group)} share must be ${ff.p.length} bytes`);
    return dhSharedSecret(ff.p, privateKey, peer, tls13);
  }
  throw new Error(`unsupported group ${groupName(group)}`);
}
