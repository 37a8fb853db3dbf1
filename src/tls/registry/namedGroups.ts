/**
 * IANA "TLS Supported Groups" registry (Transport Layer Security (TLS) Parameters, tls-parameters-8; RFC 8422 §5.1.1,
 * RFC 7919, RFC 8446 §4.2.7): every assigned group, including the deprecated binary/small curves 1-22, the ML-KEM
 * groups and the pre-standard Kyber hybrids IANA keeps as obsolete. GREASE (RFC 8701) is 16-bit.
 */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const namedGroups = new OpenEnum(
  "TLS Supported Groups",
  2,
  {
    sect163k1: { value: 1, rfc: "RFC 8422" },
    sect163r1: { value: 2, rfc: "RFC 8422" },
    sect163r2: { value: 3, rfc: "RFC 8422" },
    sect193r1: { value: 4, rfc: "RFC 8422" },
    sect193r2: { value: 5, rfc: "RFC 8422" },
    sect233k1: { value: 6, rfc: "RFC 8422" },
    sect233r1: { value: 7, rfc: "RFC 8422" },
    sect239k1: { value: 8, rfc: "RFC 8422" },
    sect283k1: { value: 9, rfc: "RFC 8422" },
    sect283r1: { value: 10, rfc: "RFC 8422" },
    sect409k1: { value: 11, rfc: "RFC 8422" },
    sect409r1: { value: 12, rfc: "RFC 8422" },
    sect571k1: { value: 13, rfc: "RFC 8422" },
    sect571r1: { value: 14, rfc: "RFC 8422" },
    secp160k1: { value: 15, rfc: "RFC 8422" },
    secp160r1: { value: 16, rfc: "RFC 8422" },
    secp160r2: { value: 17, rfc: "RFC 8422" },
    secp192k1: { value: 18, rfc: "RFC 8422" },
    secp192r1: { value: 19, rfc: "RFC 8422" },
    secp224k1: { value: 20, rfc: "RFC 8422" },
    secp224r1: { value: 21, rfc: "RFC 8422" },
    secp256k1: { value: 22, rfc: "RFC 8422" },
    secp256r1: { value: 23, rfc: "RFC 8422" },
    secp384r1: { value: 24, rfc: "RFC 8422" },
    secp521r1: { value: 25, rfc: "RFC 8422" },
    brainpoolP256r1: { value: 26, rfc: "RFC 7027" },
    brainpoolP384r1: { value: 27, rfc: "RFC 7027" },
    brainpoolP512r1: { value: 28, rfc: "RFC 7027" },
    x25519: { value: 29, rfc: "RFC 8422" },
    x448: { value: 30, rfc: "RFC 8422" },
    brainpoolP256r1tls13: { value: 31, rfc: "RFC 8734" },
    brainpoolP384r1tls13: { value: 32, rfc: "RFC 8734" },
    brainpoolP512r1tls13: { value: 33, rfc: "RFC 8734" },
    GC256A: { value: 34, rfc: "RFC 9189" },
    GC256B: { value: 35, rfc: "RFC 9189" },
    GC256C: { value: 36, rfc: "RFC 9189" },
    GC256D: { value: 37, rfc: "RFC 9189" },
    GC512A: { value: 38, rfc: "RFC 9189" },
    GC512B: { value: 39, rfc: "RFC 9189" },
    GC512C: { value: 40, rfc: "RFC 9189" },
    curveSM2: { value: 41, rfc: "RFC 8998" },
    ffdhe2048: { value: 256, rfc: "RFC 7919" },
    ffdhe3072: { value: 257, rfc: "RFC 7919" },
    ffdhe4096: { value: 258, rfc: "RFC 7919" },
    ffdhe6144: { value: 259, rfc: "RFC 7919" },
    ffdhe8192: { value: 260, rfc: "RFC 7919" },
    MLKEM512: { value: 0x0200, rfc: "draft-ietf-tls-mlkem" },
    MLKEM768: { value: 0x0201, rfc: "draft-ietf-tls-mlkem" },
    MLKEM1024: { value: 0x0202, rfc: "draft-ietf-tls-mlkem" },
    SecP256r1MLKEM768: { value: 0x11eb, rfc: "draft-ietf-tls-ecdhe-mlkem" },
    X25519MLKEM768: { value: 0x11ec, rfc: "draft-ietf-tls-ecdhe-mlkem" },
    SecP384r1MLKEM1024: { value: 0x11ed, rfc: "draft-ietf-tls-ecdhe-mlkem" },
    X25519Kyber768Draft00: { value: 0x6399, rfc: "draft-tls-westerbaan-xyber768d00 (obsolete)" },
    SecP256r1Kyber768Draft00: { value: 0x639a, rfc: "draft-kwiatkowski-tls-ecdhe-kyber (obsolete)" },
    arbitrary_explicit_prime_curves: { value: 0xff01, rfc: "RFC 8422" },
    arbitrary_explicit_char2_curves: { value: 0xff02, rfc: "RFC 8422" },
  },
  "16",
);
/** The named NamedGroup code points (`NamedGroup.x25519 === 29`). */
export const NamedGroup = namedGroups.codes;
export type NamedGroup = CodePointOf<typeof namedGroups>;

/** Hybrid post-quantum groups: an (EC)DH share concatenated with a KEM share (draft-ietf-tls-hybrid-design §3.2). */
const HYBRID_PQ = new Set<number>([
  NamedGroup.SecP256r1MLKEM768,
  NamedGroup.X25519MLKEM768,
  NamedGroup.SecP384r1MLKEM1024,
  NamedGroup.X25519Kyber768Draft00,
  NamedGroup.SecP256r1Kyber768Draft00,
]);

/** RFC 7919 §6: the code points 256-511 are reserved for finite-field groups (the five defined, and private use). */
const FFDHE_RANGE_FIRST = 0x0100;
const FFDHE_RANGE_LAST = 0x01ff;

/**
 * The kind of key exchange a group means. RFC 7919 §6 reserves 256-511 for finite-field groups; the ML-KEM groups
 * are pure KEMs; the elliptic-curve groups (including the explicit-curve markers) are (EC)DHE.
 */
export function describeGroupKind(group: number): "ecdhe" | "ffdhe" | "hybrid-pq" | "pq" | "unknown" {
  if (HYBRID_PQ.has(group)) return "hybrid-pq";
  if (group >= NamedGroup.MLKEM512 && group <= NamedGroup.MLKEM1024) return "pq";
  if (group >= FFDHE_RANGE_FIRST && group <= FFDHE_RANGE_LAST) return "ffdhe";
  if (group >= NamedGroup.sect163k1 && group <= NamedGroup.curveSM2) return "ecdhe";
  if (group === NamedGroup.arbitrary_explicit_prime_curves || group === NamedGroup.arbitrary_explicit_char2_curves) return "ecdhe";
  return "unknown";
}
