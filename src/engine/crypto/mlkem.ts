/** ML-KEM (FIPS 203), the post-quantum half of the hybrid groups (draft-ietf-tls-ecdhe-mlkem), on @noble/post-quantum. */
import { nobleMlKem } from "./lazy";
import { randomBytes, type Rng } from "./random";

export type MlKemParams = "ML-KEM-768" | "ML-KEM-1024";

const mlKem = (p: MlKemParams) => (p === "ML-KEM-768" ? nobleMlKem().ml_kem768 : nobleMlKem().ml_kem1024);

/** Encapsulation key and ciphertext sizes (FIPS 203 §8, Table 3). */
export const ML_KEM_SIZES: Record<MlKemParams, { encapsulationKey: number; ciphertext: number }> = {
  "ML-KEM-768": { encapsulationKey: 1184, ciphertext: 1088 },
  "ML-KEM-1024": { encapsulationKey: 1568, ciphertext: 1568 },
};

export interface MlKemKeyPair {
  /** The 64-byte seed d ‖ z (FIPS 203 Algorithm 19): a complete form of the private key. */
  seed: Uint8Array;
  encapsulationKey: Uint8Array;
  decapsulationKey: Uint8Array;
}

/** ML-KEM.KeyGen from 64 bytes of randomness (FIPS 203 §7.1, Algorithm 19). */
export function mlKemKeyPair(params: MlKemParams, rng?: Rng): MlKemKeyPair {
  const seed = randomBytes(64, rng);
  const k = mlKem(params).keygen(seed);
  return { seed, encapsulationKey: k.publicKey, decapsulationKey: k.secretKey };
}

/**
 * ML-KEM.Encaps (FIPS 203 §7.2, Algorithm 20) with the 32-byte message m from `rng`. Throws when the encapsulation
 * key fails the §7.2 input checks (its length, and the modulus check that every coefficient is below q).
 */
export function mlKemEncapsulate(
  params: MlKemParams,
  encapsulationKey: Uint8Array,
  rng?: Rng,
): { m: Uint8Array; ciphertext: Uint8Array; sharedSecret: Uint8Array } {
  const m = randomBytes(32, rng);
  const kem = mlKem(params);
  const want = ML_KEM_SIZES[params].encapsulationKey;
  if (encapsulationKey.length !== want) throw new Error(`${params} encapsulation key must be ${want} bytes`);
  let out: { cipherText: Uint8Array; sharedSecret: Uint8Array };
  try {
    out = kem.encapsulate(encapsulationKey, m);
  } catch {
    throw new Error(`${params} encapsulation key fails the modulus check (FIPS 203 §7.2)`);
  }
  return { m, ciphertext: out.cipherText, sharedSecret: out.sharedSecret };
}

/** ML-KEM.Decaps (FIPS 203 §7.3, Algorithm 21): never fails on a well-sized ciphertext (implicit rejection). */
export function mlKemDecapsulate(params: MlKemParams, decapsulationKey: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const want = ML_KEM_SIZES[params].ciphertext;
  if (ciphertext.length !== want) throw new Error(`${params} ciphertext must be ${want} bytes`);
  return mlKem(params).decapsulate(ciphertext, decapsulationKey);
}
