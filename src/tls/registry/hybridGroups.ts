/**
 * The wire layout of the post-quantum hybrid groups of draft-ietf-tls-ecdhe-mlkem §3.1: each key_exchange value and
 * each shared secret is the plain concatenation of an ML-KEM part (FIPS 203) and an ECDH part (RFC 8446 §4.2.8.2,
 * §7.4.2). The order differs per group: X25519MLKEM768 puts ML-KEM first, the two NIST-curve groups put ECDH first
 * (§3: so that the FIPS-approved ECDH secret is HKDF's first input, SP 800-56Cr2). Decoders (to split a key share
 * into its two parts) and the engine (to build and combine them) both read this one table.
 */
import { NamedGroup } from "./namedGroups";

export interface HybridLayout {
  /** The group's code point and IANA name. */
  group: number;
  name: string;
  /** The ML-KEM parameter set (FIPS 203 §8) and the ECDH group (the engine's and RFC 8422's name). */
  kem: "ML-KEM-768" | "ML-KEM-1024";
  ecdh: "x25519" | "secp256r1" | "secp384r1";
  /** The ML-KEM part comes first in the client share, the server share and the shared secret. */
  kemFirst: boolean;
  /** Sizes in bytes: encapsulation key (client), ciphertext (server), ECDH share (both), ECDH shared secret. */
  encapsulationKey: number;
  ciphertext: number;
  ecdhShare: number;
  ecdhSecret: number;
  /** Where the sizes and order are specified. */
  section: string;
}

/** ML-KEM shared secrets are 32 bytes for every parameter set (FIPS 203 §8, Table 3). */
export const MLKEM_SHARED_SECRET_LENGTH = 32;

const LAYOUTS: readonly HybridLayout[] = [
  {
    group: NamedGroup.X25519MLKEM768,
    name: "X25519MLKEM768",
    kem: "ML-KEM-768",
    ecdh: "x25519",
    kemFirst: true,
    encapsulationKey: 1184,
    ciphertext: 1088,
    ecdhShare: 32,
    ecdhSecret: 32,
    section: "draft-ietf-tls-ecdhe-mlkem §3.1",
  },
  {
    group: NamedGroup.SecP256r1MLKEM768,
    name: "SecP256r1MLKEM768",
    kem: "ML-KEM-768",
    ecdh: "secp256r1",
    kemFirst: false,
    encapsulationKey: 1184,
    ciphertext: 1088,
    ecdhShare: 65,
    ecdhSecret: 32,
    section: "draft-ietf-tls-ecdhe-mlkem §3.1",
  },
  {
    group: NamedGroup.SecP384r1MLKEM1024,
    name: "SecP384r1MLKEM1024",
    kem: "ML-KEM-1024",
    ecdh: "secp384r1",
    kemFirst: false,
    encapsulationKey: 1568,
    ciphertext: 1568,
    ecdhShare: 97,
    ecdhSecret: 48,
    section: "draft-ietf-tls-ecdhe-mlkem §3.1",
  },
];

/** The layout of a hybrid group this table knows (the three ML-KEM hybrids), else undefined. */
export function hybridLayout(group: number): HybridLayout | undefined {
  return LAYOUTS.find((l) => l.group === group);
}

export const HYBRID_GROUPS: readonly number[] = LAYOUTS.map((l) => l.group);

/** Which side's key_exchange: the client's (ML-KEM encapsulation key) or the server's (ML-KEM ciphertext). */
export type HybridSide = "client" | "server";

export interface HybridPart {
  kind: "mlkem" | "ecdh";
  offset: number;
  length: number;
}

/** The two parts of a key_exchange value in wire order, or undefined when its length is not the group's. */
export function hybridShareParts(layout: HybridLayout, side: HybridSide, length: number): [HybridPart, HybridPart] | undefined {
  const kemLength = side === "client" ? layout.encapsulationKey : layout.ciphertext;
  if (length !== kemLength + layout.ecdhShare) return undefined;
  const first = layout.kemFirst ? { kind: "mlkem" as const, length: kemLength } : { kind: "ecdh" as const, length: layout.ecdhShare };
  const second = layout.kemFirst ? { kind: "ecdh" as const, length: layout.ecdhShare } : { kind: "mlkem" as const, length: kemLength };
  return [
    { ...first, offset: 0 },
    { ...second, offset: first.length },
  ];
}
