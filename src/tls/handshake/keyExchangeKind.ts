/**
 * Which key exchange the negotiated cipher suite uses (RFC 5246 §7.4.3, RFC 8422 §2, RFC 4279 for PSK), which
 * decides the form of ServerKeyExchange and ClientKeyExchange in TLS ≤ 1.2.
 */
import { cipherSuiteInfo } from "../registry";

export interface KeyExchangeKind {
  /** The (EC)DH or RSA part. */
  base: "ecdhe" | "dhe" | "rsa" | "none" | "unknown";
  /** A PSK identity (hint) precedes the parameters (RFC 4279 §2, RFC 5489 §2). */
  psk: boolean;
  /** The ServerKeyExchange is signed (not anonymous, not PSK). */
  signed: boolean;
}

/**
 * Kinds already worked out, by suite: the registry lookup and text tests are not free, and a capture repeats a
 * handful of suites (at most 2^16 entries: a suite is a uint16). Callers only read the result.
 */
const known = new Map<number, KeyExchangeKind>();

export function keyExchangeKind(cipherSuite: number | null): KeyExchangeKind {
  if (cipherSuite === null) return kindOf(null);
  let k = known.get(cipherSuite);
  if (k === undefined) {
    k = kindOf(cipherSuite);
    known.set(cipherSuite, k);
  }
  return k;
}

function kindOf(cipherSuite: number | null): KeyExchangeKind {
  const info = cipherSuite === null ? undefined : cipherSuiteInfo(cipherSuite);
  const kx = String(info?.keyExchange ?? "").toUpperCase();
  const auth = String((info as { authentication?: string } | undefined)?.authentication ?? "").toUpperCase();
  if (!kx) return { base: "unknown", psk: false, signed: true };
  const psk = kx.includes("PSK");
  const anon = kx.includes("ANON") || auth.includes("ANON") || auth === "NULL";
  const base = kx.includes("ECDH") ? "ecdhe" : kx.includes("DH") ? "dhe" : kx.includes("RSA") ? "rsa" : psk ? "none" : "unknown";
  return { base, psk, signed: !psk && !anon };
}
