/**
 * Key exchange groups by code point (RFC 8446 §4.2.7): X25519, secp256r1, secp384r1 (ECDHE) and ffdhe2048
 * (RFC 7919). Key shares are encoded as the wire carries them (RFC 8446 §4.2.8.1–2).
 */
import { dhKeyPair, dhSharedSecret, ecGroupByCode, ecKeyPair, ecdh, type KeyPair, type Rng } from "./crypto";
import { FFDHE2048 } from "./cryptoExtra";
import { hybridLayout } from "./hybridKex";

export const GROUP_NAMES: Record<number, string> = { 29: "x25519", 23: "secp256r1", 24: "secp384r1", 256: "ffdhe2048" };

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
  if (group === 256) return dhKeyPair(FFDHE2048.p, FFDHE2048.g, rng);
  throw new Error(`unsupported group ${groupName(group)}`);
}

/**
 * The shared secret. Finite-field: TLS 1.3 keeps it padded to p's length (RFC 8446 §7.4.1), TLS 1.2 strips the
 * leading zeros (RFC 5246 §8.1.2). Throws on an invalid peer share.
 */
export function sharedSecretFor(group: number, privateKey: Uint8Array, peer: Uint8Array, tls13: boolean): Uint8Array {
  const ec = ecGroupByCode(group);
  if (ec) return ecdh(ec, privateKey, peer);
  if (group === 256) {
    if (peer.length !== FFDHE2048.p.length) throw new Error(`ffdhe2048 share must be ${FFDHE2048.p.length} bytes`);
    return dhSharedSecret(FFDHE2048.p, privateKey, peer, tls13);
  }
  throw new Error(`unsupported group ${groupName(group)}`);
}
