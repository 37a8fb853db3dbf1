/**
 * The short HMAC-SHA-256 of QUIC's key derivation (src/engine/quic/hmacSha256.ts) against node:crypto (OpenSSL as the
 * oracle) at every key length up to a block and every message length it takes, and HKDF-Expand-Label against the
 * engine's general one; the RFC 9001/9369 vectors (test/unit/inspect/quic/rfcVectors.test.ts) run through it too.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as nc from "node:crypto";
import { hkdfExpandLabelSha256Short, hkdfExtractSha256Short, hmacSha256Key, hmacSha256Short, MAX_SHORT_MESSAGE } from "../../../../src/engine/quic/hmacSha256";
import { hkdfExpandLabel } from "../../../../src/engine/keySchedule13";
import { xorshift32 } from "../../xorshift";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("HMAC-SHA-256 of short messages agrees with node:crypto for every key and message length", () => {
  const rnd = xorshift32(9001);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
  for (let keyLength = 0; keyLength <= 64; keyLength++) {
    for (let msgLength = 0; msgLength <= MAX_SHORT_MESSAGE; msgLength += keyLength % 5 === 0 ? 1 : 7) {
      const key = bytes(keyLength);
      const msg = bytes(msgLength);
      const out = new Uint8Array(32);
      hmacSha256Short(hmacSha256Key(key), msg, out);
      assert.equal(hex(out), nc.createHmac("sha256", key).update(msg).digest("hex"), `key ${keyLength} bytes, message ${msgLength}`);
    }
  }
  assert.equal(hex(hkdfExtractSha256Short(hmacSha256Key(bytes(20)), bytes(0))).length, 64);
});

test("HKDF-Expand-Label agrees with the engine's general one, and refuses what it cannot do", () => {
  const rnd = xorshift32(9369);
  for (const label of ["client in", "server in", "quic key", "quic iv", "quic hp", "quicv2 key", "quicv2 hp", "quic ku"]) {
    for (const length of [12, 16, 32]) {
      const secret = Uint8Array.from({ length: 32 }, () => Math.floor(rnd() * 256));
      const fast = hkdfExpandLabelSha256Short(hmacSha256Key(secret), label, length);
      assert.equal(hex(fast), hex(hkdfExpandLabel("SHA256", secret, label, new Uint8Array(0), length)), `${label} ${length}`);
    }
  }
  assert.throws(() => hkdfExpandLabelSha256Short(hmacSha256Key(new Uint8Array(32)), "quic key", 33), RangeError);
  assert.throws(() => hmacSha256Key(new Uint8Array(65)), RangeError);
  assert.throws(() => hmacSha256Short(hmacSha256Key(new Uint8Array(32)), new Uint8Array(MAX_SHORT_MESSAGE + 1), new Uint8Array(32)), RangeError);
});
