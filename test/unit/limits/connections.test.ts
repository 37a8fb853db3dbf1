/**
 * Connections per capture: the reassembler keeps open connections (each costs a bounded, small amount) and
 * remembers at most maxClosedRemembered closed ones; lookups stay O(1) as the count grows (hash buckets double),
 * so a capture of very many connections costs linear time.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { DEFAULT_TCP_LIMITS, TcpReassembler } from "../../../src/capture/tcp";
import { ACK, assertLinear, CountingStreamSink, FIN, ipv4Tcp, MiB, ms, retained, segmentArgs, SYN } from "./helpers";

/** One short connection: SYN, one data segment, FIN both ways. Client address/port vary with `i`. */
function shortConnection(tcp: TcpReassembler, i: number, frame: number): number {
  const client = i >> 14;
  const cport = 1024 + (i & 0x3fff);
  const pkts = [
    ipv4Tcp({ seq: 100, flags: SYN, client, cport }),
    ipv4Tcp({ seq: 500, flags: SYN | ACK, client, cport, fromServer: true }),
    ipv4Tcp({ seq: 101, payload: Uint8Array.of(22, 3, 1, 0, 0), client, cport }),
    ipv4Tcp({ seq: 106, flags: FIN | ACK, client, cport }),
    ipv4Tcp({ seq: 501, flags: FIN | ACK, client, cport, fromServer: true }),
  ];
  for (const p of pkts) tcp.segment(frame++, p, ...segmentArgs(p));
  return frame;
}

test("200k short connections: linear time, every one opened and closed", () => {
  const run = (n: number) => {
    const sink = new CountingStreamSink();
    const tcp = new TcpReassembler(sink);
    let frame = 1;
    for (let i = 0; i < n; i++) frame = shortConnection(tcp, i, frame);
    tcp.finish(frame);
    assert.equal(sink.opened, n);
    assert.equal(sink.closed, n);
    assert.equal(sink.bytes[0], 5 * n);
  };
  const t = ms(() => run(200_000));
  assert.ok(t < 15_000, `200k connections took ${t.toFixed(0)} ms`);
  assertLinear("short connections", run, 10_000);
});

test("closed connections are remembered up to the bound, so memory does not grow with their number", () => {
  assert.equal(DEFAULT_TCP_LIMITS.maxClosedRemembered, 65536);
  const measure = (n: number) =>
    retained(() => {
      const tcp = new TcpReassembler(new CountingStreamSink(), { closedWindowPackets: 1 << 30 });
      let frame = 1;
      for (let i = 0; i < n; i++) frame = shortConnection(tcp, i, frame);
      return tcp;
    }).bytes;
  const at100k = measure(100_000);
  const at300k = measure(300_000);
  assert.ok(at300k < at100k + 16 * MiB, `100k closed: ${(at100k / MiB).toFixed(1)} MiB, 300k closed: ${(at300k / MiB).toFixed(1)} MiB`);
});

test("100k connections left open: a bounded cost each, all closed (in id order) at the end", () => {
  const sink = new CountingStreamSink();
  const { value: tcp, bytes } = retained(() => {
    const t = new TcpReassembler(sink);
    for (let i = 0; i < 100_000; i++) {
      const p = ipv4Tcp({ seq: 7, flags: SYN, client: i >> 14, cport: 1024 + (i & 0x3fff) });
      t.segment(1 + i, p, ...segmentArgs(p));
    }
    return t;
  });
  assert.ok(bytes / 100_000 < 2048, `${(bytes / 100_000).toFixed(0)} bytes per open connection`);
  const t = ms(() => tcp.finish(100_001));
  assert.equal(sink.closed, 100_000);
  assert.ok(t < 5000, `closing took ${t.toFixed(0)} ms`);
});

test("one 4-tuple reused by 50k connections in turn (SYN, FIN, new SYN...): linear time", () => {
  const run = (n: number) => {
    const sink = new CountingStreamSink();
    const tcp = new TcpReassembler(sink);
    let frame = 1;
    for (let i = 0; i < n; i++) {
      const isn = (i * 7919) >>> 0;
      for (const p of [ipv4Tcp({ seq: isn, flags: SYN }), ipv4Tcp({ seq: isn + 1, flags: FIN | ACK }), ipv4Tcp({ seq: 9, flags: FIN | ACK, fromServer: true })])
        tcp.segment(frame++, p, ...segmentArgs(p));
    }
    tcp.finish(frame);
    assert.equal(sink.opened, n);
  };
  const t = ms(() => run(50_000));
  assert.ok(t < 5000, `took ${t.toFixed(0)} ms`);
  assertLinear("reused 4-tuple", run, 5_000);
});
