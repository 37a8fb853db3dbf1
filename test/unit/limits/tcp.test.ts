/**
 * TCP reassembly bounds (src/capture/tcp.ts DEFAULT_TCP_LIMITS): at most 64 segments / 4 MiB buffered ahead of a
 * hole per direction, then the hole becomes a gap; no quadratic work on many tiny or overlapping segments.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { DEFAULT_TCP_LIMITS, TcpReassembler } from "../../../src/capture/tcp";
import { ACK, assertLinear, CountingStreamSink, FIN, ipv4Tcp, MiB, ms, retained, segmentArgs, SYN } from "./helpers";

const ISN = 1000;

function open(tcp: TcpReassembler): void {
  const syn = ipv4Tcp({ seq: ISN, flags: SYN });
  tcp.segment(1, syn, ...segmentArgs(syn));
}

function send(tcp: TcpReassembler, frame: number, rel: number, payload: Uint8Array, flags = ACK): void {
  const p = ipv4Tcp({ seq: ISN + 1 + rel, payload, flags });
  tcp.segment(frame, p, ...segmentArgs(p));
}

test("the default bounds are 4 MiB and 64 segments per direction", () => {
  assert.equal(DEFAULT_TCP_LIMITS.maxBufferedBytes, 4 * MiB);
  assert.equal(DEFAULT_TCP_LIMITS.maxBufferedSegments, 64);
});

test("64 segments wait behind a hole; the 65th turns the hole into a gap", () => {
  const sink = new CountingStreamSink();
  const tcp = new TcpReassembler(sink);
  open(tcp);
  // Byte 0 never arrives; segments 1..64 (one byte each) are buffered.
  for (let i = 1; i <= 64; i++) send(tcp, 1 + i, i, Uint8Array.of(i));
  assert.equal(sink.gaps, 0, "64 segments fit");
  assert.equal(sink.bytes[0], 0);
  send(tcp, 66, 65, Uint8Array.of(65));
  assert.equal(sink.gaps, 1, "the 65th declares the hole lost");
  assert.equal(sink.gapBytes, 1);
  assert.equal(sink.bytes[0], 65, "and delivers what waited behind it");
});

test("69 × 60000 bytes (under 4 MiB) wait behind a hole", () => {
  const sink = new CountingStreamSink();
  const tcp = new TcpReassembler(sink, { maxBufferedSegments: 1 << 20 });
  open(tcp);
  const seg = new Uint8Array(60000);
  for (let i = 0; i < 69; i++) send(tcp, 2 + i, 1 + i * seg.length, seg);
  assert.equal(sink.gaps, 0);
  assert.equal(sink.bytes[0], 0);
});

test("4 MiB wait behind a hole; more turns the hole into a gap, and retained memory stays near the bound", () => {
  const sink = new CountingStreamSink();
  const seg = new Uint8Array(60000);
  const { value: tcp, bytes } = retained(() => {
    const t = new TcpReassembler(sink, { maxBufferedSegments: 1 << 20 });
    open(t);
    // 72 segments × 60000 = 4.32 MB > 4 MiB (4.19 MB): the bound is hit before the last one is kept.
    for (let i = 0; i < 72; i++) send(t, 2 + i, 1 + i * seg.length, seg);
    return t;
  });
  assert.equal(sink.gaps, 1, "the byte bound declared the hole lost");
  assert.equal(sink.gapBytes, 1);
  assert.ok(bytes < 4 * MiB + 2 * MiB, `retained ${(bytes / MiB).toFixed(1)} MiB with a 4 MiB bound`);
  tcp.finish(100);
});

test("a flood of segments ahead of a hole never holds more than the bound (100k × 1 KiB)", () => {
  const sink = new CountingStreamSink();
  const seg = new Uint8Array(1024);
  const { value: tcp, bytes } = retained(() => {
    const t = new TcpReassembler(sink);
    open(t);
    for (let i = 0; i < 100_000; i++) send(t, 2 + i, 1 + 2 * i * seg.length, seg); // a hole before every segment
    return t;
  });
  assert.ok(bytes < 8 * MiB, `retained ${(bytes / MiB).toFixed(1)} MiB`);
  tcp.finish(200_000);
  assert.equal(sink.closed, 1);
});

test("100k one-byte segments in order: linear time", () => {
  const one = Uint8Array.of(0x17);
  const run = (n: number) => {
    const sink = new CountingStreamSink();
    const tcp = new TcpReassembler(sink);
    open(tcp);
    for (let i = 0; i < n; i++) send(tcp, 2 + i, i, one);
    tcp.finish(n + 2);
    assert.equal(sink.bytes[0], n);
  };
  const t = ms(() => run(100_000));
  assert.ok(t < 5000, `100k segments took ${t.toFixed(0)} ms`);
  assertLinear("in-order one-byte segments", run, 12_500);
});

test("100k one-byte segments in reverse order: linear time, every byte delivered once or declared a gap", () => {
  const one = Uint8Array.of(0x17);
  const run = (n: number) => {
    const sink = new CountingStreamSink();
    const tcp = new TcpReassembler(sink);
    open(tcp);
    for (let i = n - 1; i >= 0; i--) send(tcp, 2 + (n - i), i, one);
    tcp.finish(n + 2);
    assert.equal(sink.bytes[0] + sink.gapBytes, n);
  };
  const t = ms(() => run(100_000));
  assert.ok(t < 5000, `100k reversed segments took ${t.toFixed(0)} ms`);
  assertLinear("reversed one-byte segments", run, 12_500);
});

test("many overlapping segments ahead of a hole: linear time, first-seen bytes win", () => {
  const run = (n: number) => {
    const sink = new CountingStreamSink();
    const tcp = new TcpReassembler(sink);
    open(tcp);
    // Every segment covers [1 + (i % 50), 1 + (i % 50) + 200): heavy overlap, all behind the missing byte 0.
    const seg = new Uint8Array(200);
    for (let i = 0; i < n; i++) send(tcp, 2 + i, 1 + (i % 50), seg);
    tcp.finish(n + 2);
    assert.equal(sink.bytes[0], 249, "each byte once");
    assert.equal(sink.gapBytes, 1);
  };
  const t = ms(() => run(50_000));
  assert.ok(t < 5000, `50k overlapping segments took ${t.toFixed(0)} ms`);
  assertLinear("overlapping segments", run, 6_000);
});

test("many retransmissions of delivered bytes: no work beyond skipping them", () => {
  const sink = new CountingStreamSink();
  const tcp = new TcpReassembler(sink);
  open(tcp);
  const seg = new Uint8Array(1400);
  send(tcp, 2, 0, seg);
  const t = ms(() => {
    for (let i = 0; i < 200_000; i++) send(tcp, 3 + i, 0, seg);
  });
  send(tcp, 300_000, 1400, new Uint8Array(0), FIN | ACK);
  assert.equal(sink.bytes[0], 1400);
  assert.ok(t < 5000, `200k retransmissions took ${t.toFixed(0)} ms`);
});
