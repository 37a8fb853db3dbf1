/**
 * TLS signature schemes (RFC 8446 §4.2.3; TLS 1.2 SignatureAndHashAlgorithm pairs share the code points, RFC 5246
 * §7.4.1.4.1): sign with the engine's keys, verify with a certificate's public key.
 */
import { ecdsaSign, ecdsaVerify, ed25519Verify, randomBytes, type EcdsaCurve, type Rng, type SigHash } from "./crypto";
import { rsaPkcs1Sign, rsaPkcs1Verify, rsaPssSign, rsaPssVerify, type RsaPrivateKey } from "./cryptoExtra";
import type { PublicKeyInfo } from "./x509Parse";

export type SigningKey = { kind: "ecdsa"; curve: EcdsaCurve; privateKey: Uint8Array; publicKey: Uint8Array } | { kind: "rsa"; privateKey: RsaPrivateKey };

interface Scheme {
  name: string;
  kind: "ecdsa" | "rsa-pkcs1" | "rsa-pss" | "ed25519";
  hash: SigHash;
  curve?: EcdsaCurve;
  /** TLS 1.3 forbids PKCS#1 v1.5 and SHA-1 in handshake signatures (RFC 8446 §4.2.3). */
  tls13: boolean;
}

export const SCHEMES: ReadonlyMap<number, Scheme> = new Map<number, Scheme>([
  [0x0201, { name: "rsa_pkcs1_sha1", kind: "rsa-pkcs1", hash: "SHA1", tls13: false }],
  [0x0401, { name: "rsa_pkcs1_sha256", kind: "rsa-pkcs1", hash: "SHA256", tls13: false }],
  [0x0501, { name: "rsa_pkcs1_sha384", kind: "rsa-pkcs1", hash: "SHA384", tls13: false }],
  [0x0203, { name: "ecdsa_sha1", kind: "ecdsa", hash: "SHA1", tls13: false }],
  [0x0403, { name: "ecdsa_secp256r1_sha256", kind: "ecdsa", hash: "SHA256", curve: "secp256r1", tls13: true }],
  [0x0503, { name: "ecdsa_secp384r1_sha384", kind: "ecdsa", hash: "SHA384", curve: "secp384r1", tls13: true }],
  [0x0804, { name: "rsa_pss_rsae_sha256", kind: "rsa-pss", hash: "SHA256", tls13: true }],
  [0x0805, { name: "rsa_pss_rsae_sha384", kind: "rsa-pss", hash: "SHA384", tls13: true }],
  [0x0807, { name: "ed25519", kind: "ed25519", hash: "SHA256", tls13: true }],
]);

export function schemeName(code: number): string {
  return SCHEMES.get(code)?.name ?? `0x${code.toString(16).padStart(4, "0")}`;
}

/** Schemes a key can sign with, preferred first, for the version. */
export function schemesForKey(key: SigningKey, tls13: boolean): number[] {
  if (key.kind === "ecdsa") return key.curve === "secp256r1" ? [0x0403] : [0x0503];
  return tls13 ? [0x0804, 0x0805] : [0x0804, 0x0401, 0x0805, 0x0501];
}

/** The schemes this engine offers in signature_algorithms. */
export const OFFERED_SCHEMES = [0x0403, 0x0503, 0x0804, 0x0805, 0x0401, 0x0501, 0x0807, 0x0201, 0x0203];

/** The first of `peerOffered` that `key` can produce (peer's list order = its preference, RFC 8446 §4.2.3). */
export function chooseScheme(key: SigningKey, peerOffered: readonly number[] | undefined, tls13: boolean, forced?: number): number | undefined {
  const mine = schemesForKey(key, tls13);
  if (forced !== undefined) return mine.includes(forced) ? forced : undefined;
  if (!peerOffered || peerOffered.length === 0) return tls13 ? undefined : key.kind === "ecdsa" ? 0x0403 : 0x0401;
  return mine.find((s) => peerOffered.includes(s));
}

export function signWithScheme(key: SigningKey, scheme: number, message: Uint8Array, rng?: Rng): Uint8Array {
  const s = SCHEMES.get(scheme);
  if (!s) throw new Error(`unsupported signature scheme ${schemeName(scheme)}`);
  if (key.kind === "ecdsa" && s.kind === "ecdsa") return ecdsaSign(key.curve, s.hash, key.privateKey, message);
  if (key.kind === "rsa" && s.kind === "rsa-pkcs1") return rsaPkcs1Sign(key.privateKey, s.hash, message);
  if (key.kind === "rsa" && s.kind === "rsa-pss") return rsaPssSign(key.privateKey, s.hash, message, rng ?? defaultRng);
  throw new Error(`a ${key.kind} key cannot sign with ${s.name}`);
}

const defaultRng: Rng = (n) => randomBytes(n);

/** Verification result with a reason a person can read. */
export function verifyWithScheme(pub: PublicKeyInfo, scheme: number, message: Uint8Array, signature: Uint8Array): { ok: boolean; detail: string } {
  const s = SCHEMES.get(scheme);
  if (!s) return { ok: false, detail: `unsupported signature scheme ${schemeName(scheme)}` };
  let ok: boolean;
  if (pub.kind === "ecdsa" && s.kind === "ecdsa") {
    if (s.curve && s.curve !== pub.curve) return { ok: false, detail: `${s.name} does not match the ${pub.curve} key` };
    ok = ecdsaVerify(pub.curve, s.hash, pub.point, message, signature);
  } else if (pub.kind === "rsa" && s.kind === "rsa-pkcs1") ok = rsaPkcs1Verify(pub.key, s.hash, message, signature);
  else if (pub.kind === "rsa" && s.kind === "rsa-pss") ok = rsaPssVerify(pub.key, s.hash, message, signature);
  else if (pub.kind === "ed25519" && s.kind === "ed25519") ok = ed25519Verify(pub.key, message, signature);
  else return { ok: false, detail: `${s.name} does not match the certificate's ${pub.kind} key` };
  return { ok, detail: ok ? `${s.name} signature valid` : `${s.name} signature INVALID` };
}
