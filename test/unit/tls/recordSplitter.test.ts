/** Record framing over arbitrary segmentation, skipping, gaps and hostile headers. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { RecordSplitter, type RecordSink } from "../../../src/tls/recordSplitter";

function record(type: number, body: Uint8Array, version = 0x0303): Uint8Array {
  const r = new Uint8Array(5 + body.length);
  r.set([type, version >> 8, version & 0xff, body.length >> 8, body.length & 0xff]);
  r.set(body, 5);
  return r;
}

function collect(want: (t: number) => boolean = () => true) {
  const got: { type: number; length: number; frag: number[] | null; frame: number; offset: number; damaged: boolean }[] = [];
  const invalid: string[] = [];
  const sink: RecordSink = {
    wantFragment: want,
    record: (type, _v, length, frag, frame, offset, damaged) => got.push({ type, length, frag: frag ? [...frag] : null, frame, offset, damaged }),
    invalid: (reason) => invalid.push(reason),
  };
  return { sink, got, invalid };
}

const stream = (): Uint8Array => {
  const parts = [
    record(
      22,
      Uint8Array.from({ length: 300 }, (_, i) => i & 0xff),
    ),
    record(20, Uint8Array.of(1)),
    record(23, new Uint8Array(1000).fill(7)),
    record(21, Uint8Array.of(1, 0)),
    record(22, new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, (o += p.length) - p.length);
  return out;
};

test("any segmentation yields the same records, fragments and offsets", () => {
  const s = stream();
  const whole = collect();
  new RecordSplitter(whole.sink).push(s, 1);
  assert.deepEqual(
    whole.got.map((r) => [r.type, r.length, r.offset]),
    [
      [22, 300, 0],
      [20, 1, 305],
      [23, 1000, 311],
      [21, 2, 1316],
      [22, 0, 1323],
    ],
  );
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 50 }), (cuts) => {
      const c = collect();
      const sp = new RecordSplitter(c.sink);
      let i = 0;
      let frame = 1;
      for (const n of cuts) {
        if (i >= s.length) break;
        sp.push(s.subarray(i, i + n), frame++);
        i += n;
      }
      if (i < s.length) sp.push(s.subarray(i), frame);
      assert.deepEqual(
        c.got.map((r) => [r.type, r.length, r.frag, r.offset]),
        whole.got.map((r) => [r.type, r.length, r.frag, r.offset]),
      );
    }),
    { numRuns: 200 },
  );
});

test("unwanted fragments are skipped (null), framing continues", () => {
  const c = collect((t) => t !== 23);
  new RecordSplitter(c.sink).push(stream(), 3);
  assert.equal(c.got[2].frag, null);
  assert.deepEqual(c.got[3].frag, [1, 0]);
});

test("a gap inside a skipped fragment keeps framing; inside a header loses it", () => {
  const s = stream();
  const c = collect((t) => t !== 23);
  const sp = new RecordSplitter(c.sink);
  sp.push(s.subarray(0, 400), 1);
  sp.gap(500, 2);
  sp.push(s.subarray(900), 3);
  assert.deepEqual(
    c.got.map((r) => r.type),
    [22, 20, 23, 21, 22],
  );
  assert.equal(c.got[2].damaged, true);
  const d = collect();
  const sp2 = new RecordSplitter(d.sink);
  sp2.push(s.subarray(0, 2), 1);
  sp2.gap(10, 2);
  assert.equal(d.invalid.length, 1);
  assert.ok(sp2.dead);
});

test("not TLS at offset 0; oversized length; hostile bytes never throw", () => {
  const c = collect();
  new RecordSplitter(c.sink).push(new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"), 1);
  assert.match(c.invalid[0], /not a TLS stream/);
  const d = collect();
  new RecordSplitter(d.sink).push(Uint8Array.of(22, 3, 3, 0xff, 0xff), 1);
  assert.match(d.invalid[0], /exceeds/);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
      const e = collect();
      new RecordSplitter(e.sink).push(bytes, 1);
    }),
    { numRuns: 300 },
  );
});

test("a million zero-length records stream in linear time", () => {
  const n = 1_000_000;
  const s = new Uint8Array(5 * n);
  for (let i = 0; i < n; i++) s.set([23, 3, 3, 0, 0], i * 5);
  let count = 0;
  const sp = new RecordSplitter({ wantFragment: () => false, record: () => count++, invalid: () => assert.fail("invalid") });
  const t0 = performance.now();
  sp.push(s, 1);
  assert.equal(count, n);
  assert.ok(performance.now() - t0 < 5000);
});
