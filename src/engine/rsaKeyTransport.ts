/**
 * RSA key transport (RFC 5246 §7.4.7.1): the client encrypts a 48-byte premaster secret (client_version ||
 * 46 random bytes) to the server's RSA key with PKCS#1 v1.5; the server decrypts it.
 *
 * The server must not reveal whether the padding was right (Bleichenbacher; the Marvin attack on timing):
 * whatever goes wrong, it carries on with a random premaster, and the handshake fails later at Finished. The raw
 * RSA result is checked here, every byte looked at whatever the outcome, and the choice between the decrypted and
 * the random premaster made with masks.
 */
import { privateKeyFromPem } from "./crypto/keys";
import { randomBytes, type Rng } from "./crypto/random";
import { rsaEncryptPkcs1, rsaModulusLength, rsaPrivateOperation, type RsaPrivateKey, type RsaPublicKey } from "./crypto/rsa";

export const PREMASTER_LENGTH = 48;

/** The client's side: premaster = client_version (2 bytes) || 46 random bytes, and its encryption. */
export function createPremaster(serverKey: RsaPublicKey, clientVersion: number, rng?: Rng): { premaster: Uint8Array; encrypted: Uint8Array } {
  const premaster = new Uint8Array(PREMASTER_LENGTH);
  premaster[0] = clientVersion >> 8;
  premaster[1] = clientVersion & 0xff;
  premaster.set(randomBytes(PREMASTER_LENGTH - 2, rng), 2);
  return { premaster, encrypted: rsaEncryptPkcs1(serverKey, premaster, (n) => randomBytes(n, rng)) };
}

/** Keys given as PEM (a decoder's --rsa-key files), parsed once each. */
const pemKeys = new Map<string, RsaPrivateKey>();

function rsaDecryptionKey(key: RsaPrivateKey | string): RsaPrivateKey {
  if (typeof key !== "string") return key;
  let k = pemKeys.get(key);
  if (!k) {
    const raw = privateKeyFromPem(key);
    // An id-RSASSA-PSS key is for signatures only (RFC 4055 §1.2).
    if (raw.type !== "rsa" || raw.pss) throw new Error(`not an RSA decryption key (${raw.type}${raw.type === "rsa" ? "-pss" : ""})`);
    if (pemKeys.size >= 16) pemKeys.clear();
    pemKeys.set(key, (k = raw.key));
  }
  return k;
}

/**
 * The server's side, with the outcome: `valid` is false when the padding, the length or the version was wrong
 * and `premaster` is then the random substitute. A decoder may use `valid` to tell a wrong key from a right one;
 * a server must not act on it (RFC 5246 §7.4.7.1). The key is the engine's or a PEM private key.
 * Throws only when the ciphertext cannot be for this key (its length is not the modulus length, or the key is
 * not an RSA decryption key).
 */
export function decryptPremasterDetailed(
  privateKey: RsaPrivateKey | string,
  encrypted: Uint8Array,
  clientVersion: number,
  rng?: Rng,
): { premaster: Uint8Array; valid: boolean } {
  const key = rsaDecryptionKey(privateKey);
  const k = rsaModulusLength(key);
  if (encrypted.length !== k) throw new Error(`EncryptedPreMasterSecret is ${encrypted.length} bytes, the RSA modulus ${k}`);
  // Step 1: R, generated before decrypting so the path does not depend on the result.
  const r = randomBytes(PREMASTER_LENGTH, rng);
  // Step 2: EM = 00 02 PS(≥8 non-zero) 00 M (RFC 8017 §7.2.2). A ciphertext not below the modulus (hostile, or
  // for another key of the same size) is bad like any other.
  const em = rsaPrivateOperation(key, encrypted) ?? new Uint8Array(k);
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
export function decryptPremaster(privateKey: RsaPrivateKey | string, encrypted: Uint8Array, clientVersion: number, rng?: Rng): Uint8Array {
  return decryptPremasterDetailed(privateKey, encrypted, clientVersion, rng).premaster;
}
