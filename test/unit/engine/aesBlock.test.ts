/**
 * The single-block AES of QUIC header protection (aesEncryptBlock in src/engine/crypto/cipher.ts, noble's primitive) against node:crypto's AES-ECB (OpenSSL
 * as the oracle) for AES-128 and AES-256 keys, and FIPS 197 Appendix C's example vectors.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as nc from "node:crypto";
import { aesEncryptBlock, aesExpandKey } from "../../../src/engine/crypto/cipher";
import { xorshift32 } from "../xorshift";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
/** One block of AES-ECB from OpenSSL (the oracle). */
const aesEcbBlock = (key: Uint8Array, block: Uint8Array) =>
  new Uint8Array(
    nc
      .createCipheriv(key.length === 16 ? "aes-128-ecb" : "aes-256-ecb", key, null)
      .setAutoPadding(false)
      .update(block),
  );

test("FIPS 197 Appendix C.1 and C.3", () => {
  const plain = unhex("00112233445566778899aabbccddeeff");
  const out = new Uint8Array(16);
  aesEncryptBlock(aesExpandKey(unhex("000102030405060708090a0b0c0d0e0f")), plain, 0, out);
  assert.equal(hex(out), "69c4e0d86a7b0430d8cdb78070b4c55a");
  aesEncryptBlock(aesExpandKey(unhex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")), plain, 0, out);
  assert.equal(hex(out), "8ea2b7ca516745bfeafc49904b496089");
});

test("AES-128 and AES-256 blocks agree with node:crypto's AES-ECB; other key sizes are refused", () => {
  const rnd = xorshift32(197);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
  for (let i = 0; i < 400; i++) {
    const key = bytes(i % 2 ? 32 : 16);
    const input = bytes(40);
    const at = i % 24;
    const out = new Uint8Array(16);
    aesEncryptBlock(aesExpandKey(key), input, at, out);
    assert.equal(hex(out), hex(aesEcbBlock(key, input.subarray(at, at + 16))), `key ${hex(key)}`);
  }
  assert.throws(() => aesExpandKey(new Uint8Array(24)), RangeError);
});
