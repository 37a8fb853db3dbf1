/**
 * TLS 1.3 key exchange with the post-quantum hybrid groups (draft-ietf-tls-ecdhe-mlkem §3.1): ML-KEM is a KEM, not a
 * Diffie-Hellman, so the two sides are not symmetric — the client sends an encapsulation key with its ECDH share,
 * the server encapsulates to it and sends the ciphertext with its own ECDH share, and the client decapsulates. The
 * (EC)DHE input of the key schedule is the concatenation of the two shared secrets, in the group's order.
 *
 * Errors carry the alert the draft prescribes (§3.1.2): a bad encapsulation key, a ciphertext or ECDH share of the
 * wrong size or an invalid ECDH share is illegal_parameter.
 */
import { concatBytes } from "../tls/bytes";
import { hybridLayout, hybridShareParts, type HybridLayout, type HybridSide } from "../tls/registry";
import { ecKeyPair, ecdh } from "./crypto/ec";
import { mlKemDecapsulate, mlKemEncapsulate, mlKemKeyPair } from "./crypto/mlkem";
import type { Rng } from "./crypto/random";

export { hybridLayout, type HybridLayout };

export function isHybridGroup(group: number): boolean {
  return hybridLayout(group) !== undefined;
}

/** A key share's two parts, or an error naming the expected size. */
export function splitShare(layout: HybridLayout, side: HybridSide, share: Uint8Array): { mlkem: Uint8Array; ecdh: Uint8Array } {
  const parts = hybridShareParts(layout, side, share.length);
  if (!parts) {
    const kem = side === "client" ? layout.encapsulationKey : layout.ciphertext;
    throw new Error(`${layout.name} ${side} share must be ${kem + layout.ecdhShare} bytes (${kem} ML-KEM + ${layout.ecdhShare} ECDH), got ${share.length}`);
  }
  const part = (kind: "mlkem" | "ecdh") => {
    const p = parts.find((x) => x.kind === kind)!;
    return share.subarray(p.offset, p.offset + p.length);
  };
  return { mlkem: part("mlkem"), ecdh: part("ecdh") };
}

/** The two parts in the group's order (shares and shared secret alike). */
export function combine(layout: HybridLayout, mlkem: Uint8Array, ecdhPart: Uint8Array): Uint8Array {
  return layout.kemFirst ? concatBytes(mlkem, ecdhPart) : concatBytes(ecdhPart, mlkem);
}

export interface HybridClientShare {
  /** The key_exchange to send. */
  publicKey: Uint8Array;
  /** What the client keeps: the ML-KEM key pair and the ECDH private key. */
  mlkemSeed: Uint8Array;
  decapsulationKey: Uint8Array;
  ecdhPrivateKey: Uint8Array;
}

export function hybridClientShare(layout: HybridLayout, rng?: Rng): HybridClientShare {
  const kem = mlKemKeyPair(layout.kem, rng);
  const ec = ecKeyPair(layout.ecdh, rng);
  return {
    publicKey: combine(layout, kem.encapsulationKey, ec.publicKey),
    mlkemSeed: kem.seed,
    decapsulationKey: kem.decapsulationKey,
    ecdhPrivateKey: ec.privateKey,
  };
}

export interface HybridSecrets {
  mlkemSharedSecret: Uint8Array;
  ecdhSharedSecret: Uint8Array;
  /** The (EC)DHE input of the key schedule (RFC 8446 §7.1). */
  sharedSecret: Uint8Array;
}

export interface HybridServerShare extends HybridSecrets {
  publicKey: Uint8Array;
  /** The encapsulation's random message m (FIPS 203 Algorithm 20) and the server's ECDH private key. */
  mlkemRandomness: Uint8Array;
  ecdhPrivateKey: Uint8Array;
}

/** An error with the alert the draft calls for. */
export class HybridError extends Error {
  constructor(
    message: string,
    readonly alert: "illegal_parameter" | "internal_error",
  ) {
    super(message);
  }
}

function guard<T>(alert: HybridError["alert"], f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof HybridError ? e : new HybridError((e as Error).message, alert);
  }
}

/** The server's side: check and encapsulate to the client's key, its own ECDH share, the combined secret. */
export function hybridServerShare(layout: HybridLayout, clientShare: Uint8Array, rng?: Rng): HybridServerShare {
  const parts = guard("illegal_parameter", () => splitShare(layout, "client", clientShare));
  const enc = guard("illegal_parameter", () => mlKemEncapsulate(layout.kem, parts.mlkem, rng));
  const ec = ecKeyPair(layout.ecdh, rng);
  const ecdhSharedSecret = guard("illegal_parameter", () => ecdh(layout.ecdh, ec.privateKey, parts.ecdh));
  return {
    publicKey: combine(layout, enc.ciphertext, ec.publicKey),
    mlkemRandomness: enc.m,
    ecdhPrivateKey: ec.privateKey,
    mlkemSharedSecret: enc.sharedSecret,
    ecdhSharedSecret,
    sharedSecret: combine(layout, enc.sharedSecret, ecdhSharedSecret),
  };
}

/** The client's side: decapsulate the server's ciphertext and finish the ECDH. */
export function hybridClientSecrets(
  layout: HybridLayout,
  mine: Pick<HybridClientShare, "decapsulationKey" | "ecdhPrivateKey">,
  serverShare: Uint8Array,
): HybridSecrets {
  const parts = guard("illegal_parameter", () => splitShare(layout, "server", serverShare));
  const ecdhSharedSecret = guard("illegal_parameter", () => ecdh(layout.ecdh, mine.ecdhPrivateKey, parts.ecdh));
  const mlkemSharedSecret = guard("internal_error", () => mlKemDecapsulate(layout.kem, mine.decapsulationKey, parts.mlkem));
  return { mlkemSharedSecret, ecdhSharedSecret, sharedSecret: combine(layout, mlkemSharedSecret, ecdhSharedSecret) };
}

// ------------------------------------------------------------------------------------------- as logged steps

/** The endpoint's `secret(title, value, inputs, derivation, note)`. */
export type LogSecret = (title: string, value: Uint8Array, inputs: string[], derivation: string, note?: string) => void;

/** Step titles. Both sides log the shared secrets under one title, so each step says who knows the value then. */
export const hybridTitles = (l: HybridLayout) => ({
  clientSeed: `client ${l.kem} key pair seed (d ‖ z)`,
  clientEcdh: `client ${l.name} ${l.ecdh} private key`,
  serverRandomness: `server ${l.kem} encapsulation randomness m`,
  serverEcdh: `server ${l.name} ${l.ecdh} private key`,
  mlkemSecret: `${l.kem} shared secret`,
  ecdhSecret: `${l.ecdh} shared secret`,
  combined: "(EC)DHE shared secret",
});

function logCombined(l: HybridLayout, s: HybridSecrets, secret: LogSecret, note: string): void {
  const t = hybridTitles(l);
  const parts = l.kemFirst ? [t.mlkemSecret, t.ecdhSecret] : [t.ecdhSecret, t.mlkemSecret];
  secret(t.combined, s.sharedSecret, parts, `${parts.join(" ‖ ")} (${l.section}.3): ${s.sharedSecret.length} bytes, the key schedule's (EC)DHE input`, note);
}

/** The client's hybrid share, its private parts logged. Returns what to keep until the ServerHello. */
export function logClientShare(l: HybridLayout, rng: Rng, secret: LogSecret): HybridClientShare {
  const share = hybridClientShare(l, rng);
  const t = hybridTitles(l);
  secret(
    t.clientSeed,
    share.mlkemSeed,
    [],
    `64 random bytes (never sent): ML-KEM.KeyGen's d ‖ z (FIPS 203 Algorithm 19), giving the ${l.encapsulationKey}-byte encapsulation key`,
  );
  secret(t.clientEcdh, share.ecdhPrivateKey, [], `random scalar (never sent): the ${l.ecdh} half of the ${l.name} share`);
  return share;
}

/** The server's side, logged: returns the key_exchange to send and the (EC)DHE input. */
export function logServerShare(l: HybridLayout, clientShare: Uint8Array, rng: Rng, secret: LogSecret): HybridServerShare {
  const s = hybridServerShare(l, clientShare, rng);
  const t = hybridTitles(l);
  secret(t.serverRandomness, s.mlkemRandomness, [], "32 random bytes (never sent): the message m of ML-KEM.Encaps (FIPS 203 Algorithm 20)");
  secret(
    t.mlkemSecret,
    s.mlkemSharedSecret,
    [t.serverRandomness, `client key_share (${l.kem} encapsulation key)`],
    `${l.kem}.Encaps(ek, m) (FIPS 203 §7.2): the ${l.ciphertext}-byte ciphertext goes into the server's key_share`,
  );
  secret(t.serverEcdh, s.ecdhPrivateKey, [], `random scalar (never sent): the ${l.ecdh} half of the ${l.name} share`);
  secret(
    t.ecdhSecret,
    s.ecdhSharedSecret,
    [t.serverEcdh, `client key_share (${l.ecdh} share)`],
    `${l.ecdh}(server private key, client public key) (RFC 8446 §7.4.2)`,
  );
  logCombined(l, s, secret, "the server knows it before sending its ServerHello; the client once it has decapsulated");
  return s;
}

/** The client's side after the ServerHello, logged: the (EC)DHE input. */
export function logClientSecrets(l: HybridLayout, mine: HybridClientShare, serverShare: Uint8Array, secret: LogSecret): Uint8Array {
  const s = hybridClientSecrets(l, mine, serverShare);
  const t = hybridTitles(l);
  secret(t.mlkemSecret, s.mlkemSharedSecret, [t.clientSeed, `server key_share (${l.kem} ciphertext)`], `${l.kem}.Decaps(dk, c) (FIPS 203 §7.3)`);
  secret(
    t.ecdhSecret,
    s.ecdhSharedSecret,
    [t.clientEcdh, `server key_share (${l.ecdh} share)`],
    `${l.ecdh}(client private key, server public key) (RFC 8446 §7.4.2)`,
  );
  logCombined(l, s, secret, "now both sides know it");
  return s.sharedSecret;
}
