/**
 * CRYPTO stream reassembly (RFC 9000 §19.6): bytes out of order, retransmitted, overlapping and split come out in
 * order exactly once; a hole is never bridged and is located at the end; a retransmission that disagrees is
 * reported; what waits behind a hole is bounded.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CryptoStream, MAX_CRYPTO_BUFFERED } from "../../../../src/inspect/quic/cryptoStream";

function stream() {
  const out: { bytes: number[]; offset: number; frame: number }[] = [];
  const errors: string[] = [];
  const s = new CryptoStream("test", { data: (b, offset, frame) => out.push({ bytes: [...b], offset, frame }), error: (m) => errors.push(m) });
  const all = () => out.flatMap((o) => o.bytes);
  return { s, out, errors, all };
}
const bytes = (from: number, to: number) => Uint8Array.from({ length: to - from }, (_, i) => (from + i) & 0xff);

test("in order, out of order, duplicated and overlapping pieces give each byte once, in order", () => {
  const { s, errors, all } = stream();
  s.insert(10, bytes(10, 20), 1);
  s.insert(5, bytes(5, 12), 2); // overlaps the held piece
  s.insert(30, bytes(30, 40), 3); // after a hole
  assert.deepEqual(all(), []);
  s.insert(0, bytes(0, 6), 4); // fills the front: 0..20 out
  assert.deepEqual(all(), [...bytes(0, 20)]);
  s.insert(0, bytes(0, 20), 5); // retransmission: nothing new
  s.insert(15, bytes(15, 35), 6); // fills the hole, overlaps both sides
  assert.deepEqual(all(), [...bytes(0, 40)]);
  assert.equal(s.delivered, 40);
  assert.deepEqual(s.holes(), []);
  assert.deepEqual(errors, []);
});

test("the frame of delivered bytes is the packet that made them contiguous", () => {
  const { s, out } = stream();
  s.insert(4, bytes(4, 8), 7);
  s.insert(0, bytes(0, 4), 9);
  assert.deepEqual(
    out.map((o) => o.frame),
    [9, 9],
  );
});

test("holes are located, never glued", () => {
  const { s, all } = stream();
  s.insert(0, bytes(0, 4), 1);
  s.insert(8, bytes(8, 12), 2);
  s.insert(20, bytes(20, 22), 3);
  assert.deepEqual(all(), [...bytes(0, 4)]);
  assert.deepEqual(s.holes(), [
    [4, 8],
    [12, 20],
  ]);
  assert.equal(s.waiting, 6);
});

test("a retransmission with different bytes is reported; the first bytes stay", () => {
  const { s, errors, all } = stream();
  s.insert(4, Uint8Array.of(1, 2, 3, 4), 1);
  s.insert(4, Uint8Array.of(1, 9, 3, 4), 2);
  s.insert(0, Uint8Array.of(0, 0, 0, 0), 3);
  assert.deepEqual(all(), [0, 0, 0, 0, 1, 2, 3, 4]);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /differs/);
});

test("what waits behind a hole is bounded", () => {
  const { s, errors } = stream();
  const piece = new Uint8Array(64 * 1024);
  for (let i = 1; i <= 32; i++) s.insert(i * piece.length, piece, i);
  assert.ok(s.waiting <= MAX_CRYPTO_BUFFERED);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /wait behind a hole/);
});
