/**
 * TLS signature schemes (RFC 8446 §4.2.3; TLS 1.2 SignatureAndHashAlgorithm pairs share the code points, RFC 5246
 * §7.4.1.4.1): sign with the engine's keys, verify with a certificate's public key.
 *
 * What a scheme binds differs by version: in TLS 1.3 ecdsa_secp384r1_sha384 names the curve and the hash, in TLS
 * 1.2 the same code point is the pair (sha384, ecdsa) and the curve is the certificate's (RFC 8422 §5.10, RFC 8446
 * §4.2.3 "in TLS 1.2 ... the curve is not restricted"). rsa_pss_rsae_* sign with a key in an rsaEncryption
 * certificate, rsa_pss_pss_* with a key in an id-RSASSA-PSS one (RFC 8446 §4.2.3); the two are not interchangeable.
 */
import { ecdsaSign, ecdsaVerify, ed25519Sign, ed25519Verify, ed448Sign, ed448Verify, type EcdsaCurve } from "./crypto/ec";
import type { HashName } from "./crypto/hash";
import type { Rng } from "./crypto/random";
import { rsaPkcs1Sign, rsaPkcs1Verify, rsaPssSign, rsaPssVerify, type RsaPrivateKey } from "./crypto/rsa";
import type { PublicKeyInfo } from "./x509Parse";

export type SigningKey =
  | { kind: "ecdsa"; curve: EcdsaCurve; privateKey: Uint8Array; publicKey: Uint8Array }
  /** `pss`: the certificate holds the key as id-RSASSA-PSS (RFC 4055), so it signs with rsa_pss_pss_* only. */
  | { kind: "rsa"; privateKey: RsaPrivateKey; pss?: boolean }
  | { kind: "ed25519"; privateKey: Uint8Array; publicKey: Uint8Array }
  | { kind: "ed448"; privateKey: Uint8Array; publicKey: Uint8Array };

interface Scheme {
  name: string;
  kind: "ecdsa" | "rsa-pkcs1" | "rsa-pss-rsae" | "rsa-pss-pss" | "ed25519" | "ed448";
  hash: HashName;
  /** The curve TLS 1.3 binds the scheme to. */
  curve?: EcdsaCurve;
  /** TLS 1.3 forbids PKCS#1 v1.5 and SHA-1 in handshake signatures (RFC 8446 §4.2.3). */
  tls13: boolean;
}

export const SCHEMES: ReadonlyMap<number, Scheme> = new Map<number, Scheme>([
  [0x0201, { name: "rsa_pkcs1_sha1", kind: "rsa-pkcs1", hash: "SHA1", tls13: false }],
  [0x0401, { name: "rsa_pkcs1_sha256", kind: "rsa-pkcs1", hash: "SHA256", tls13: false }],
  [0x0501, { name: "rsa_pkcs1_sha384", kind: "rsa-pkcs1", hash: "SHA384", tls13: false }],
  [0x0601, { name: "rsa_pkcs1_sha512", kind: "rsa-pkcs1", hash: "SHA512", tls13: false }],
  [0x0203, { name: "ecdsa_sha1", kind: "ecdsa", hash: "SHA1", tls13: false }],
  [0x0403, { name: "ecdsa_secp256r1_sha256", kind: "ecdsa", hash: "SHA256", curve: "secp256r1", tls13: true }],
  [0x0503, { name: "ecdsa_secp384r1_sha384", kind: "ecdsa", hash: "SHA384", curve: "secp384r1", tls13: true }],
  [0x0603, { name: "ecdsa_secp521r1_sha512", kind: "ecdsa", hash: "SHA512", curve: "secp521r1", tls13: true }],
  [0x0804, { name: "rsa_pss_rsae_sha256", kind: "rsa-pss-rsae", hash: "SHA256", tls13: true }],
  [0x0805, { name: "rsa_pss_rsae_sha384", kind: "rsa-pss-rsae", hash: "SHA384", tls13: true }],
  [0x0806, { name: "rsa_pss_rsae_sha512", kind: "rsa-pss-rsae", hash: "SHA512", tls13: true }],
  [0x0807, { name: "ed25519", kind: "ed25519", hash: "SHA512", tls13: true }],
  [0x0808, { name: "ed448", kind: "ed448", hash: "SHA512", tls13: true }],
  [0x0809, { name: "rsa_pss_pss_sha256", kind: "rsa-pss-pss", hash: "SHA256", tls13: true }],
  [0x080a, { name: "rsa_pss_pss_sha384", kind: "rsa-pss-pss", hash: "SHA384", tls13: true }],
  [0x080b, { name: "rsa_pss_pss_sha512", kind: "rsa-pss-pss", hash: "SHA512", tls13: true }],
]);

export function schemeName(code: number): string {
  return SCHEMES.get(code)?.name ?? `0x${code.toString(16).padStart(4, "0")}`;
}

const CURVE_SCHEME: Record<EcdsaCurve, number> = { secp256r1: 0x0403, secp384r1: 0x0503, secp521r1: 0x0603 };

/** Schemes a key can sign with, preferred first, for the version. */
export function schemesForKey(key: SigningKey, tls13: boolean): number[] {
  if (key.kind === "ecdsa") {
    const own = CURVE_SCHEME[key.curve];
    // TLS 1.2: any hash with the certificate's curve (RFC 8422 §5.10); the curve's own hash first.
    return tls13 ? [own] : [own, ...[0x0403, 0x0503, 0x0603].filter((s) => s !== own)];
  }
  if (key.kind === "ed25519") return [0x0807];
  if (key.kind === "ed448") return [0x0808];
  if (key.pss) return [0x0809, 0x080a, 0x080b];
  return tls13 ? [0x0804, 0x0805, 0x0806] : [0x0804, 0x0401, 0x0805, 0x0501, 0x0806, 0x0601];
}

/** The schemes this engine offers in signature_algorithms. */
export const OFFERED_SCHEMES = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203];

/** The first of `peerOffered` that `key` can produce (peer's list order = its preference, RFC 8446 §4.2.3). */
export function chooseScheme(key: SigningKey, peerOffered: readonly number[] | undefined, tls13: boolean, forced?: number): number | undefined {
  const mine = schemesForKey(key, tls13);
  if (forced !== undefined) return mine.includes(forced) ? forced : undefined;
  // RFC 5246 §7.4.1.4.1: without signature_algorithms a TLS 1.2 peer takes SHA-1 with the key's algorithm.
  if (!peerOffered || peerOffered.length === 0) return tls13 ? undefined : key.kind === "ecdsa" ? 0x0203 : key.kind === "rsa" && !key.pss ? 0x0201 : mine[0];
  return mine.find((s) => peerOffered.includes(s));
}

export function signWithScheme(key: SigningKey, scheme: number, message: Uint8Array, rng?: Rng): Uint8Array {
  const s = SCHEMES.get(scheme);
  if (!s) throw new Error(`unsupported signature scheme ${schemeName(scheme)}`);
  if (key.kind === "ecdsa" && s.kind === "ecdsa") return ecdsaSign(key.curve, s.hash, key.privateKey, message);
  if (key.kind === "ed25519" && s.kind === "ed25519") return ed25519Sign(key.privateKey, message);
  if (key.kind === "ed448" && s.kind === "ed448") return ed448Sign(key.privateKey, message);
  if (key.kind === "rsa" && !key.pss && s.kind === "rsa-pkcs1") return rsaPkcs1Sign(key.privateKey, s.hash, message);
  if (key.kind === "rsa" && (key.pss ? s.kind === "rsa-pss-pss" : s.kind === "rsa-pss-rsae")) return rsaPssSign(key.privateKey, s.hash, message, rng);
  throw new Error(`a ${key.kind}${key.kind === "rsa" && key.pss ? "-pss" : ""} key cannot sign with ${s.name}`);
}

export interface VerifyOptions {
  /**
   * The scheme names only the hash and the key fixes the curve: TLS 1.2 (RFC 8422 §5.10) and certificate
   * signatures (ecdsa-with-SHAx, RFC 5758 §3.2). Otherwise (TLS 1.3) the scheme's curve must be the key's.
   */
  curveFromKey?: boolean;
}

/** Verification result with a reason a person can read. */
export function verifyWithScheme(
  pub: PublicKeyInfo,
  scheme: number,
  message: Uint8Array,
  signature: Uint8Array,
  opts: VerifyOptions = {},
): { ok: boolean; detail: string } {
  const s = SCHEMES.get(scheme);
  if (!s) return { ok: false, detail: `unsupported signature scheme ${schemeName(scheme)}` };
  let ok: boolean;
  if (pub.kind === "ecdsa" && s.kind === "ecdsa") {
    if (s.curve && s.curve !== pub.curve && !opts.curveFromKey) return { ok: false, detail: `${s.name} does not match the ${pub.curve} key` };
    ok = ecdsaVerify(pub.curve, s.hash, pub.point, message, signature);
  } else if (pub.kind === "rsa" && !pub.pss && s.kind === "rsa-pkcs1") ok = rsaPkcs1Verify(pub.key, s.hash, message, signature);
  else if (pub.kind === "rsa" && (pub.pss ? s.kind === "rsa-pss-pss" : s.kind === "rsa-pss-rsae")) ok = rsaPssVerify(pub.key, s.hash, message, signature);
  else if (pub.kind === "ed25519" && s.kind === "ed25519") ok = ed25519Verify(pub.key, message, signature);
  else if (pub.kind === "ed448" && s.kind === "ed448") ok = ed448Verify(pub.key, message, signature);
  else {
    const key = pub.kind === "rsa" ? (pub.pss ? "RSASSA-PSS" : "rsaEncryption") : pub.kind;
    return { ok: false, detail: `${s.name} does not match the certificate's ${key} key` };
  }
  const curve = pub.kind === "ecdsa" && opts.curveFromKey && s.curve !== pub.curve ? ` (${s.hash} with the ${pub.curve} key)` : "";
  return { ok, detail: ok ? `${s.name} signature valid${curve}` : `${s.name} signature INVALID${curve}` };
}
