/**
 * RSA key transport (RFC 5246 §7.4.7.1): the client encrypts a 48-byte premaster secret (client_version ||
 * 46 random bytes) to the server's RSA key with PKCS#1 v1.5; the server decrypts it.
 *
 * The server must not reveal whether the padding was right (Bleichenbacher; the Marvin attack on timing):
 * whatever goes wrong, it carries on with a random premaster, and the handshake fails later at Finished. Node 20
 * refuses PKCS#1 v1.5 decryption, so the raw RSA result is checked here, every byte looked at whatever the
 * outcome, and the choice between the decrypted and the random premaster made with masks.
 */
import { randomBytes, rsaModulusBytes, rsaPkcs1Encrypt, rsaRawDecrypt, type PrivateKeyInput, type PublicKeyInput, type Rng } from "./crypto";

export const PREMASTER_LENGTH = 48;

/** The client's side: premaster = client_version (2 bytes) || 46 random bytes, and its encryption. */
export function createPremaster(serverKey: PublicKeyInput, clientVersion: number, rng?: Rng): { premaster: Uint8Array; encrypted: Uint8Array } {
  const premaster = randomBytes(PREMASTER_LENGTH, rng);
  premaster[0] = clientVersion >> 8;
  premaster[1] = clientVersion & 0xff;
  return { premaster, encrypted: rsaPkcs1Encrypt(serverKey, premaster) };
}

/**
 * The server's side, with the outcome: `valid` is false when the padding, the length or the version was wrong
 * and `premaster` is then the random substitute. A decoder may use `valid` to tell a wrong key from a right one;
 * a server must not act on it (RFC 5246 §7.4.7.1).
 * Throws only when the ciphertext cannot be for this key (its length is not the modulus length).
 */
export function decryptPremasterDetailed(
  privateKey: PrivateKeyInput,
  encrypted: Uint8Array,
  clientVersion: number,
  rng?: Rng,
): { premaster: Uint8Array; valid: boolean } {
  const k = rsaModulusBytes(privateKey);
  if (encrypted.length !== k) throw new Error(`EncryptedPreMasterSecret is ${encrypted.length} bytes, the RSA modulus ${k}`);
  // Step 1: R, generated before decrypting so the path does not depend on the result.
  const r = randomBytes(PREMASTER_LENGTH, rng);
  // Step 2: EM = 00 02 PS(≥8 non-zero) 00 M (RFC 8017 §7.2.2).
  let em: Uint8Array;
  try {
    em = rsaRawDecrypt(privateKey, encrypted);
  } catch {
    // A ciphertext not below the modulus (hostile, or for another key of the same size): bad like any other.
    em = new Uint8Array(k);
  }
  let bad = (em[0] | (em[1] ^ 2)) !== 0 ? 1 : 0;
  // M must be exactly 48 bytes: the separator sits at k-49, and PS (bytes 2..k-50) has no zero.
  const sep = k - PREMASTER_LENGTH - 1;
  bad |= em[sep] !== 0 ? 1 : 0;
  for (let i = 2; i < sep; i++) bad |= em[i] === 0 ? 1 : 0;
  bad |= sep < 10 ? 1 : 0;
  // Step 3: the version check (the rollback protection of §7.4.7.1).
  bad |= ((em[sep + 1] << 8) | em[sep + 2]) !== clientVersion ? 1 : 0;
  const mask = -bad & 0xff; // 0xff to keep R, 0x00 to keep M
  const premaster = new Uint8Array(PREMASTER_LENGTH);
  for (let i = 0; i < PREMASTER_LENGTH; i++) premaster[i] = (r[i] & mask) | (em[sep + 1 + i] & ~mask);
  return { premaster, valid: bad === 0 };
}

/** RFC 5246 §7.4.7.1: the premaster secret, or a random one when the message was not right. */
export function decryptPremaster(privateKeyPem: PrivateKeyInput, encrypted: Uint8Array, clientVersion: number, rng?: Rng): Uint8Array {
  return decryptPremasterDetailed(privateKeyPem, encrypted, clientVersion, rng).premaster;
}
