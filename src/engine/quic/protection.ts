/**
 * QUIC packet protection (RFC 9001 §5.3, §5.4): the payload is AEAD-sealed with nonce = IV XOR packet number and
 * the header (up to the end of the packet number) as associated data; then five bytes of a mask, computed from a
 * 16-byte sample of the ciphertext, hide the first byte's low bits and the packet number.
 */
import { aeadOpen, aeadSeal } from "../crypto/aead";
import { aesEncryptBlock, aesExpandKey, chacha20Xor, type AesRoundKeys } from "../crypto/cipher";
import type { QuicKeys } from "./keys";

/** RFC 9001 §5.4.2: the sample starts 4 bytes after the packet number's first byte. */
export const SAMPLE_OFFSET = 4;
export const SAMPLE_LENGTH = 16;

/** RFC 9001 §5.4.3 (AES-ECB of the sample) and §5.4.4 (ChaCha20 with counter and nonce taken from the sample). */
export function headerProtectionMask(k: QuicKeys, sample: Uint8Array): Uint8Array {
  if (k.aead === "CHACHA20_POLY1305") {
    const counter = sample[0] | (sample[1] << 8) | (sample[2] << 16) | (sample[3] << 24);
    return chacha20Xor(k.hp, counter, sample.subarray(4, 16), new Uint8Array(5));
  }
  let w = roundKeys.get(k.hp);
  if (!w) roundKeys.set(k.hp, (w = aesExpandKey(k.hp)));
  const out = new Uint8Array(16);
  aesEncryptBlock(w, sample, 0, out);
  return out.subarray(0, 5);
}

/** The AES round keys of each header protection key (a connection's packets share them; weakly held). */
const roundKeys = new WeakMap<Uint8Array, AesRoundKeys>();

/** RFC 9001 §5.3: the 12-byte nonce, the IV with the 62-bit packet number XORed into its last bytes. */
export function packetNonce(iv: Uint8Array, packetNumber: number): Uint8Array {
  const nonce = iv.slice();
  let pn = packetNumber;
  for (let i = 11; i >= 4 && pn > 0; i--) {
    nonce[i] ^= pn % 256;
    pn = Math.floor(pn / 256);
  }
  return nonce;
}

export interface Unprotected {
  /** The header with protection removed, through the packet number (the AEAD's associated data). */
  header: Uint8Array;
  /** 1–4. */
  pnLength: number;
  /** The packet number as sent (its low pnLength bytes). */
  truncatedPn: number;
}

/**
 * Removes header protection from the packet at `packet[start..end)` whose packet number starts at `pnOffset`
 * (RFC 9001 §5.4.1). Null when the packet is too short to hold a sample.
 */
export function removeHeaderProtection(k: QuicKeys, packet: Uint8Array, start: number, pnOffset: number, end: number): Unprotected | null {
  const sampleAt = pnOffset + SAMPLE_OFFSET;
  if (sampleAt + SAMPLE_LENGTH > end) return null;
  const mask = headerProtectionMask(k, packet.subarray(sampleAt, sampleAt + SAMPLE_LENGTH));
  const long = (packet[start] & 0x80) !== 0;
  const first = packet[start] ^ (mask[0] & (long ? 0x0f : 0x1f));
  const pnLength = (first & 0x03) + 1;
  const header = packet.slice(start, pnOffset + pnLength);
  header[0] = first;
  let pn = 0;
  for (let i = 0; i < pnLength; i++) {
    const b = packet[pnOffset + i] ^ mask[1 + i];
    header[pnOffset - start + i] = b;
    pn = pn * 256 + b;
  }
  return { header, pnLength, truncatedPn: pn };
}

/** Opens a payload (ciphertext with its tag); null when the tag does not verify. */
export function openPayload(k: QuicKeys, header: Uint8Array, packetNumber: number, ciphertext: Uint8Array): Uint8Array | null {
  return aeadOpen(k.aead, k.key, packetNonce(k.iv, packetNumber), header, ciphertext);
}

/** Seals a payload: ciphertext || tag. */
export function sealPayload(k: QuicKeys, header: Uint8Array, packetNumber: number, plaintext: Uint8Array): Uint8Array {
  return aeadSeal(k.aead, k.key, packetNonce(k.iv, packetNumber), header, plaintext);
}

/**
 * A whole protected packet from its unprotected header (through the packet number, `pnLength` bytes of it) and
 * plaintext payload (RFC 9001 §5.3, §5.4.1): what a sender does. Used by tests and the fuzzer's re-sealing.
 */
export function protectPacket(k: QuicKeys, header: Uint8Array, pnLength: number, packetNumber: number, plaintext: Uint8Array): Uint8Array {
  const sealed = sealPayload(k, header, packetNumber, plaintext);
  const out = new Uint8Array(header.length + sealed.length);
  out.set(header, 0);
  out.set(sealed, header.length);
  const pnOffset = header.length - pnLength;
  const sampleAt = pnOffset + SAMPLE_OFFSET;
  if (sampleAt + SAMPLE_LENGTH > out.length) throw new RangeError("packet too short for a header protection sample (RFC 9001 §5.4.2)");
  const mask = headerProtectionMask(k, out.subarray(sampleAt, sampleAt + SAMPLE_LENGTH));
  out[0] ^= mask[0] & ((out[0] & 0x80) !== 0 ? 0x0f : 0x1f);
  for (let i = 0; i < pnLength; i++) out[pnOffset + i] ^= mask[1 + i];
  return out;
}
