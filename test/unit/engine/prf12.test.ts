/**
 * TLS 1.2 PRF (RFC 5246 §5) against the IETF TLS list vectors (shared/vectors/tls12-prf.json), and the key block
 * layout (RFC 5246 §6.3) of each kind of suite.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { prf12, keyBlock12 } from "../../../src/engine/prf12";
import { suiteParams, supportedSuites } from "../../../src/engine/suites";
import { sharedPath } from "../../support/require";

const file = sharedPath("vectors", "tls12-prf.json");
const bytes = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("TLS 1.2 PRF vectors: P_SHA256 and P_SHA384", () => {
  const doc = JSON.parse(fs.readFileSync(file, "utf8")) as {
    vectors: { prf: string; secret: string; label: string; seed: string; output_octets: number; output: string }[];
  };
  let checked = 0;
  for (const v of doc.vectors) {
    const hash = v.prf === "P_SHA256" ? "SHA256" : v.prf === "P_SHA384" ? "SHA384" : null;
    if (!hash) continue; // SHA-224/512 are not TLS 1.2 PRF hashes of any supported suite
    const out = prf12(hash, bytes(v.secret), v.label, bytes(v.seed), v.output_octets);
    assert.equal(hex(out), v.output, v.prf);
    // A shorter request is a prefix of the longer output (P_hash is a stream).
    assert.equal(hex(prf12(hash, bytes(v.secret), v.label, bytes(v.seed), 13)), v.output.slice(0, 26));
    checked++;
  }
  assert.equal(checked, 2);
});

test("key block split: MAC keys, keys, IVs in RFC 5246 §6.3 order", () => {
  const master = new Uint8Array(48).fill(7);
  const cr = new Uint8Array(32).fill(1);
  const sr = new Uint8Array(32).fill(2);
  for (const p of supportedSuites().filter((s) => !s.tls13)) {
    const kb = keyBlock12(p, master, cr, sr);
    const whole = prf12(p.hash, master, "key expansion", new Uint8Array([...sr, ...cr]), 2 * (p.macLength + p.keyLength + p.fixedIvLength));
    assert.equal(hex(kb.keyBlock), hex(whole), p.name);
    const parts = [kb.client.macKey ?? new Uint8Array(0), kb.server.macKey ?? new Uint8Array(0), kb.client.key, kb.server.key, kb.client.iv, kb.server.iv];
    assert.equal(hex(new Uint8Array(Buffer.concat(parts))), hex(whole), p.name);
    assert.equal(kb.client.key.length, p.keyLength);
    assert.equal(kb.client.iv.length, p.fixedIvLength);
  }
  const gcm = suiteParams(0xc02f)!;
  assert.equal(gcm.fixedIvLength, 4);
  assert.equal(suiteParams(0xcca8)!.fixedIvLength, 12);
  assert.equal(suiteParams(0x003c)!.macLength, 32);
  assert.equal(suiteParams(0xc030)!.hash, "SHA384");
  assert.equal(suiteParams(0x0a0a), undefined);
});
