/**
 * QUIC packet protection keys (RFC 9001 §5): from a TLS secret, the AEAD key, IV and header protection key via
 * HKDF-Expand-Label with QUIC's labels (§5.1); the Initial secrets from the client's first Destination Connection
 * ID and the version's salt (§5.2); and the next generation for a key update (§6.1). QUIC v2 has its own salt and
 * labels ("quicv2 key", ..., RFC 9369 §3.3); everything else is shared.
 */
import type { AeadAlg } from "../crypto/aead";
import type { HashName } from "../crypto/hash";
import { hkdfExpandLabel } from "../keySchedule13";
import { suiteParams } from "../suites";
import { QUIC_V2 } from "../../tls/registry/quicVersions";
import { hkdfExpandLabelSha256, hkdfExtractSha256, hmacSha256Key, type HmacSha256Key } from "./hmacSha256";

export interface QuicKeys {
  aead: AeadAlg;
  hash: HashName;
  /** The TLS secret these keys come from (the base of the next generation, §6.1). */
  secret: Uint8Array;
  key: Uint8Array;
  iv: Uint8Array;
  /** Header protection key: kept across key updates (§6.1). */
  hp: Uint8Array;
}

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));

/** RFC 9001 §5.2 and RFC 9369 §3.3.1. */
const INITIAL_SALT_V1 = hex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a");
const INITIAL_SALT_V2 = hex("0dede3def700a6db819381be6e269dcbf9bd2ed9");
/**
 * draft-ietf-quic-tls-29 §5.2 (drafts 29–34): still what stacks use to protect an Initial of a version they do not
 * know, such as a reserved version that greases version negotiation (ngtcp2 does).
 */
const INITIAL_SALT_DRAFT_29 = hex("afbfec289993d24c9e9786f19c6111e04390a899");

/** Which salt an Initial's keys come from: the version's own, or draft 29's (see above). */
export type InitialSalt = "version" | "draft-29";

interface Labels {
  key: string;
  iv: string;
  hp: string;
  ku: string;
}
const LABELS_V1: Labels = { key: "quic key", iv: "quic iv", hp: "quic hp", ku: "quic ku" };
const LABELS_V2: Labels = { key: "quicv2 key", iv: "quicv2 iv", hp: "quicv2 hp", ku: "quicv2 ku" };

const labels = (version: number): Labels => (version === QUIC_V2 ? LABELS_V2 : LABELS_V1);

const keyLength = (aead: AeadAlg): number => (aead === "AES_128_GCM" ? 16 : 32);

/** RFC 9001 §5.1: the packet protection keys of one TLS secret. */
export function quicKeys(version: number, aead: AeadAlg, hash: HashName, secret: Uint8Array, hp?: Uint8Array): QuicKeys {
  const l = labels(version);
  const n = keyLength(aead);
  // SHA-256 secrets (every Initial's, and the AES-128-GCM and ChaCha20 suites') expand through one key's hash states.
  const k = hash === "SHA256" ? hmacSha256Key(secret) : null;
  const expand = (label: string, length: number): Uint8Array =>
    k ? hkdfExpandLabelSha256(k, label, length) : hkdfExpandLabel(hash, secret, label, new Uint8Array(0), length);
  return { aead, hash, secret, key: expand(l.key, n), iv: expand(l.iv, 12), hp: hp ?? expand(l.hp, n) };
}

/** The AEAD and hash of a TLS 1.3 cipher suite, or undefined (CCM and TLS 1.2 suites are not used by QUIC here). */
export function quicSuite(cipherSuite: number): { aead: AeadAlg; hash: HashName } | undefined {
  const p = suiteParams(cipherSuite);
  if (!p || !p.aead || !p.tls13 || p.aead.includes("_CCM")) return undefined;
  return { aead: p.aead, hash: p.hash };
}

/** RFC 9001 §5.2: initial_secret = HKDF-Extract(salt, client DCID); then "client in" / "server in". */
export function initialSecrets(
  version: number,
  clientDcid: Uint8Array,
  salt: InitialSalt = "version",
): { initial: Uint8Array; client: Uint8Array; server: Uint8Array } {
  const s = salt === "draft-29" ? INITIAL_SALT_DRAFT_29 : version === QUIC_V2 ? INITIAL_SALT_V2 : INITIAL_SALT_V1;
  const initial = hkdfExtractSha256(saltKey(s), clientDcid);
  const k = hmacSha256Key(initial);
  return { initial, client: hkdfExpandLabelSha256(k, "client in", 32), server: hkdfExpandLabelSha256(k, "server in", 32) };
}

/** The salts' HMAC pad states, computed once each. */
const saltKeys = new Map<Uint8Array, HmacSha256Key>();
function saltKey(salt: Uint8Array): HmacSha256Key {
  let k = saltKeys.get(salt);
  if (!k) saltKeys.set(salt, (k = hmacSha256Key(salt)));
  return k;
}

/** Both directions' Initial keys: AES-128-GCM with SHA-256 (RFC 9001 §5.2). */
export function initialKeys(version: number, clientDcid: Uint8Array, salt: InitialSalt = "version"): { client: QuicKeys; server: QuicKeys } {
  const s = initialSecrets(version, clientDcid, salt);
  return { client: quicKeys(version, "AES_128_GCM", "SHA256", s.client), server: quicKeys(version, "AES_128_GCM", "SHA256", s.server) };
}

/** RFC 9001 §6.1: secret_<n+1> = HKDF-Expand-Label(secret_<n>, "quic ku", "", Hash.length); hp stays. */
export function nextKeyGeneration(version: number, k: QuicKeys): QuicKeys {
  const next = hkdfExpandLabel(k.hash, k.secret, labels(version).ku, new Uint8Array(0), k.secret.length);
  return quicKeys(version, k.aead, k.hash, next, k.hp);
}
