/**
 * Forms the fixtures do not hold, built from fixture bytes: CompressedCertificate (zlib, brotli), sniffing the
 * key exchange without a known suite, TLS 1.0 CertificateVerify, unknown types, GREASE; plus Alert and
 * ChangeCipherSpec.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as zlib from "node:zlib";
import { decodeHandshake } from "../../../../src/tls/handshake/decode";
import { decodeAlert } from "../../../../src/tls/alert";
import { decodeChangeCipherSpec } from "../../../../src/tls/changeCipherSpec";
import { allMessages } from "./messages";
import { checkCoverage } from "./coverage";

function message(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out[0] = type;
  out[1] = body.length >> 16;
  out[2] = (body.length >> 8) & 0xff;
  out[3] = body.length & 0xff;
  out.set(body, 4);
  return out;
}

const u16 = (v: number) => [v >> 8, v & 0xff];
const u24 = (v: number) => [v >> 16, (v >> 8) & 0xff, v & 0xff];

test("CompressedCertificate (zlib, brotli) decodes the inner TLS 1.3 Certificate", () => {
  const tls13 = allMessages().find((m) => m.raw[0] === 11 && m.ctx.version === 0x0304)!;
  assert.ok(tls13, "a TLS 1.3 Certificate in the fixtures");
  const plain = decodeHandshake(tls13.raw, tls13.ctx, false);
  const body = tls13.raw.subarray(4);
  for (const [alg, compress] of [
    [1, zlib.deflateSync],
    [2, zlib.brotliCompressSync],
  ] as const) {
    const c = new Uint8Array(compress(body));
    const raw = message(25, new Uint8Array([...u16(alg), ...u24(body.length), ...u24(c.length), ...c]));
    for (const annotate of [true, false]) {
      const d = decodeHandshake(raw, tls13.ctx, annotate);
      assert.equal(d.error, undefined, d.error?.message);
      assert.equal(d.name, "CompressedCertificate");
      assert.deepEqual(d.fields.certificates, plain.fields.certificates);
      assert.deepEqual(d.details.certificates, plain.details.certificates);
      if (annotate) checkCoverage(d.tree!, "CompressedCertificate");
    }
    // A lying uncompressed_length is a located error, not a crash or an unbounded allocation.
    const lie = message(25, new Uint8Array([...u16(alg), ...u24(10), ...u24(c.length), ...c]));
    const e = decodeHandshake(lie, tls13.ctx, true);
    assert.ok(e.error === undefined ? e.tree!.children!.some((n) => JSON.stringify(n).includes("error")) : true);
  }
});

test("ServerKeyExchange and ClientKeyExchange without a known suite are sniffed to the same fields", () => {
  for (const m of allMessages().filter((x) => (x.raw[0] === 12 || x.raw[0] === 16) && x.ctx.cipherSuite !== null)) {
    const known = decodeHandshake(m.raw, m.ctx, false);
    const sniffed = decodeHandshake(m.raw, { ...m.ctx, cipherSuite: null, version: m.raw[0] === 12 ? null : m.ctx.version }, false);
    if (m.raw[0] === 16 && known.fields.exchangeKind === "dh") continue; // DH Yc and RSA look alike without a suite
    assert.equal(sniffed.error, undefined, m.where);
    assert.deepEqual(sniffed.fields, known.fields, m.where);
  }
});

test("TLS 1.0 CertificateVerify has no algorithm field", () => {
  const sig = new Uint8Array(64).fill(7);
  const raw = message(15, new Uint8Array([...u16(sig.length), ...sig]));
  const d = decodeHandshake(raw, { dir: "c2s", version: 0x0301, cipherSuite: null }, true);
  assert.equal(d.error, undefined);
  assert.deepEqual(d.fields, { signatureAlgorithm: null, signatureLength: 64 });
});

test("unknown handshake types keep their number and an opaque body; GREASE and unknown extensions survive", () => {
  const u = decodeHandshake(message(99, new Uint8Array([1, 2, 3])), { dir: "c2s", version: null, cipherSuite: null }, true);
  assert.equal(u.error, undefined);
  assert.equal(u.type, 99);
  assert.equal(u.name, "unknown");
  checkCoverage(u.tree!, "unknown");

  const ch = allMessages().find((m) => m.raw[0] === 1 && m.raw.length < 400)!;
  const d0 = decodeHandshake(ch.raw, ch.ctx, false);
  // Append a GREASE (0x0a0a) and an unassigned (0xfff0) extension to the ClientHello.
  const extra = [...u16(0x0a0a), ...u16(1), 0, ...u16(0xfff0), ...u16(2), 9, 9];
  const body = Array.from(ch.raw.subarray(4));
  const extStart = body.length - (d0.details.extensions!.reduce((n, e) => n + 4 + e.data.length, 0) + 2);
  const extLen = ((body[extStart] << 8) | body[extStart + 1]) + extra.length;
  body[extStart] = extLen >> 8;
  body[extStart + 1] = extLen & 0xff;
  const raw = message(1, new Uint8Array([...body, ...extra]));
  const d = decodeHandshake(raw, ch.ctx, true);
  assert.equal(d.error, undefined, d.error?.message);
  assert.deepEqual((d.fields.extensions as number[]).slice(-2), [0x0a0a, 0xfff0]);
  const names = d.tree!.children!.find((n) => n.name === "extensions")!.children!.map((n) => n.name);
  assert.equal(names.at(-2), "GREASE");
  assert.equal(names.at(-1), "extension_65520");
});

test("Alert and ChangeCipherSpec", () => {
  const a = decodeAlert(new Uint8Array([2, 40]), true);
  assert.deepEqual([a.level, a.description, a.error], [2, 40, undefined]);
  checkCoverage(a.tree!, "alert");
  const cut = decodeAlert(new Uint8Array([2]), true);
  assert.equal(cut.error?.field, "description");
  assert.equal(decodeAlert(new Uint8Array([1, 0, 0]), false).error?.field, "unexpected_data");
  assert.deepEqual(decodeChangeCipherSpec(new Uint8Array([1]), true).type, 1);
  assert.equal(decodeChangeCipherSpec(new Uint8Array([1]), true).error, undefined);
  assert.equal(decodeChangeCipherSpec(new Uint8Array([2]), false).error?.field, "type");
  assert.equal(decodeChangeCipherSpec(new Uint8Array([]), false).error?.field, "type");
});
