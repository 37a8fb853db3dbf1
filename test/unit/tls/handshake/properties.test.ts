/**
 * Structural properties over every fixture message: annotating does not change the decode; the tree covers every
 * byte exactly once at each level; every truncation is a located error; random mutations never throw.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeHandshake } from "../../../../src/tls/handshake/decode";
import { checkCoverage } from "./coverage";
import { allMessages, representativeMessages } from "./messages";
import { xorshift32 } from "../../xorshift";

test("annotate=false gives the same fields, details and error as annotate=true", () => {
  for (const m of allMessages()) {
    const a = decodeHandshake(m.raw, m.ctx, true);
    const b = decodeHandshake(m.raw, m.ctx, false);
    assert.deepEqual(b.fields, a.fields, m.where);
    assert.deepEqual(b.details, a.details, m.where);
    assert.equal(b.name, a.name, m.where);
    assert.equal(b.error?.message, a.error?.message, m.where);
    assert.equal(b.tree, undefined, m.where);
  }
});

test("the tree covers every byte exactly once at each level", () => {
  for (const m of allMessages()) {
    const d = decodeHandshake(m.raw, m.ctx, true);
    assert.ok(d.tree, m.where);
    assert.equal(d.tree.start, 0, m.where);
    assert.equal(d.tree.end, m.raw.length, m.where);
    assert.ok(d.tree.rfc, `${m.where}: message node has an RFC citation`);
    checkCoverage(d.tree, m.where);
  }
});

test("every prefix truncation is a located error, never a throw", () => {
  for (const m of representativeMessages()) {
    for (let len = 0; len < m.raw.length; len++) {
      const raw = m.raw.subarray(0, len);
      for (const annotate of [true, false]) {
        const d = decodeHandshake(raw, m.ctx, annotate);
        assert.ok(d.error, `${m.where} cut at ${len}: no error`);
        assert.ok(d.error.field.length > 0, `${m.where} cut at ${len}: error without a field name (${d.error.message})`);
        assert.ok(d.error.offset >= 0 && d.error.offset <= len, `${m.where} cut at ${len}: offset ${d.error.offset}`);
        if (annotate) {
          assert.ok(d.tree!.error, `${m.where} cut at ${len}: error recorded on the tree`);
          checkCoverage(d.tree!, `${m.where} cut at ${len}`);
        }
      }
    }
  }
});

test("random mutations never throw, and both modes agree", () => {
  const rand = xorshift32(0x5eed);
  const msgs = representativeMessages();
  for (const m of msgs) {
    for (let i = 0; i < 150; i++) {
      const buf = new Uint8Array(m.raw);
      const edits = 1 + Math.floor(rand() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * buf.length);
        // Bias towards length bytes' extremes.
        const r = rand();
        buf[at] = r < 0.3 ? 0 : r < 0.6 ? 0xff : Math.floor(rand() * 256);
      }
      const ctx = rand() < 0.2 ? { ...m.ctx, version: null, cipherSuite: null } : m.ctx;
      const a = decodeHandshake(buf, ctx, true);
      const b = decodeHandshake(buf, ctx, false);
      assert.deepEqual(b.fields, a.fields, `${m.where} mutation ${i}`);
      assert.equal(b.error?.message, a.error?.message, `${m.where} mutation ${i}`);
      checkCoverage(a.tree!, `${m.where} mutation ${i}`);
    }
  }
});
