/**
 * IANA "TLS Supported Groups" registry (Transport Layer Security (TLS) Parameters, tls-parameters-8; RFC 8422 §5.1.1,
 * RFC 7919, RFC 8446 §4.2.7): every assigned group, including the deprecated binary/small curves 1-22, the ML-KEM
 * groups and the pre-standard Kyber hybrids IANA keeps as obsolete. GREASE (RFC 8701) is 16-bit.
 */
import { OpenEnum } from "./openEnum";

export const namedGroups = new OpenEnum(
  "TLS Supported Groups",
  2,
  {
    1: { name: "sect163k1", rfc: "RFC 8422" },
    2: { name: "sect163r1", rfc: "RFC 8422" },
    3: { name: "sect163r2", rfc: "RFC 8422" },
    4: { name: "sect193r1", rfc: "RFC 8422" },
    5: { name: "sect193r2", rfc: "RFC 8422" },
    6: { name: "sect233k1", rfc: "RFC 8422" },
    7: { name: "sect233r1", rfc: "RFC 8422" },
    8: { name: "sect239k1", rfc: "RFC 8422" },
    9: { name: "sect283k1", rfc: "RFC 8422" },
    10: { name: "sect283r1", rfc: "RFC 8422" },
    11: { name: "sect409k1", rfc: "RFC 8422" },
    12: { name: "sect409r1", rfc: "RFC 8422" },
    13: { name: "sect571k1", rfc: "RFC 8422" },
    14: { name: "sect571r1", rfc: "RFC 8422" },
    15: { name: "secp160k1", rfc: "RFC 8422" },
    16: { name: "secp160r1", rfc: "RFC 8422" },
    17: { name: "secp160r2", rfc: "RFC 8422" },
    18: { name: "secp192k1", rfc: "RFC 8422" },
    19: { name: "secp192r1", rfc: "RFC 8422" },
    20: { name: "secp224k1", rfc: "RFC 8422" },
    21: { name: "secp224r1", rfc: "RFC 8422" },
    22: { name: "secp256k1", rfc: "RFC 8422" },
    23: { name: "secp256r1", rfc: "RFC 8422" },
    24: { name: "secp384r1", rfc: "RFC 8422" },
    25: { name: "secp521r1", rfc: "RFC 8422" },
    26: { name: "brainpoolP256r1", rfc: "RFC 7027" },
    27: { name: "brainpoolP384r1", rfc: "RFC 7027" },
    28: { name: "brainpoolP512r1", rfc: "RFC 7027" },
    29: { name: "x25519", rfc: "RFC 8422" },
    30: { name: "x448", rfc: "RFC 8422" },
    31: { name: "brainpoolP256r1tls13", rfc: "RFC 8734" },
    32: { name: "brainpoolP384r1tls13", rfc: "RFC 8734" },
    33: { name: "brainpoolP512r1tls13", rfc: "RFC 8734" },
    34: { name: "GC256A", rfc: "RFC 9189" },
    35: { name: "GC256B", rfc: "RFC 9189" },
    36: { name: "GC256C", rfc: "RFC 9189" },
    37: { name: "GC256D", rfc: "RFC 9189" },
    38: { name: "GC512A", rfc: "RFC 9189" },
    39: { name: "GC512B", rfc: "RFC 9189" },
    40: { name: "GC512C", rfc: "RFC 9189" },
    41: { name: "curveSM2", rfc: "RFC 8998" },
    256: { name: "ffdhe2048", rfc: "RFC 7919" },
    257: { name: "ffdhe3072", rfc: "RFC 7919" },
    258: { name: "ffdhe4096", rfc: "RFC 7919" },
    259: { name: "ffdhe6144", rfc: "RFC 7919" },
    260: { name: "ffdhe8192", rfc: "RFC 7919" },
    0x0200: { name: "MLKEM512", rfc: "draft-ietf-tls-mlkem" },
    0x0201: { name: "MLKEM768", rfc: "draft-ietf-tls-mlkem" },
    0x0202: { name: "MLKEM1024", rfc: "draft-ietf-tls-mlkem" },
    0x11eb: { name: "SecP256r1MLKEM768", rfc: "draft-ietf-tls-ecdhe-mlkem" },
    0x11ec: { name: "X25519MLKEM768", rfc: "draft-ietf-tls-ecdhe-mlkem" },
    0x11ed: { name: "SecP384r1MLKEM1024", rfc: "draft-ietf-tls-ecdhe-mlkem" },
    0x6399: { name: "X25519Kyber768Draft00", rfc: "draft-tls-westerbaan-xyber768d00 (obsolete)" },
    0x639a: { name: "SecP256r1Kyber768Draft00", rfc: "draft-kwiatkowski-tls-ecdhe-kyber (obsolete)" },
    0xff01: { name: "arbitrary_explicit_prime_curves", rfc: "RFC 8422" },
    0xff02: { name: "arbitrary_explicit_char2_curves", rfc: "RFC 8422" },
  },
  "16",
);

/** Hybrid post-quantum groups: an (EC)DH share concatenated with a KEM share (draft-ietf-tls-hybrid-design §3.2). */
const HYBRID_PQ = new Set([0x11eb, 0x11ec, 0x11ed, 0x6399, 0x639a]);

/**
 * The kind of key exchange a group means. RFC 7919 §6 reserves 256-511 for finite-field groups; the ML-KEM groups
 * are pure KEMs; the elliptic-curve groups (including the explicit-curve markers) are (EC)DHE.
 */
export function describeGroupKind(group: number): "ecdhe" | "ffdhe" | "hybrid-pq" | "pq" | "unknown" {
  if (HYBRID_PQ.has(group)) return "hybrid-pq";
  if (group >= 0x0200 && group <= 0x0202) return "pq";
  if (group >= 256 && group <= 511) return "ffdhe";
  if ((group >= 1 && group <= 41) || group === 0xff01 || group === 0xff02) return "ecdhe";
  return "unknown";
}
