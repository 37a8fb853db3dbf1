/**
 * The unauthenticated ciphers: AES-CBC for the TLS 1.2 CBC suites (the record layer adds the MAC and the padding),
 * the raw ChaCha20 and the single AES block that QUIC's header protection uses (RFC 9001 §5.4.4, §5.4.3). On
 * node:crypto, noble as the fallback (as for the AEADs, aead.ts) — except the single block, which is noble's.
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

/** An AES key expanded into its round keys (FIPS 197 §5.2), kept for as long as the key is used. */
export type AesRoundKeys = Uint32Array;

/**
 * The round keys of a 16- or 32-byte AES key. QUIC's AES header protection (RFC 9001 §5.4.3: mask = AES-ECB(hp_key,
 * sample)) encrypts one block per packet under a key a connection's packets share, and a capture's summary uses a
 * key for a couple of blocks only: an OpenSSL cipher context per key cost several times the blocks it then
 * encrypted, so the key is expanded once by noble and each block goes through noble's single-block primitive.
 */
export function aesExpandKey(key: Uint8Array): AesRoundKeys {
  if (key.length !== 16 && key.length !== 32) throw new RangeError(`AES key of ${key.length} bytes: 16 or 32 here`);
  return single().expandKeyLE(key);
}

// noble's single-block rounds take and give the block as four little-endian words: one block and its word view,
// reused (no call re-enters), so nothing is allocated per block.
const block = new Uint8Array(16);
const words = new Uint32Array(block.buffer);
const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
let blockCipher: ReturnType<typeof nobleAes>["unsafe"] | undefined;
const single = () => (blockCipher ??= nobleAes().unsafe);

/** Encrypts the 16 bytes at `input[at..]` under `keys` into `out[0..16)` (AES-ECB of one block, FIPS 197 §5.1). */
export function aesEncryptBlock(keys: AesRoundKeys, input: Uint8Array, at: number, out: Uint8Array): void {
  block.set(input.subarray(at, at + 16));
  if (littleEndian) {
    const r = single().encrypt(keys, words[0], words[1], words[2], words[3]);
    words[0] = r.s0;
    words[1] = r.s1;
    words[2] = r.s2;
    words[3] = r.s3;
  } else single().encryptBlock(keys, block); // swaps the words to noble's order and back
  out.set(block);
}
