/**
 * File formats, link layers and IP decoding on synthesized captures. Payloads are real bytes (the first TLS
 * ClientHello of a fixture) so that what comes out can be compared with what went in.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  ACK,
  FIXTURES,
  IP_A,
  IP_B,
  PSH,
  concat,
  conversation,
  ether,
  ipv4,
  ipv6,
  ng,
  nullLink,
  pcap,
  pcapng,
  run,
  sll,
  sll2,
  streamText,
  tcp,
  text,
  v6,
  W,
} from "./build";
import { NotACaptureError, readCapture, readCaptureBytes } from "../../../src/capture/readFile";
import { readTcpStreams } from "../../../src/capture/pipeline";
import type { PacketSink } from "../../../src/capture/types";

/** The client's first TCP payload in a real capture (a TLS ClientHello). */
function realClientHello(): Uint8Array {
  let hello: Uint8Array | undefined;
  readTcpStreams(path.join(FIXTURES, "tls13-x25519-aes128gcm.pcap"), {
    open() {},
    data(_c, dir, data) {
      if (dir === 0 && !hello) hello = data.slice();
    },
    gap() {},
    close() {},
    error() {},
  });
  return hello!;
}
const HELLO = realClientHello();

function packets(bytes: Uint8Array): { frame: number; linkType: number; data: Uint8Array; ts: number }[] {
  const out: { frame: number; linkType: number; data: Uint8Array; ts: number }[] = [];
  const sink: PacketSink = {
    packet: (frame, linkType, buf, off, len, ts) => out.push({ frame, linkType, data: buf.slice(off, off + len), ts }),
    error: (e) => assert.fail(`unexpected error ${JSON.stringify(e)}`),
  };
  readCaptureBytes(bytes, sink);
  return out;
}

test("real ClientHello payload found", () => {
  assert.equal(HELLO[0], 0x16);
  assert.ok(HELLO.length > 100);
});

test("pcap: both byte orders, micro- and nanosecond timestamps", () => {
  const data = ether(ipv4(IP_A, IP_B, tcp({ seq: 1, payload: HELLO })));
  for (const le of [true, false]) {
    for (const nanos of [false, true]) {
      const bytes = pcap([{ data, sec: 1700000000, frac: nanos ? 123456789 : 123456 }], { le, nanos });
      const p = packets(bytes);
      assert.equal(p.length, 1);
      assert.equal(p[0].linkType, 1);
      assert.equal(p[0].ts, 1700000000 * 1e6 + 123456);
      assert.deepEqual(p[0].data, data);
    }
  }
});

test("pcap: snaplen-cut packet reports the missing bytes as a gap", () => {
  const full = ether(ipv4(IP_A, IP_B, tcp({ seq: 100, payload: HELLO })));
  const cut = full.subarray(0, full.length - 40);
  const next = ether(ipv4(IP_A, IP_B, tcp({ seq: 100 + HELLO.length, payload: text("tail") })));
  const rec = run(pcap([{ data: cut, origLen: full.length }, { data: next }], { snaplen: cut.length }));
  assert.deepEqual(
    rec.gaps.map((g) => g.bytes),
    [40],
  );
  assert.equal(streamText(rec, 0, 0).slice(-4), "tail");
  assert.equal(rec.bytes.get("0:0")!.length, HELLO.length - 40 + 4);
});

test("pcapng: two interfaces with different link types and tsresol, EPB/SPB/PB, unknown blocks", () => {
  const seg = tcp({ seq: 7, payload: HELLO });
  const ip = ipv4(IP_A, IP_B, seg);
  for (const le of [true, false]) {
    const bytes = pcapng({
      le,
      blocks: [
        ng.idb(1, { tsresol: 9 }), // Ethernet, nanoseconds
        ng.idb(101, { tsresol: 0x80 | 20 }), // raw IP, 2^-20 s
        ng.unknown(0x0bad, 12),
        ng.epb(0, ether(ip), 1700000000_123456789n),
        ng.epb(1, ip, BigInt(1700000000) * 1048576n + 524288n), // +0.5 s
        ng.spb(ether(ip)),
        ng.pb(1, ip, 5n * 1048576n),
      ],
    });
    const p = packets(bytes);
    assert.deepEqual(
      p.map((x) => x.linkType),
      [1, 101, 1, 101],
    );
    assert.equal(p[0].ts, 1700000000123456);
    assert.equal(p[1].ts, 1700000000500000);
    assert.equal(p[3].ts, 5e6);
    assert.deepEqual(p[1].data, ip);
    const info = readCaptureBytes(bytes, { packet() {}, error: () => assert.fail() });
    assert.deepEqual(info, { format: "pcapng", packets: 4, linkTypes: [1, 101] });
  }
});

test("pcapng: sections of different byte order, interfaces reset per section", () => {
  const ip = ipv4(IP_A, IP_B, tcp({ seq: 7, payload: HELLO }));
  const bytes = pcapng({ le: true, blocks: [ng.idb(101), ng.epb(0, ip)] }, { le: false, blocks: [ng.idb(1), ng.epb(0, ether(ip))] });
  const p = packets(bytes);
  assert.deepEqual(
    p.map((x) => x.linkType),
    [101, 1],
  );
  assert.deepEqual(p[1].data, ether(ip));
});

test("pcapng: SPB is cut to interface 0's snaplen; DSB secrets come with their position", () => {
  const data = ether(ipv4(IP_A, IP_B, tcp({ seq: 7, payload: HELLO })));
  const secrets = text("CLIENT_RANDOM 00 11\n");
  const bytes = pcapng({ le: true, blocks: [ng.idb(1, { snaplen: 60 }), ng.spb(data), ng.dsb(0x544c534b, secrets), ng.spb(data)] });
  const p = packets(bytes);
  assert.equal(p[0].data.length, 60);
  const rec = run(bytes);
  assert.equal(rec.secrets.length, 1);
  assert.deepEqual(rec.secrets[0], { secretsType: 0x544c534b, data: secrets, beforeFrame: 2 });
});

test("pcapng: wrong trailing length is a located error", () => {
  const bytes = pcapng({ le: true, blocks: [ng.idb(1), ng.epb(0, new Uint8Array(20))] });
  bytes[bytes.length - 1] ^= 0x40; // big-endian-high byte of the LE trailer
  const rec = run(bytes);
  assert.equal(rec.info!.packets, 0);
  assert.match(rec.captureErrors[0].message, /trailing total length/);
  assert.equal(rec.captureErrors[0].offset, bytes.length - 4);
});

test("not a capture: NotACaptureError with one clear message", () => {
  assert.throws(
    () => readCaptureBytes(text("GET / HTTP/1.1\r\n"), { packet() {}, error() {} }),
    (e: unknown) => {
      assert.ok(e instanceof NotACaptureError);
      assert.match((e as Error).message, /not a capture file.*found 47455420/);
      return true;
    },
  );
  assert.throws(() => readCaptureBytes(new Uint8Array(0), { packet() {}, error() {} }), NotACaptureError);
});

test("truncated pcap: located error naming packet and byte counts", () => {
  const data = ether(ipv4(IP_A, IP_B, tcp({ seq: 1, payload: HELLO })));
  const bytes = pcap([{ data }, { data }, { data }]);
  const cut = bytes.subarray(0, bytes.length - 100);
  const errors: { frame?: number; offset?: number; message: string }[] = [];
  const info = readCaptureBytes(cut, { packet() {}, error: (e) => errors.push(e) });
  assert.equal(info.packets, 2);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].frame, 3);
  assert.equal(errors[0].message, `file truncated in packet 3: record needs ${16 + data.length} bytes, ${16 + data.length - 100} left`);
});

test("file reading: records straddling the 1 MiB window and a record larger than it", () => {
  const small = ether(ipv4(IP_A, IP_B, tcp({ seq: 1, payload: HELLO })));
  const big = new Uint8Array(3 << 20).fill(0xab);
  const records = [];
  for (let i = 0; i < 5000; i++) records.push({ data: i === 2500 ? big : small, sec: i });
  const bytes = pcap(records, { snaplen: 4 << 20 });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "capture-")), "big.pcap");
  fs.writeFileSync(file, bytes);
  try {
    const lens: number[] = [];
    let progressCalls = 0;
    const info = readCapture(
      file,
      { packet: (_f, _l, _b, _o, len, ts) => lens.push(len, ts), error: (e) => assert.fail(e.message) },
      {
        onProgress: (done, total) => {
          progressCalls++;
          assert.ok(done <= total && total === bytes.length);
          return true;
        },
      },
    );
    assert.equal(info.packets, 5000);
    assert.equal(lens[2 * 2500], big.length);
    assert.equal(lens[2 * 4999 + 1], 4999e6);
    assert.ok(progressCalls >= 2, `${progressCalls} progress calls`);
    // Cancelling stops quietly.
    let n = 0;
    const cancelled = readCapture(file, { packet: () => n++, error: (e) => assert.fail(e.message) }, { onProgress: () => false });
    assert.ok(cancelled.packets < 5000 && n === cancelled.packets);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true });
  }
});

// ---- link layers ----

test("link layers: Ethernet + 802.1Q/802.1ad/QinQ, SLL, SLL2, raw, NULL/LOOP both byte orders", () => {
  const ip4 = ipv4(IP_A, IP_B, tcp({ seq: 1, flags: PSH | ACK, payload: HELLO }));
  const ip6 = ipv6(v6("2001:db8::1"), v6("2001:db8::2"), tcp({ seq: 1, flags: PSH | ACK, payload: HELLO }));
  const cases: [string, number, Uint8Array][] = [
    ["ethernet", 1, ether(ip4)],
    ["802.1Q", 1, ether(ip4, [0x8100])],
    ["802.1ad", 1, ether(ip6, [0x88a8])],
    ["QinQ", 1, ether(ip4, [0x88a8, 0x8100])],
    ["old QinQ", 1, ether(ip4, [0x9100, 0x8100])],
    ["SLL", 113, sll(ip4)],
    ["SLL v6", 113, sll(ip6)],
    ["SLL2", 276, sll2(ip4)],
    ["SLL2 v6", 276, sll2(ip6)],
    ["raw 101", 101, ip4],
    ["raw 101 v6", 101, ip6],
    ["IPv4 228", 228, ip4],
    ["IPv6 229", 229, ip6],
    ["raw 12", 12, ip4],
    ["raw 14", 14, ip6],
    ["NULL le", 0, nullLink(ip4, true)],
    ["NULL be", 0, nullLink(ip4, false)],
    ["NULL le v6 (24)", 0, nullLink(ip6, true, 24)],
    ["NULL le v6 (28)", 0, nullLink(ip6, true, 28)],
    ["LOOP be", 108, nullLink(ip4, false)],
    ["LOOP le v6", 108, nullLink(ip6, true, 30)],
  ];
  for (const [name, linkType, data] of cases) {
    const rec = run(pcap([{ data }], { linkType }));
    assert.deepEqual(rec.errors, [], name);
    assert.equal(rec.conns.length, 1, name);
    assert.deepEqual(Uint8Array.from(rec.bytes.get("0:0") ?? []), HELLO, name);
    const isV6 = data === ip6 || name.includes("v6") || name.includes("802.1ad") || name === "raw 14";
    assert.equal(rec.conns[0].a.ip, isV6 ? "2001:db8::1" : "10.0.0.1", name);
  }
});

test("link layers: non-IP frames are ignored quietly; unsupported link type reported once", () => {
  const arp = ether(new Uint8Array(28), [], 0x0806);
  const rec = run(pcap([{ data: arp }, { data: ether(new Uint8Array(30), [0x8100], 0x0806) }]));
  assert.deepEqual(rec.errors, []);
  const rec2 = run(pcap([{ data: arp }, { data: arp }], { linkType: 147 }));
  assert.equal(rec2.errors.length, 1);
  assert.match(rec2.errors[0].message, /link type 147 not supported/);
  const rec3 = run(pcap([{ data: arp.subarray(0, 10) }]));
  assert.match(rec3.errors[0].message, /link header.*truncated/);
});

// ---- IP ----

test("IPv4: header options, Ethernet padding trimmed by total length", () => {
  const seg = tcp({ seq: 1, flags: PSH | ACK, payload: text("abc") });
  const ip = ipv4(IP_A, IP_B, seg, { options: [0x94, 0x04, 0, 0, 1, 1, 1, 0] }); // router alert, NOPs, EOL
  const padded = concat(ether(ip), new Uint8Array(20).fill(0xee)); // padding + FCS-like junk
  const rec = run(pcap([{ data: padded }]));
  assert.equal(streamText(rec, 0, 0), "abc");
});

test("IPv4: fragments reassembled out of order; non-TCP ignored", () => {
  const seg = tcp({ seq: 1, flags: PSH | ACK, payload: HELLO });
  const f1 = seg.subarray(0, 64);
  const f2 = seg.subarray(64, 128);
  const f3 = seg.subarray(128);
  const frag = (data: Uint8Array, off: number, more: boolean) => ether(ipv4(IP_A, IP_B, data, { id: 77, fragOff: off, more }));
  const udp = ether(ipv4(IP_A, IP_B, new Uint8Array(12), { proto: 17 }));
  const rec = run(pcap([{ data: frag(f3, 128, false) }, { data: udp }, { data: frag(f1, 0, true) }, { data: frag(f2, 64, true) }]));
  assert.deepEqual(rec.errors, []);
  assert.deepEqual(Uint8Array.from(rec.bytes.get("0:0")!), HELLO);
  assert.equal(rec.dataFrames[0].frame, 4);
});

test("IPv4: fragment reassembly is bounded", () => {
  const recs = [];
  for (let id = 0; id < 300; id++) recs.push({ data: ether(ipv4(IP_A, IP_B, new Uint8Array(8), { id, fragOff: 8, more: true })) });
  const rec = run(pcap(recs), { fragmentLimits: { maxDatagrams: 16 } });
  assert.equal(rec.errors.length, 300 - 16);
  assert.match(rec.errors[0].message, /reassembly limit/);
});

test("IPv6: extension headers (hop-by-hop, routing, destination options, AH) and a fragmented datagram", () => {
  const src = v6("fe80::1"),
    dst = v6("2001:db8:0:0:1::");
  const seg = tcp({ seq: 9, flags: PSH | ACK, payload: HELLO });
  const hbh = new Uint8Array(7); // Hdr Ext Len 0 → 8 bytes
  const routing = Uint8Array.of(0, 0, 0, 0, 0, 0, 0); // 8 bytes
  const dest = concat(Uint8Array.of(1), new Uint8Array(14)); // len 1 → 16 bytes
  const ah = concat(Uint8Array.of(2), new Uint8Array(14)); // (2+2)*4 = 16 bytes
  const ip = ipv6(src, dst, seg, {
    ext: [
      [0, hbh],
      [43, routing],
      [60, dest],
      [51, ah],
    ],
  });
  const rec = run(pcap([{ data: ether(ip) }]));
  assert.deepEqual(rec.errors, []);
  assert.deepEqual(Uint8Array.from(rec.bytes.get("0:0")!), HELLO);
  assert.equal(rec.conns[0].a.ip, "fe80::1");
  assert.equal(rec.conns[0].b.ip, "2001:db8:0:0:1::"); // RFC 5952 §4.2.3: the longest zero run is shortened

  // Fragment header (44): the fragmentable part is [destination options, TCP], sent last fragment first.
  const body = concat(Uint8Array.of(6), dest, seg);
  const p1 = body.subarray(0, 104),
    p2 = body.subarray(104);
  const frag = (payload: Uint8Array, off: number, more: boolean) => {
    // next header 60 (destination options), reserved, offset | M flag, identification
    const fh = new W(false)
      .u8(60)
      .u8(0)
      .u16(off | (more ? 1 : 0))
      .u32(0xdeadbeef)
      .done();
    const fixed = new W(false)
      .u32(0x60000000)
      .u16(fh.length + payload.length)
      .u8(44)
      .u8(64)
      .raw(src)
      .raw(dst)
      .done();
    return ether(concat(fixed, fh, payload));
  };
  const rec2 = run(pcap([{ data: frag(p2, 104, false) }, { data: frag(p1, 0, true) }]));
  assert.deepEqual(rec2.errors, []);
  assert.deepEqual(Uint8Array.from(rec2.bytes.get("0:0")!), HELLO);
});

test("malformed IP and TCP headers are located errors, not crashes", () => {
  const cases: [Uint8Array, RegExp][] = [
    [ether(Uint8Array.of(0x45, 0, 0)), /IPv4 header truncated/],
    [ether(Uint8Array.of(0x43, 0, 0, 20, ...new Array(16).fill(0))), /IPv4 header length 12/],
    [ether(ipv4(IP_A, IP_B, new Uint8Array(10))), /TCP header truncated/],
    [ether(ipv4(IP_A, IP_B, tcp({ seq: 1 }), { totalLen: 10 })), /total length 10/],
    [ether(Uint8Array.of(0x60, 0, 0)), /IPv6 header truncated/],
    [ether(Uint8Array.of(0x75, 0, 0, 0)), /IP version 7/],
  ];
  const bad = tcp({ seq: 1 });
  bad[12] = 0x30; // data offset 12 bytes
  cases.push([ether(ipv4(IP_A, IP_B, bad)), /TCP data offset 12/]);
  for (const [data, re] of cases) {
    const rec = run(pcap([{ data }]));
    assert.equal(rec.errors.length, 1, String(re));
    assert.match(rec.errors[0].message, re);
    assert.equal(rec.errors[0].frame, 1);
  }
});

test("IPv4 total length 0 (TSO) uses the captured length", () => {
  const ip = ipv4(IP_A, IP_B, tcp({ seq: 1, flags: PSH | ACK, payload: text("tso!") }), { totalLen: 0 });
  assert.equal(streamText(run(pcap([{ data: ether(ip) }])), 0, 0), "tso!");
});

test("a whole conversation over every link type gives the same streams", () => {
  const convo = conversation({ c2s: HELLO, s2c: text("server says hi") });
  const ref = run(
    pcap(
      convo.map((d) => ({ data: d })),
      { linkType: 101 },
    ),
  );
  assert.equal(ref.conns.length, 1);
  assert.deepEqual(ref.closed, [{ id: 0, frame: 7 }]);
  for (const [lt, wrap] of [
    [1, (d: Uint8Array) => ether(d)],
    [113, sll],
    [276, sll2],
    [0, (d: Uint8Array) => nullLink(d, true)],
  ] as const) {
    const rec = run(
      pcap(
        convo.map((d) => ({ data: wrap(d) })),
        { linkType: lt },
      ),
    );
    assert.deepEqual(rec.events, ref.events, `link ${lt}`);
  }
});
