/**
 * The cipher suites the engine can run and decrypt, with the parameters record protection and the key schedules
 * need. An internal table until the IANA registry (`src/tls/registry/cipherSuites.ts`) carries these lengths.
 *
 * Lengths follow RFC 5246 §6.3 and Appendix C (TLS 1.2: CBC suites take no fixed IV from the key block in TLS 1.2,
 * their IV is explicit per record), RFC 5288 §3 (GCM: 4-byte fixed "salt" + 8-byte explicit nonce), RFC 7905 §2
 * (ChaCha20-Poly1305: 12-byte fixed IV, no explicit nonce) and RFC 8446 §5.3 / Appendix B.4 (TLS 1.3: 12-byte IV).
 * CCM (RFC 6655 §3, RFC 7251 for ECDHE-ECDSA): the nonce is built like GCM's; the _CCM_8 suites carry an 8-byte
 * tag (RFC 8446 Appendix B.4 for TLS 1.3).
 */
import type { AeadAlg } from "./crypto/aead";

export type AeadName = AeadAlg;
export type CbcName = "AES_128_CBC" | "AES_256_CBC";
export type MacName = "SHA1" | "SHA256" | "SHA384";
export type PrfHashName = "SHA256" | "SHA384";

export interface SuiteParams {
  suite: number;
  /** IANA name, e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`. */
  name: string;
  tls13: boolean;
  aead: AeadName | null;
  cbc: CbcName | null;
  /** HMAC hash of a CBC suite (null for AEAD suites). */
  mac: MacName | null;
  /** TLS 1.2 PRF hash (RFC 5246 §5) or TLS 1.3 HKDF hash. */
  hash: PrfHashName;
  keyLength: number;
  /** IV bytes taken from the key block / traffic secret. */
  fixedIvLength: number;
  /** Explicit per-record IV/nonce bytes carried in each record. */
  recordIvLength: number;
  /** HMAC output and key length (0 for AEAD suites). */
  macLength: number;
  keyExchange: "ECDHE" | "DHE" | "RSA" | "TLS13";
  authentication: "RSA" | "ECDSA" | "any";
}

type Kx = SuiteParams["keyExchange"];
type Auth = SuiteParams["authentication"];

const TABLE = new Map<number, SuiteParams>();

function aeadSuite(suite: number, name: string, kx: Kx, auth: Auth, aead: AeadName, hash: PrfHashName): void {
  const tls13 = kx === "TLS13";
  const chacha = aead === "CHACHA20_POLY1305";
  TABLE.set(suite, {
    suite,
    name,
    tls13,
    aead,
    cbc: null,
    mac: null,
    hash,
    keyLength: aead.startsWith("AES_128") ? 16 : 32,
    // TLS 1.3 and ChaCha (RFC 7905) use a 12-byte IV XORed with the sequence number; TLS 1.2 GCM a 4-byte salt.
    fixedIvLength: tls13 || chacha ? 12 : 4,
    recordIvLength: tls13 || chacha ? 0 : 8,
    macLength: 0,
    keyExchange: kx,
    authentication: auth,
  });
}

function cbcSuite(suite: number, name: string, kx: Kx, auth: Auth, cbc: CbcName, mac: MacName): void {
  TABLE.set(suite, {
    suite,
    name,
    tls13: false,
    aead: null,
    cbc,
    mac,
    // RFC 5246 §5: the PRF is SHA-256 unless the suite names a stronger one (RFC 5289: the *_SHA384 suites).
    hash: mac === "SHA384" ? "SHA384" : "SHA256",
    keyLength: cbc === "AES_128_CBC" ? 16 : 32,
    fixedIvLength: 0,
    recordIvLength: 16,
    macLength: mac === "SHA1" ? 20 : mac === "SHA256" ? 32 : 48,
    keyExchange: kx,
    authentication: auth,
  });
}

// TLS 1.3 (RFC 8446 Appendix B.4).
aeadSuite(0x1301, "TLS_AES_128_GCM_SHA256", "TLS13", "any", "AES_128_GCM", "SHA256");
aeadSuite(0x1302, "TLS_AES_256_GCM_SHA384", "TLS13", "any", "AES_256_GCM", "SHA384");
aeadSuite(0x1303, "TLS_CHACHA20_POLY1305_SHA256", "TLS13", "any", "CHACHA20_POLY1305", "SHA256");
aeadSuite(0x1304, "TLS_AES_128_CCM_SHA256", "TLS13", "any", "AES_128_CCM", "SHA256");
aeadSuite(0x1305, "TLS_AES_128_CCM_8_SHA256", "TLS13", "any", "AES_128_CCM_8", "SHA256");

// TLS 1.2 AEAD (RFC 5288, RFC 5289, RFC 7905).
for (const [kx, auth, prefix, g128, g256, chacha] of [
  ["ECDHE", "RSA", "TLS_ECDHE_RSA", 0xc02f, 0xc030, 0xcca8],
  ["ECDHE", "ECDSA", "TLS_ECDHE_ECDSA", 0xc02b, 0xc02c, 0xcca9],
  ["DHE", "RSA", "TLS_DHE_RSA", 0x009e, 0x009f, 0xccaa],
  ["RSA", "RSA", "TLS_RSA", 0x009c, 0x009d, -1],
] as const) {
  aeadSuite(g128, `${prefix}_WITH_AES_128_GCM_SHA256`, kx, auth, "AES_128_GCM", "SHA256");
  aeadSuite(g256, `${prefix}_WITH_AES_256_GCM_SHA384`, kx, auth, "AES_256_GCM", "SHA384");
  if (chacha >= 0) aeadSuite(chacha, `${prefix}_WITH_CHACHA20_POLY1305_SHA256`, kx, auth, "CHACHA20_POLY1305", "SHA256");
}

// TLS 1.2 AES-CCM (RFC 6655 for RSA and DHE-RSA, RFC 7251 for ECDHE-ECDSA): the PRF stays SHA-256.
for (const [suite, kx, auth, prefix, aead] of [
  [0xc09c, "RSA", "RSA", "TLS_RSA_WITH_AES_128_CCM", "AES_128_CCM"],
  [0xc09d, "RSA", "RSA", "TLS_RSA_WITH_AES_256_CCM", "AES_256_CCM"],
  [0xc09e, "DHE", "RSA", "TLS_DHE_RSA_WITH_AES_128_CCM", "AES_128_CCM"],
  [0xc09f, "DHE", "RSA", "TLS_DHE_RSA_WITH_AES_256_CCM", "AES_256_CCM"],
  [0xc0a0, "RSA", "RSA", "TLS_RSA_WITH_AES_128_CCM_8", "AES_128_CCM_8"],
  [0xc0a1, "RSA", "RSA", "TLS_RSA_WITH_AES_256_CCM_8", "AES_256_CCM_8"],
  [0xc0a2, "DHE", "RSA", "TLS_DHE_RSA_WITH_AES_128_CCM_8", "AES_128_CCM_8"],
  [0xc0a3, "DHE", "RSA", "TLS_DHE_RSA_WITH_AES_256_CCM_8", "AES_256_CCM_8"],
  [0xc0ac, "ECDHE", "ECDSA", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", "AES_128_CCM"],
  [0xc0ad, "ECDHE", "ECDSA", "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", "AES_256_CCM"],
  [0xc0ae, "ECDHE", "ECDSA", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", "AES_128_CCM_8"],
  [0xc0af, "ECDHE", "ECDSA", "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", "AES_256_CCM_8"],
] as const) {
  aeadSuite(suite, prefix, kx, auth, aead, "SHA256");
}

// TLS 1.2 CBC + HMAC (RFC 5246 Appendix A.5, RFC 4492, RFC 5289).
for (const [suite, kx, auth, prefix, cbc, mac] of [
  [0xc013, "ECDHE", "RSA", "TLS_ECDHE_RSA", "AES_128_CBC", "SHA1"],
  [0xc014, "ECDHE", "RSA", "TLS_ECDHE_RSA", "AES_256_CBC", "SHA1"],
  [0xc027, "ECDHE", "RSA", "TLS_ECDHE_RSA", "AES_128_CBC", "SHA256"],
  [0xc028, "ECDHE", "RSA", "TLS_ECDHE_RSA", "AES_256_CBC", "SHA384"],
  [0xc009, "ECDHE", "ECDSA", "TLS_ECDHE_ECDSA", "AES_128_CBC", "SHA1"],
  [0xc00a, "ECDHE", "ECDSA", "TLS_ECDHE_ECDSA", "AES_256_CBC", "SHA1"],
  [0xc023, "ECDHE", "ECDSA", "TLS_ECDHE_ECDSA", "AES_128_CBC", "SHA256"],
  [0xc024, "ECDHE", "ECDSA", "TLS_ECDHE_ECDSA", "AES_256_CBC", "SHA384"],
  [0x0033, "DHE", "RSA", "TLS_DHE_RSA", "AES_128_CBC", "SHA1"],
  [0x0039, "DHE", "RSA", "TLS_DHE_RSA", "AES_256_CBC", "SHA1"],
  [0x0067, "DHE", "RSA", "TLS_DHE_RSA", "AES_128_CBC", "SHA256"],
  [0x006b, "DHE", "RSA", "TLS_DHE_RSA", "AES_256_CBC", "SHA256"],
  [0x002f, "RSA", "RSA", "TLS_RSA", "AES_128_CBC", "SHA1"],
  [0x0035, "RSA", "RSA", "TLS_RSA", "AES_256_CBC", "SHA1"],
  [0x003c, "RSA", "RSA", "TLS_RSA", "AES_128_CBC", "SHA256"],
  [0x003d, "RSA", "RSA", "TLS_RSA", "AES_256_CBC", "SHA256"],
] as const) {
  const macName = mac === "SHA1" ? "SHA" : mac;
  cbcSuite(suite, `${prefix}_WITH_${cbc}_${macName}`, kx, auth, cbc, mac);
}

/** Parameters of a suite the engine supports, or undefined. */
export function suiteParams(suite: number): SuiteParams | undefined {
  return TABLE.get(suite);
}

/** Every supported suite, TLS 1.3 first, in table order. */
export function supportedSuites(): SuiteParams[] {
  return [...TABLE.values()];
}
