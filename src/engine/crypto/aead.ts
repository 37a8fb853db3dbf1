/**
 * The AEAD ciphers of the TLS 1.3 suites and the TLS 1.2 GCM/CCM/ChaCha20 suites (RFC 5116, RFC 8439, RFC 6655).
 *
 * Bulk record protection runs on node:crypto (OpenSSL, AES-NI): measured on these machines, noble's AES-GCM opens
 * 16 KB records at ~15 MB/s and node's at ~700 MB/s, which decides whether a 1 GB capture decrypts in seconds or
 * minutes. The noble ciphers remain the fallback for a runtime without these OpenSSL ciphers.
 */
import * as nodeCrypto from "node:crypto";
import { nobleAes, nobleChacha, u8 } from "./lazy";

export type AeadAlg = "AES_128_GCM" | "AES_256_GCM" | "CHACHA20_POLY1305" | "AES_128_CCM" | "AES_256_CCM" | "AES_128_CCM_8" | "AES_256_CCM_8";
/** The tag of every AEAD here but the CCM_8 ones. */
export const AEAD_TAG_LENGTH = 16;

/** RFC 6655 §3 / RFC 8446 Appendix B.4: the _CCM_8 suites truncate CCM's tag to 8 bytes; the others carry 16. */
export function aeadTagLength(alg: AeadAlg): number {
  return alg.endsWith("_CCM_8") ? 8 : AEAD_TAG_LENGTH;
}

const NODE_AEAD: Record<AeadAlg, string> = {
  AES_128_GCM: "aes-128-gcm",
  AES_256_GCM: "aes-256-gcm",
  CHACHA20_POLY1305: "chacha20-poly1305",
  AES_128_CCM: "aes-128-ccm",
  AES_256_CCM: "aes-256-ccm",
  AES_128_CCM_8: "aes-128-ccm",
  AES_256_CCM_8: "aes-256-ccm",
};
const nodeCiphers = new Set(nodeCrypto.getCiphers());
/** Whether node:crypto (this runtime's OpenSSL) has the cipher. */
export const nodeHasCipher = (name: string): boolean => nodeCiphers.has(name);
const isCcm = (alg: AeadAlg) => alg.includes("_CCM");

function nobleAead(alg: AeadAlg, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) {
  // @noble/ciphers has no CCM: a runtime without OpenSSL's CCM cannot run those suites.
  if (isCcm(alg)) throw new Error(`${alg}: this runtime's crypto has no AES-CCM`);
  return alg === "CHACHA20_POLY1305" ? nobleChacha().chacha20poly1305(key, nonce, aad) : nobleAes().gcm(key, nonce, aad);
}

/** AEAD encryption: ciphertext || tag (16 bytes; 8 for CCM_8). */
export function aeadSeal(alg: AeadAlg, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const name = NODE_AEAD[alg];
  if (!nodeHasCipher(name)) return nobleAead(alg, key, nonce, aad).encrypt(plaintext);
  const authTagLength = aeadTagLength(alg);
  if (isCcm(alg)) {
    // CCM (RFC 3610) must know the message length before it starts (it is in the first block it MACs).
    const c = nodeCrypto.createCipheriv(name as nodeCrypto.CipherCCMTypes, key, nonce, { authTagLength });
    c.setAAD(aad, { plaintextLength: plaintext.length });
    return u8(Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]));
  }
  const c = nodeCrypto.createCipheriv(name as nodeCrypto.CipherGCMTypes, key, nonce, { authTagLength });
  c.setAAD(aad);
  return u8(Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]));
}

/** AEAD decryption; null when the tag does not verify. */
export function aeadOpen(alg: AeadAlg, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array | null {
  const tagLength = aeadTagLength(alg);
  if (ciphertext.length < tagLength) return null;
  const name = NODE_AEAD[alg];
  try {
    if (!nodeHasCipher(name)) return nobleAead(alg, key, nonce, aad).decrypt(ciphertext);
    const split = ciphertext.length - tagLength;
    if (isCcm(alg)) {
      const d = nodeCrypto.createDecipheriv(name as nodeCrypto.CipherCCMTypes, key, nonce, { authTagLength: tagLength });
      d.setAuthTag(ciphertext.subarray(split));
      d.setAAD(aad, { plaintextLength: split });
      // OpenSSL checks the CCM tag inside update(): it throws there when the tag does not verify.
      const pt = d.update(ciphertext.subarray(0, split));
      d.final();
      return u8(pt);
    }
    const d = nodeCrypto.createDecipheriv(name as nodeCrypto.CipherGCMTypes, key, nonce, { authTagLength: tagLength });
    d.setAuthTag(ciphertext.subarray(split));
    d.setAAD(aad);
    const head = d.update(ciphertext.subarray(0, split));
    const tail = d.final(); // throws when the tag does not verify
    return u8(tail.length ? Buffer.concat([head, tail]) : head);
  } catch {
    return null;
  }
}

/** The noble AEAD, for tests that cross-check the node:crypto path against an independent one. */
export const nobleAeadSeal = (alg: AeadAlg, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): Uint8Array =>
  nobleAead(alg, key, nonce, aad).encrypt(pt);
