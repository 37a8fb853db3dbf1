/**
 * TCP reassembly on synthesized segment sequences (raw-IP pcaps). The payload is a real TLS ClientHello taken
 * from a fixture, cut into pieces, so the expected output is always "the original bytes".
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import {
  ACK,
  FIN,
  FIXTURES,
  IP_A,
  IP_B,
  PSH,
  RST,
  SYN,
  concat,
  conversation,
  ipv4,
  ipv6,
  rawPcap,
  run,
  streamText,
  tcp,
  text,
  v6,
  type TcpOpts,
} from "./build";
import { readTcpStreams } from "../../../src/capture/pipeline";
import { ipv6Text } from "../../../src/capture/ipText";

function clientHello(): Uint8Array {
  let hello: Uint8Array | undefined;
  readTcpStreams(path.join(FIXTURES, "tls12-ecdhe-rsa-aes128gcm.pcap"), {
    open() {},
    data: (_c, dir, data) => void (dir === 0 && !hello && (hello = data.slice())),
    gap() {},
    close() {},
    error() {},
  });
  return hello!;
}
const HELLO = clientHello();

const up = (t: TcpOpts) => ipv4(IP_A, IP_B, tcp({ sport: 40000, dport: 443, flags: PSH | ACK, ...t }));
const down = (t: TcpOpts) => ipv4(IP_B, IP_A, tcp({ sport: 443, dport: 40000, flags: PSH | ACK, ...t }));

/** Handshake packets for ISNs a (client) and b (server). */
const open3 = (a: number, b: number) => [up({ seq: a, flags: SYN }), down({ seq: b, flags: SYN | ACK }), up({ seq: a + 1, flags: ACK })];

/** HELLO cut at the given offsets: [seq offset, bytes][] */
function pieces(cuts: number[]): [number, Uint8Array][] {
  const bounds = [0, ...cuts, HELLO.length];
  return bounds.slice(1).map((e, i) => [bounds[i], HELLO.subarray(bounds[i], e)]);
}

const bytesOf = (rec: ReturnType<typeof run>, key = "0:0") => Uint8Array.from(rec.bytes.get(key) ?? []);

test("in-order conversation: open, data both ways, close on FIN both ways", () => {
  const rec = run(rawPcap(conversation({ c2s: HELLO })));
  assert.deepEqual(bytesOf(rec), HELLO);
  assert.equal(streamText(rec, 0, 1), "world!");
  assert.equal(rec.conns[0].synSeen, true);
  assert.deepEqual(rec.closed, [{ id: 0, frame: 7 }]);
  assert.equal(rec.conns.length, 1, "the final ACK after both FINs is not a new connection");
});

test("out-of-order segments are delivered in order, at the frame that completed them", () => {
  const isn = 1000;
  const [p0, p1, p2] = pieces([50, 120]);
  const pk = [
    ...open3(isn, 9000),
    up({ seq: isn + 1 + p2[0], payload: p2[1] }),
    up({ seq: isn + 1 + p1[0], payload: p1[1] }),
    up({ seq: isn + 1 + p0[0], payload: p0[1] }),
  ];
  const rec = run(rawPcap(pk));
  assert.deepEqual(bytesOf(rec), HELLO);
  assert.deepEqual(
    rec.dataFrames.map((d) => d.frame),
    [6, 6, 6],
  );
  assert.equal(rec.gaps.length, 0);
});

test("retransmissions are delivered once; overlaps keep the first-seen bytes", () => {
  const isn = 77;
  const [p0, p1] = pieces([100]);
  const s = (off: number) => isn + 1 + off;
  // full retransmission, then a partial overlap extending past what was delivered
  const retrans = [
    ...open3(isn, 1),
    up({ seq: s(0), payload: p0[1] }),
    up({ seq: s(0), payload: p0[1] }),
    up({ seq: s(60), payload: HELLO.subarray(60, 130) }),
    up({ seq: s(130), payload: HELLO.subarray(130) }),
  ];
  assert.deepEqual(bytesOf(run(rawPcap(retrans))), HELLO);

  // A buffered future segment wins over later, different bytes for the same sequence numbers.
  const forged = HELLO.slice(100, 140).fill(0x58);
  const over = [...open3(isn, 1), up({ seq: s(100), payload: p1[1] }), up({ seq: s(0), payload: concat(p0[1], forged) })];
  const rec = run(rawPcap(over));
  assert.deepEqual(bytesOf(rec), HELLO);
  // And bytes already delivered win over a retransmission carrying different bytes.
  const late = [...open3(isn, 1), up({ seq: s(0), payload: p0[1] }), up({ seq: s(90), payload: concat(HELLO.slice(90, 100).fill(0x58), p1[1]) })];
  assert.deepEqual(bytesOf(run(rawPcap(late))), HELLO);
});

test("32-bit sequence wrap-around (ISN near 2^32), in and out of order", () => {
  const isn = 0xffffffff - 40;
  const [p0, p1, p2] = pieces([30, 60]); // crosses 2^32 inside p1
  const s = (off: number) => (isn + 1 + off) >>> 0;
  const inOrder = [...open3(isn, 5), up({ seq: s(p0[0]), payload: p0[1] }), up({ seq: s(p1[0]), payload: p1[1] }), up({ seq: s(p2[0]), payload: p2[1] })];
  assert.deepEqual(bytesOf(run(rawPcap(inOrder))), HELLO);
  const shuffled = [...open3(isn, 5), up({ seq: s(p2[0]), payload: p2[1] }), up({ seq: s(p0[0]), payload: p0[1] }), up({ seq: s(p1[0]), payload: p1[1] })];
  const rec = run(rawPcap(shuffled));
  assert.deepEqual(bytesOf(rec), HELLO);
  assert.equal(rec.gaps.length, 0);
});

test("mid-stream start: no SYN, the first packet's sender is the initiator", () => {
  const pk = [down({ seq: 123456, payload: text("from server") }), up({ seq: 999, payload: HELLO }), down({ seq: 123456 + 11, payload: text("!") })];
  const rec = run(rawPcap(pk));
  const c = rec.conns[0];
  assert.equal(c.synSeen, false);
  assert.deepEqual(c.a, { ip: "10.0.0.2", port: 443 });
  assert.deepEqual(c.b, { ip: "10.0.0.1", port: 40000 });
  assert.equal(streamText(rec, 0, 0), "from server!");
  assert.deepEqual(bytesOf(rec, "0:1"), HELLO);
  assert.deepEqual(rec.closed, [{ id: 0, frame: 3 }], "closed at end of file");
});

test("a lone SYN-ACK names its receiver as the initiator", () => {
  const rec = run(rawPcap([down({ seq: 5, flags: SYN | ACK }), up({ seq: 11, payload: text("hi") })]));
  assert.equal(rec.conns[0].a.port, 40000);
  assert.equal(rec.conns[0].synSeen, false);
  assert.equal(streamText(rec, 0, 0), "hi");
});

test("a hole becomes a gap when FIN arrives and the connection ends; bytes are never glued", () => {
  const isn = 10;
  const [p0, p1, p2] = pieces([40, 90]);
  const s = (off: number) => isn + 1 + off;
  const pk = [
    ...open3(isn, 500),
    up({ seq: s(p0[0]), payload: p0[1] }),
    up({ seq: s(p2[0]), payload: p2[1] }),
    up({ seq: s(HELLO.length), flags: FIN | ACK }),
    down({ seq: 501, flags: FIN | ACK }),
  ];
  const rec = run(rawPcap(pk));
  assert.deepEqual(rec.gaps, [{ id: 0, dir: 0, bytes: p1[1].length, frame: 7 }]);
  assert.deepEqual(
    rec.events.filter((e) => e.startsWith("data 0:0") || e.startsWith("gap")),
    [`data 0:0 ${p0[1].length}@4`, `gap 0:0 ${p1[1].length}@7`, `data 0:0 ${p2[1].length}@7`],
  );
  assert.deepEqual(rec.closed, [{ id: 0, frame: 7 }]);
  // A hole right before the FIN (nothing buffered after it) is a gap too.
  const rec2 = run(
    rawPcap([...open3(isn, 500), up({ seq: s(0), payload: p0[1] }), up({ seq: s(HELLO.length), flags: FIN | ACK }), down({ seq: 501, flags: FIN | ACK })]),
  );
  assert.deepEqual(
    rec2.gaps.map((g) => g.bytes),
    [HELLO.length - p0[1].length],
  );
});

test("the hole is filled by a late retransmission before the connection closes", () => {
  const isn = 10;
  const [p0, p1] = pieces([40]);
  const s = (off: number) => isn + 1 + off;
  const pk = [
    ...open3(isn, 500),
    up({ seq: s(HELLO.length), flags: FIN | ACK }),
    down({ seq: 501, flags: FIN | ACK }),
    up({ seq: s(p1[0]), payload: p1[1] }),
    up({ seq: s(0), payload: p0[1] }),
  ];
  const rec = run(rawPcap(pk));
  assert.deepEqual(bytesOf(rec), HELLO);
  assert.deepEqual(rec.gaps, []);
  assert.deepEqual(rec.closed, [{ id: 0, frame: 7 }]);
});

test("buffer limits: too many segments behind a hole → gap and resync", () => {
  const isn = 1;
  const pk = [...open3(isn, 1)];
  // 1 byte missing at offset 0, then 100 one-byte segments
  for (let i = 1; i <= 100; i++) pk.push(up({ seq: isn + 1 + i, payload: HELLO.subarray(i, i + 1) }));
  const rec = run(rawPcap(pk), { tcpLimits: { maxBufferedSegments: 64 } });
  assert.deepEqual(
    rec.gaps.map((g) => [g.bytes, g.frame]),
    [[1, 3 + 65]],
  );
  assert.deepEqual(bytesOf(rec), HELLO.subarray(1, 101));
  const rec2 = run(rawPcap(pk), { tcpLimits: { maxBufferedBytes: 10 } });
  assert.deepEqual(
    rec2.gaps.map((g) => g.bytes),
    [1],
  );
  assert.deepEqual(bytesOf(rec2), HELLO.subarray(1, 101));
});

test("RST closes at once, delivering what was pending first", () => {
  const isn = 3;
  const [p0, p1] = pieces([40]);
  const pk = [...open3(isn, 7), up({ seq: isn + 1 + 40, payload: p1[1] }), down({ seq: 8, flags: RST | ACK }), up({ seq: isn + 1, payload: p0[1] })];
  const rec = run(rawPcap(pk));
  assert.deepEqual(rec.events.slice(-3), ["gap 0:0 40@5", `data 0:0 ${p1[1].length}@5`, "close 0@5"]);
  assert.equal(rec.conns.length, 1, "late data after RST belongs to the closed connection");
});

test("SYN reusing a closed 4-tuple starts a new connection id; late ACKs do not", () => {
  const first = conversation({ isnA: 100, isnB: 200, c2s: HELLO });
  const second = conversation({ isnA: 7000, isnB: 8000, c2s: text("again") });
  const rec = run(rawPcap([...first, first[7], ...second]));
  assert.equal(rec.conns.length, 2);
  assert.deepEqual(
    rec.conns.map((c) => c.id),
    [0, 1],
  );
  assert.deepEqual(bytesOf(rec), HELLO);
  assert.equal(streamText(rec, 1, 0), "again");
  assert.deepEqual(rec.closed, [
    { id: 0, frame: 7 },
    { id: 1, frame: 16 },
  ]);
  // The same SYN retransmitted (same ISN) is not a new connection.
  const rec2 = run(rawPcap([...first, first[0]]));
  assert.equal(rec2.conns.length, 1);
});

test("a SYN with a new ISN after one FIN (TIME-WAIT reuse) closes the old connection with its holes", () => {
  const pk = [...open3(1, 1), up({ seq: 2, flags: FIN | ACK }), up({ seq: 99999, flags: SYN }), down({ seq: 5, flags: SYN | ACK })];
  const rec = run(rawPcap(pk));
  assert.equal(rec.conns.length, 2);
  assert.deepEqual(rec.closed, [
    { id: 0, frame: 5 },
    { id: 1, frame: 6 },
  ]);
});

test("connection ids follow first packets; finish closes open connections in id order", () => {
  const mk = (sport: number, isn: number) => ({
    up: (t: TcpOpts) => ipv4(IP_A, IP_B, tcp({ sport, dport: 443, flags: PSH | ACK, ...t })),
    isn,
  });
  const c1 = mk(1111, 10),
    c2 = mk(2222, 20),
    c3 = mk(3333, 30);
  const pk = [
    c2.up({ seq: 20, flags: SYN }),
    c1.up({ seq: 10, flags: SYN }),
    c3.up({ seq: 30, flags: SYN }),
    c1.up({ seq: 11, payload: text("one") }),
    c3.up({ seq: 31, payload: text("three") }),
  ];
  const rec = run(rawPcap(pk));
  assert.deepEqual(
    rec.conns.map((c) => c.a.port),
    [2222, 1111, 3333],
  );
  assert.deepEqual(rec.closed, [
    { id: 0, frame: 5 },
    { id: 1, frame: 5 },
    { id: 2, frame: 5 },
  ]);
  assert.equal(streamText(rec, 1, 0), "one");
  assert.equal(streamText(rec, 2, 0), "three");
});

test("IPv6 connections and IPv4 connections with the same numbers stay apart", () => {
  const a6 = v6("::1"),
    b6 = v6("::2");
  const pk = [ipv4([0, 0, 0, 1], [0, 0, 0, 2], tcp({ seq: 1, payload: text("v4") })), ipv6(a6, b6, tcp({ seq: 1, payload: text("v6") }))];
  const rec = run(rawPcap(pk));
  assert.equal(rec.conns.length, 2);
  assert.equal(rec.conns[1].a.ip, "::1");
  assert.equal(streamText(rec, 0, 0), "v4");
  assert.equal(streamText(rec, 1, 0), "v6");
});

test("many connections in one capture: each keeps its own bytes (hash buckets grow)", () => {
  const pk: Uint8Array[] = [];
  const n = 40000;
  for (let i = 0; i < n; i++) {
    const src = [10, (i >> 16) & 255, (i >> 8) & 255, i & 255];
    pk.push(ipv4(src, IP_B, tcp({ sport: 1024 + (i % 50000), dport: 443, seq: i * 7, flags: SYN })));
  }
  for (let i = n - 1; i >= 0; i -= 997) {
    const src = [10, (i >> 16) & 255, (i >> 8) & 255, i & 255];
    pk.push(ipv4(src, IP_B, tcp({ sport: 1024 + (i % 50000), dport: 443, seq: i * 7 + 1, payload: text(`c${i}`) })));
  }
  const rec = run(rawPcap(pk));
  assert.equal(rec.conns.length, n);
  for (let i = n - 1; i >= 0; i -= 997) assert.equal(streamText(rec, i, 0), `c${i}`);
});

test("hostile sequence numbers: jumps of ±2^31 neither hang nor allocate", () => {
  const pk = [...open3(0, 0)];
  for (let i = 0; i < 200; i++) pk.push(up({ seq: (i * 0x80000001) >>> 0, payload: HELLO.subarray(0, 1 + (i % 50)) }));
  pk.push(up({ seq: 5, flags: FIN | ACK }), down({ seq: 1, flags: FIN | ACK }));
  const rec = run(rawPcap(pk));
  assert.equal(rec.conns.length, 1);
  assert.equal(rec.closed.length, 1);
});

test("IPv6 text follows RFC 5952", () => {
  const w = (g: number[]) => [0, 2, 4, 6].map((i) => ((g[i] << 16) | g[i + 1]) >>> 0) as [number, number, number, number];
  const cases: [number[], string][] = [
    [[0, 0, 0, 0, 0, 0, 0, 1], "::1"],
    [[0, 0, 0, 0, 0, 0, 0, 0], "::"],
    [[0x2001, 0xdb8, 0, 0, 0, 0, 2, 1], "2001:db8::2:1"], // §4.2.1
    [[0x2001, 0xdb8, 0, 1, 1, 1, 1, 1], "2001:db8:0:1:1:1:1:1"], // §4.2.2: one zero group stays
    [[0x2001, 0, 0, 1, 0, 0, 0, 1], "2001:0:0:1::1"], // §4.2.3: longest run
    [[0x2001, 0xdb8, 0, 0, 1, 0, 0, 1], "2001:db8::1:0:0:1"], // §4.2.3: first of equal runs
    [[0xfe80, 0, 0, 0, 0xabcd, 0xef, 0, 0], "fe80::abcd:ef:0:0"],
    [[0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0280], "::ffff:192.0.2.128"], // §5
  ];
  for (const [g, want] of cases) assert.equal(ipv6Text(...w(g)), want);
});
