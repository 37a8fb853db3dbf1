/**
 * The unauthenticated ciphers: AES-CBC for the TLS 1.2 CBC suites (the record layer adds the MAC and the padding),
 * and the raw ChaCha20 that QUIC's header protection uses (RFC 9001 §5.4.4; its AES masks come from
 * quic/aesBlock.ts). On node:crypto, noble as the fallback (as for the AEADs, aead.ts).
 */
import * as nodeCrypto from "node:crypto";
import { nodeHasCipher } from "./aead";
import { nobleAes, nobleChacha, u8 } from "./lazy";

const cbcName = (key: Uint8Array) => (key.length === 16 ? "aes-128-cbc" : "aes-256-cbc");

/**
 * AES-CBC over whole blocks, without padding of its own: TLS pads (RFC 5246 §6.2.3.2) and checks the padding
 * itself. `data.length` must be a multiple of 16.
 */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (!nodeHasCipher(cbcName(key))) return nobleCbcEncrypt(key, iv, data);
  const c = nodeCrypto.createCipheriv(cbcName(key), key, iv).setAutoPadding(false);
  return u8(Buffer.concat([c.update(data), c.final()]));
}

export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (!nodeHasCipher(cbcName(key))) return nobleAes().cbc(key, iv, { disablePadding: true }).decrypt(data);
  const d = nodeCrypto.createDecipheriv(cbcName(key), key, iv).setAutoPadding(false);
  return u8(Buffer.concat([d.update(data), d.final()]));
}

/** noble's AES-CBC, the fallback and the tests' cross-check of the node:crypto path. */
export const nobleCbcEncrypt = (key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array =>
  nobleAes().cbc(key, iv, { disablePadding: true }).encrypt(data);

/**
 * The raw ChaCha20 stream (RFC 8439 §2.4) XORed over `data`, starting at block `counter` of `nonce` (12 bytes):
 * QUIC's header protection for ChaCha20-Poly1305 (RFC 9001 §5.4.4).
 */
export function chacha20Xor(key: Uint8Array, counter: number, nonce: Uint8Array, data: Uint8Array): Uint8Array {
  if (nodeHasCipher("chacha20")) {
    // OpenSSL's "chacha20" takes a 16-byte IV: the 32-bit block counter (little-endian), then the nonce.
    const iv = new Uint8Array(16);
    new DataView(iv.buffer).setUint32(0, counter >>> 0, true);
    iv.set(nonce.subarray(0, 12), 4);
    const c = nodeCrypto.createCipheriv("chacha20", key, iv);
    return u8(Buffer.concat([c.update(data), c.final()]));
  }
  return nobleChacha().chacha20(key, nonce, data, undefined, counter >>> 0);
}
