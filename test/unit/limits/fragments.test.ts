/**
 * IP fragment reassembly bounds (src/capture/ip.ts DEFAULT_FRAGMENT_LIMITS): 256 datagrams in progress, 8 MiB held,
 * 128 fragments per datagram; past a bound the oldest incomplete datagram is dropped with a located report.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { DEFAULT_FRAGMENT_LIMITS, IpDecoder } from "../../../src/capture/ip";
import { TcpReassembler } from "../../../src/capture/tcp";
import { assertLinear, CountingStreamSink, MiB, ms, retained } from "./helpers";

/** An IPv4 fragment of datagram `id` (protocol TCP): `payload` at byte offset `off` (a multiple of 8). */
function fragment(id: number, off: number, more: boolean, payload: Uint8Array, src = 1): Uint8Array {
  const b = new Uint8Array(20 + payload.length);
  b[0] = 0x45;
  b[2] = b.length >> 8;
  b[3] = b.length & 0xff;
  b[4] = (id >> 8) & 0xff;
  b[5] = id & 0xff;
  const fo = (off >> 3) | (more ? 0x2000 : 0);
  b[6] = fo >> 8;
  b[7] = fo & 0xff;
  b[8] = 64;
  b[9] = 6;
  b.set([10, 0, (src >> 8) & 0xff, src & 0xff], 12);
  b.set([10, 0, 0, 2], 16);
  b.set(payload, 20);
  return b;
}

function decoder(limits?: Partial<typeof DEFAULT_FRAGMENT_LIMITS>) {
  const sink = new CountingStreamSink();
  const reports: string[] = [];
  const ip = new IpDecoder(new TcpReassembler(sink), (_f, m) => reports.push(m), limits);
  return { ip, sink, reports, feed: (frame: number, p: Uint8Array) => ip.packet(frame, p, 0, p.length) };
}

/** A TCP header (ports 40000 → 443, data offset 5, ACK) followed by `n` payload bytes. */
function tcpBytes(n: number): Uint8Array {
  const t = new Uint8Array(20 + n);
  t.set([0x9c, 0x40, 0x01, 0xbb], 0);
  t[12] = 0x50;
  t[13] = 0x10;
  return t;
}

test("the default bounds are 256 datagrams, 8 MiB and 128 fragments", () => {
  assert.deepEqual(DEFAULT_FRAGMENT_LIMITS, { maxDatagrams: 256, maxBytes: 8 * MiB, maxFragments: 128 });
});

test("a datagram of 128 fragments is reassembled; one of 129 is dropped with a report", () => {
  for (const count of [128, 129]) {
    const d = decoder();
    const body = tcpBytes(count * 8 - 20);
    for (let i = 0; i < count; i++) d.feed(1 + i, fragment(7, i * 8, i < count - 1, body.subarray(i * 8, i * 8 + 8)));
    if (count === 128) {
      assert.equal(d.sink.opened, 1, "the reassembled segment reached TCP");
      assert.equal(d.sink.errors.length + d.reports.length, 0);
    } else {
      assert.equal(d.sink.opened, 0);
      assert.ok(
        d.reports.some((m) => m.includes("more than 128 fragments")),
        d.reports.join("; "),
      );
    }
  }
});

test("thousands of incomplete datagrams: at most 256 kept, the oldest dropped with a report, linear time", () => {
  const run = (n: number) => {
    const d = decoder();
    const chunk = new Uint8Array(1000);
    for (let i = 0; i < n; i++) d.feed(1 + i, fragment(i & 0xffff, 0, true, chunk, 1 + (i >> 16)));
    assert.equal(d.reports.length, Math.max(0, n - 256));
  };
  run(10_000);
  const t = ms(() => run(50_000));
  assert.ok(t < 5000, `50k datagrams took ${t.toFixed(0)} ms`);
  assertLinear("incomplete datagrams", run, 5_000);
});

test("fragments past 8 MiB in total: the oldest datagrams go and retained memory stays near the bound", () => {
  const chunk = new Uint8Array(60_000);
  const { value: d, bytes } = retained(() => {
    const dd = decoder();
    // 200 datagrams × 60 000 bytes = 12 MB > 8 MiB.
    for (let i = 0; i < 200; i++) dd.feed(1 + i, fragment(i, 0, true, chunk));
    return dd;
  });
  assert.ok(
    d.reports.some((m) => m.includes("reassembly limit")),
    "the byte bound dropped datagrams",
  );
  assert.ok(bytes < 8 * MiB + 4 * MiB, `retained ${(bytes / MiB).toFixed(1)} MiB with an 8 MiB bound`);
});

test("many overlapping fragments of one datagram: bounded by the fragment count, no quadratic work", () => {
  const d = decoder();
  const chunk = new Uint8Array(1480);
  const t = ms(() => {
    for (let i = 0; i < 100_000; i++) d.feed(1 + i, fragment(1 + (i >> 7), (i % 64) * 8, true, chunk));
  });
  assert.ok(t < 5000, `100k overlapping fragments took ${t.toFixed(0)} ms`);
});
