/**
 * What a cipher suite's name says: key exchange, authentication, bulk cipher, MAC, PRF hash and the record-protection
 * lengths. Derived by decomposing the IANA name — `TLS_<kx>_<auth>_WITH_<cipher>_<mac>` up to TLS 1.2 (RFC 5246
 * Appendix A.5) and `TLS_<AEAD>_<hash>` in TLS 1.3 (RFC 8446 §B.4) — so every registered suite is covered by the same
 * few rules instead of a per-suite table.
 *
 * Lengths, in bytes:
 * - keyLength: the encryption key (RFC 5246 Appendix C "Key Material"; export ciphers give their 5-byte key material).
 * - fixedIvLength: IV bytes taken from the key block / traffic secret. TLS 1.2 GCM and CCM: the 4-byte salt (RFC 5288
 *   §3, RFC 6655 §3); ChaCha20-Poly1305: 12 (RFC 7905 §2); CBC: the block size (RFC 5246 Appendix C "IV Size", the
 *   key-block IV TLS 1.0 uses; TLS 1.1+ sends it per record instead); TLS 1.3: iv_length = 12 (RFC 8446 §5.3).
 * - recordIvLength: explicit per-record IV/nonce. GCM/CCM in TLS 1.2: 8 (RFC 5288 §3); ChaCha20 and TLS 1.3: 0;
 *   CBC in TLS 1.1+: the block size (RFC 5246 §6.2.3.2).
 * - macLength: HMAC output for non-AEAD suites (RFC 5246 Appendix C "Hash Size"); 0 for AEAD suites.
 * - tagLength: AEAD tag, 16, or 8 for the `_CCM_8` suites (RFC 6655 §3); 0 for non-AEAD suites.
 */

/** PRF hash (TLS 1.2, RFC 5246 §5) or HKDF hash (TLS 1.3, RFC 8446 §7.1). */
export type PrfHash = "SHA256" | "SHA384" | "SHA512" | "SM3" | "STREEBOG256";

export interface CipherSuiteInfo {
  value: number;
  name: string;
  /** `ECDHE`, `DHE`, `RSA`, `PSK`, `ECDHE_PSK`, `DHE_PSK`, `RSA_PSK`, `DH`, `ECDH`, `SRP`, `KRB5`, ...; `any` in TLS 1.3. */
  keyExchange: string;
  /** `RSA`, `ECDSA`, `DSS`, `PSK`, `anon`, `SRP`, `KRB5`, ...; `any` in TLS 1.3. */
  authentication: string;
  /** Bulk cipher as named in the suite: `AES_128_GCM`, `AES_128_CBC`, `CHACHA20_POLY1305`, `3DES_EDE_CBC`, `NULL`, ... */
  cipher: string;
  /** HMAC hash for non-AEAD suites (`SHA1`, `SHA256`, `SHA384`, `MD5`, ...), `AEAD` for AEAD suites. */
  mac: string;
  prfHash: PrfHash;
  tls13: boolean;
  aead: boolean;
  keyLength: number;
  fixedIvLength: number;
  recordIvLength: number;
  macLength: number;
  tagLength: number;
}

/** A bulk cipher: stream, block (CBC) or AEAD, with its key and block/nonce sizes. */
interface Bulk {
  kind: "stream" | "block" | "aead" | "gost-ctr";
  key: number;
  /** Block size (block ciphers); for AEADs in TLS 1.3, the nonce length. */
  size: number;
  /** AEAD tag length; for the RFC 9189 CTR suites, the MAC length. */
  tag?: number;
  /** TLS 1.2 AEAD nonce construction: `salt` = 4-byte fixed + 8-byte explicit (RFC 5116 §3.2.1), `xor` = 12-byte IV. */
  nonce?: "salt" | "xor";
  /** MAC name for ciphers that bring their own (RFC 9189). */
  mac?: string;
}

const stream = (key: number): Bulk => ({ kind: "stream", key, size: 0 });
const block = (key: number, size: number): Bulk => ({ kind: "block", key, size });
const aead = (key: number, size: number, tag = 16, nonce: Bulk["nonce"] = "salt"): Bulk => ({ kind: "aead", key, size, tag, nonce });

/** Bulk ciphers by the name they carry inside suite names. */
const BULK: Record<string, Bulk> = {
  NULL: stream(0),
  RC4_40: stream(5), // export: 5 bytes of key material (RFC 2246 Appendix C)
  RC4_128: stream(16),
  RC2_CBC_40: block(5, 8),
  IDEA_CBC: block(16, 8),
  DES40_CBC: block(5, 8),
  DES_CBC_40: block(5, 8), // RFC 2712 KRB5 export spelling
  DES_CBC: block(8, 8),
  "3DES_EDE_CBC": block(24, 8),
  AES_128_CBC: block(16, 16),
  AES_256_CBC: block(32, 16),
  CAMELLIA_128_CBC: block(16, 16),
  CAMELLIA_256_CBC: block(32, 16),
  ARIA_128_CBC: block(16, 16),
  ARIA_256_CBC: block(32, 16),
  SEED_CBC: block(16, 16),
  // RFC 5288 §3 (GCM); RFC 6209 §3 and RFC 6367 §3 use the same construction for ARIA and Camellia.
  AES_128_GCM: aead(16, 12),
  AES_256_GCM: aead(32, 12),
  ARIA_128_GCM: aead(16, 12),
  ARIA_256_GCM: aead(32, 12),
  CAMELLIA_128_GCM: aead(16, 12),
  CAMELLIA_256_GCM: aead(32, 12),
  // RFC 6655 §3: the same 4 + 8 nonce as GCM; _CCM_8 truncates the tag to 8 bytes.
  AES_128_CCM: aead(16, 12),
  AES_256_CCM: aead(32, 12),
  AES_128_CCM_8: aead(16, 12, 8),
  AES_256_CCM_8: aead(32, 12, 8),
  // RFC 7905 §2: a 12-byte IV XORed with the sequence number, nothing explicit.
  CHACHA20_POLY1305: aead(32, 12, 16, "xor"),
  // TLS 1.3-only AEADs: RFC 8998 (SM4), draft-irtf-cfrg-aegis-aead (nonce = 16 / 32 bytes), RFC 9367 (MGM: the
  // nonce is one block, 16 for Kuznyechik and 8 for Magma, and so is the tag).
  SM4_GCM: aead(16, 12),
  SM4_CCM: aead(16, 12),
  AEGIS_128L: aead(16, 16),
  AEGIS_256: aead(32, 32),
  KUZNYECHIK_MGM_L: aead(32, 16, 16),
  KUZNYECHIK_MGM_S: aead(32, 16, 16),
  MAGMA_MGM_L: aead(32, 8, 8),
  MAGMA_MGM_S: aead(32, 8, 8),
  // RFC 9189 §4.1: CTR encryption plus a block-cipher MAC; the IV is half a block (the CTR counter supplies the rest).
  KUZNYECHIK_CTR_OMAC: { kind: "gost-ctr", key: 32, size: 8, tag: 16, mac: "KUZNYECHIK_OMAC" },
  MAGMA_CTR_OMAC: { kind: "gost-ctr", key: 32, size: 4, tag: 8, mac: "MAGMA_OMAC" },
  "28147_CNT_IMIT": { kind: "gost-ctr", key: 32, size: 8, tag: 4, mac: "GOST28147_IMIT" },
};

/** `<kx>_<auth>` prefixes (the part between `TLS_` and `_WITH_`) → [key exchange, authentication]. */
const KX: Record<string, [string, string]> = {
  NULL: ["NULL", "NULL"],
  RSA: ["RSA", "RSA"],
  RSA_EXPORT: ["RSA_EXPORT", "RSA"],
  DH_DSS: ["DH", "DSS"],
  DH_RSA: ["DH", "RSA"],
  DHE_DSS: ["DHE", "DSS"],
  DHE_RSA: ["DHE", "RSA"],
  DH_anon: ["DH", "anon"],
  DH_DSS_EXPORT: ["DH_EXPORT", "DSS"],
  DH_RSA_EXPORT: ["DH_EXPORT", "RSA"],
  DHE_DSS_EXPORT: ["DHE_EXPORT", "DSS"],
  DHE_RSA_EXPORT: ["DHE_EXPORT", "RSA"],
  DH_anon_EXPORT: ["DH_EXPORT", "anon"],
  KRB5: ["KRB5", "KRB5"],
  KRB5_EXPORT: ["KRB5_EXPORT", "KRB5"],
  PSK: ["PSK", "PSK"], // RFC 4279 §2
  DHE_PSK: ["DHE_PSK", "PSK"], // RFC 4279 §3
  PSK_DHE: ["DHE_PSK", "PSK"], // RFC 6655's spelling of 0xC0AA/0xC0AB
  RSA_PSK: ["RSA_PSK", "RSA"], // RFC 4279 §4: the server is authenticated by its RSA certificate
  ECDHE_PSK: ["ECDHE_PSK", "PSK"], // RFC 5489
  ECDH_ECDSA: ["ECDH", "ECDSA"],
  ECDHE_ECDSA: ["ECDHE", "ECDSA"],
  ECDH_RSA: ["ECDH", "RSA"],
  ECDHE_RSA: ["ECDHE", "RSA"],
  ECDH_anon: ["ECDH", "anon"],
  SRP_SHA: ["SRP", "SRP"], // RFC 5054 §2.7
  SRP_SHA_RSA: ["SRP", "RSA"],
  SRP_SHA_DSS: ["SRP", "DSS"],
  ECCPWD: ["ECCPWD", "ECCPWD"], // RFC 8492
  GOSTR341112_256: ["GOSTR341112_256", "GOSTR341012"], // RFC 9189: VKO key agreement, GOST certificates
};

/** HMAC hashes as suite names spell them (`_SHA` is HMAC-SHA1), with their output length (RFC 5246 Appendix C). */
const MAC: Record<string, [string, number]> = { MD5: ["MD5", 16], SHA: ["SHA1", 20], SHA256: ["SHA256", 32], SHA384: ["SHA384", 48] };

const BULK_NAMES = Object.keys(BULK).sort((a, b) => b.length - a.length);

/** TLS 1.3 suites: `TLS_<AEAD>_<hash>` (RFC 8446 §B.4), RFC 9150's integrity-only `TLS_<hash>_<hash>`, RFC 9367's GOST. */
function tls13(value: number, name: string): CipherSuiteInfo | undefined {
  const gost = /^TLS_GOSTR341112_256_WITH_((?:KUZNYECHIK|MAGMA)_MGM_[LS])$/.exec(name);
  const m = gost ? null : /^TLS_([A-Z0-9_]+?)_(SHA256|SHA384|SHA512|SM3)$/.exec(name);
  const base = { value, name, keyExchange: "any", authentication: "any", tls13: true, recordIvLength: 0 };
  if (m && (m[1] === "SHA256" || m[1] === "SHA384")) {
    // RFC 9150 §5: HMAC in place of the AEAD; key, "nonce" and tag are all one hash output long.
    const n = m[1] === "SHA256" ? 32 : 48;
    return { ...base, cipher: "NULL", mac: m[1], prfHash: m[2] as PrfHash, aead: true, keyLength: n, fixedIvLength: n, macLength: 0, tagLength: n };
  }
  const cipher = gost ? gost[1] : m?.[1];
  const b = cipher === undefined ? undefined : BULK[cipher];
  if (!b || b.kind !== "aead") return undefined;
  // RFC 8446 §5.3: iv_length = max(8, N_MIN) = 12 for the RFC 5116 AEADs; AEGIS and MGM use their own nonce sizes.
  const prfHash: PrfHash = gost ? "STREEBOG256" : (m![2] as PrfHash);
  return { ...base, cipher: cipher!, mac: "AEAD", prfHash, aead: true, keyLength: b.key, fixedIvLength: b.size, macLength: 0, tagLength: b.tag! };
}

/** Decompose a registered suite name; undefined for signalling values (SCSVs) and names that follow no known pattern. */
export function decomposeCipherSuite(value: number, name: string): CipherSuiteInfo | undefined {
  if (name.endsWith("_SCSV")) return undefined;
  const w = name.indexOf("_WITH_");
  if (w < 0 || /_MGM_[LS]$/.test(name)) return tls13(value, name);
  const kx = KX[name.slice(4, w)];
  const rest = name.slice(w + 6);
  const cipher = BULK_NAMES.find((c) => rest === c || rest.startsWith(c + "_"));
  if (!kx || !cipher) return undefined;
  const b = BULK[cipher];
  const suffix = rest.slice(cipher.length + 1); // "" for RFC 6655/7251 CCM and RFC 9189 suites
  // RFC 5246 §5 and Appendix A.5: the PRF is SHA-256 unless the suite names SHA-384 (RFC 5288 §3, RFC 5289 §3.2).
  const prfHash: PrfHash = kx[0] === "GOSTR341112_256" ? "STREEBOG256" : suffix === "SHA384" ? "SHA384" : "SHA256";
  const common = { value, name, keyExchange: kx[0], authentication: kx[1], cipher, prfHash, tls13: false, keyLength: b.key };
  if (b.kind === "aead") {
    if (suffix !== "" && suffix !== "SHA256" && suffix !== "SHA384") return undefined;
    const salt = b.nonce === "salt";
    return { ...common, mac: "AEAD", aead: true, fixedIvLength: salt ? 4 : 12, recordIvLength: salt ? 8 : 0, macLength: 0, tagLength: b.tag! };
  }
  if (b.kind === "gost-ctr") {
    return { ...common, mac: b.mac!, aead: false, fixedIvLength: b.size, recordIvLength: 0, macLength: b.tag!, tagLength: 0 };
  }
  const mac = suffix === "NULL" ? (["NULL", 0] as [string, number]) : MAC[suffix];
  if (!mac) return undefined;
  return { ...common, mac: mac[0], aead: false, fixedIvLength: b.size, recordIvLength: b.size, macLength: mac[1], tagLength: 0 };
}
