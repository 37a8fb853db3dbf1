/**
 * TLS 1.0 CBC records opened from hostile bytes (the decoding of real TLS 1.0 captures is proven against tshark in
 * test/interop/capture-legacy.test.ts): every length, aligned or not, with and without encrypt-then-MAC, fails
 * with a reason and never throws; the sequence number advances per record either way.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Tls10CbcOpener } from "../../../src/inspect/cbc10";
import { suiteParams } from "../../../src/engine/suites";
import { CipherSuite } from "../../../src/tls/registry";

test("TLS 1.0 CBC: garbage of every length fails with a reason", () => {
  const params = suiteParams(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA)!;
  for (const etm of [false, true]) {
    const keys = { key: new Uint8Array(randomBytes(32)), iv: new Uint8Array(randomBytes(16)), macKey: new Uint8Array(randomBytes(20)) };
    const opener = new Tls10CbcOpener(params, keys, etm);
    let n = 0n;
    for (let len = 0; len <= 100; len++) {
      const r = opener.open(23, 0x0301, new Uint8Array(randomBytes(len)));
      assert.equal(r.ok, false, `${len} random bytes do not open`);
      assert.ok(!r.ok && r.error.length > 0, "a reason");
      assert.equal(opener.seq, ++n);
    }
    assert.equal(opener.open(23, 0x0301, new Uint8Array((1 << 14) + 2049)).ok, false, "record overflow");
  }
});
