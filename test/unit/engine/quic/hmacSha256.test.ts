/**
 * The keyed HMAC-SHA-256 of QUIC's key derivation (src/engine/quic/hmacSha256.ts: noble's states, cloned) against
 * node:crypto (OpenSSL as the oracle) at key lengths up to two blocks and message lengths up to three, each key reused, and HKDF-Expand-Label against the
 * engine's general one; the RFC 9001/9369 vectors (test/unit/inspect/quic/rfcVectors.test.ts) run through it too.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as nc from "node:crypto";
import { hkdfExpandLabelSha256, hkdfExtractSha256, hmacSha256Key, hmacSha256 } from "../../../../src/engine/quic/hmacSha256";
import { hkdfExpandLabel } from "../../../../src/engine/keySchedule13";
import { xorshift32 } from "../../xorshift";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("HMAC-SHA-256 agrees with node:crypto for every key and message length, a key serving many messages", () => {
  const rnd = xorshift32(9001);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rnd() * 256));
  for (let keyLength = 0; keyLength <= 128; keyLength++) {
    const key = bytes(keyLength);
    const k = hmacSha256Key(key);
    for (let msgLength = 0; msgLength <= 192; msgLength += keyLength % 5 === 0 ? 1 : 7) {
      const msg = bytes(msgLength);
      const out = new Uint8Array(32);
      hmacSha256(k, msg, out);
      assert.equal(hex(out), nc.createHmac("sha256", key).update(msg).digest("hex"), `key ${keyLength} bytes, message ${msgLength}`);
    }
  }
  assert.equal(hex(hkdfExtractSha256(hmacSha256Key(bytes(20)), bytes(0))).length, 64);
});

test("HKDF-Expand-Label agrees with the engine's general one, and refuses what it cannot do", () => {
  const rnd = xorshift32(9369);
  for (const label of ["client in", "server in", "quic key", "quic iv", "quic hp", "quicv2 key", "quicv2 hp", "quic ku"]) {
    for (const length of [12, 16, 32]) {
      const secret = Uint8Array.from({ length: 32 }, () => Math.floor(rnd() * 256));
      const fast = hkdfExpandLabelSha256(hmacSha256Key(secret), label, length);
      assert.equal(hex(fast), hex(hkdfExpandLabel("SHA256", secret, label, new Uint8Array(0), length)), `${label} ${length}`);
    }
  }
  assert.throws(() => hkdfExpandLabelSha256(hmacSha256Key(new Uint8Array(32)), "quic key", 33), RangeError);
});
