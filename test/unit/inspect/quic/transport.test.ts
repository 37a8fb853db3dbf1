/**
 * QUIC is found in UDP over every link type and IP version the capture layer reads, by what it is and not by
 * port: the recorded ngtcp2 handshake's datagrams, re-wrapped as IPv4 fragments (out of order) on a raw-IP link,
 * as IPv6 on Linux cooked v2, and on other ports, decode to the same packets and messages as the original.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { readCaptureBytes } from "../../../../src/capture/pipeline";
import { ipOffset } from "../../../../src/capture/link";
import { inspectBytes } from "../../../../src/inspect/inspect";
import { concat, ipv4, ipv6, pcap, sll2, v6, W } from "../../capture/build";
import type { CaptureModel } from "../../../../src/model";

const dir = path.resolve(__dirname, "../../../fixtures/quic");
const keylog = fs.readFileSync(path.join(dir, "ngtcp2-v1.keylog"), "utf8");

interface Datagram {
  fromClient: boolean;
  payload: Uint8Array;
}

/** The UDP payloads of the fixture, in order, with their direction (the first sender is the client). */
function datagrams(): Datagram[] {
  const out: Datagram[] = [];
  let client = -1;
  readCaptureBytes(fs.readFileSync(path.join(dir, "ngtcp2-v1.pcap")), {
    packet(_frame, linkType, buf, off, len) {
      const ip = ipOffset(linkType, buf, off, off + len);
      const ihl = (buf[ip] & 0x0f) * 4;
      const udp = ip + ihl;
      const sport = (buf[udp] << 8) | buf[udp + 1];
      if (client < 0) client = sport;
      out.push({ fromClient: sport === client, payload: buf.slice(udp + 8, off + len) });
    },
    error() {},
  });
  return out;
}

function udp(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const w = new W(false)
    .u16(sport)
    .u16(dport)
    .u16(8 + payload.length)
    .u16(0);
  return concat(w.done(), payload);
}

const CLIENT = [192, 0, 2, 1];
const SERVER = [198, 51, 100, 7];

function summary(m: CaptureModel) {
  return m.connections.map((c) => ({
    transport: c.transport,
    version: c.version,
    cipherSuite: c.cipherSuite,
    decrypted: c.decrypted,
    quic: c.quic,
    packets: c.packets?.map((p) => [p.dir, p.type, p.packetNumber, p.length, p.decrypted, p.frames.join(",")]),
    messages: c.messages.map((msg) => [msg.dir, msg.name, msg.length, msg.space, msg.verified]),
    errors: c.errors,
  }));
}

const original = inspectBytes(fs.readFileSync(path.join(dir, "ngtcp2-v1.pcap")), "ngtcp2-v1.pcap", { keylog });

test("the fixture itself: one QUIC connection, decrypted", () => {
  assert.equal(original.connections.length, 1);
  assert.equal(original.connections[0].decrypted, true);
});

test("IPv4 fragments, delivered out of order, on a raw IP link, other ports", () => {
  const packets: Uint8Array[] = [];
  datagrams().forEach((d, i) => {
    const [src, dst, sp, dp] = d.fromClient ? [CLIENT, SERVER, 40000, 8443] : [SERVER, CLIENT, 8443, 40000];
    const body = udp(sp, dp, d.payload);
    if (body.length <= 600) {
      packets.push(ipv4(src, dst, body, { proto: 17, id: i + 1 }));
      return;
    }
    // Three fragments (RFC 791): offsets in 8-byte units, MF on all but the last; the last one sent first.
    const a = 512;
    const b = Math.min(body.length, 1024);
    const frags = [
      ipv4(src, dst, body.subarray(b), { proto: 17, id: i + 1, fragOff: b, more: false }),
      ipv4(src, dst, body.subarray(0, a), { proto: 17, id: i + 1, fragOff: 0, more: true }),
      ipv4(src, dst, body.subarray(a, b), { proto: 17, id: i + 1, fragOff: a, more: b < body.length }),
    ];
    packets.push(...(b < body.length ? frags : frags.slice(1)));
  });
  const m = inspectBytes(
    pcap(
      packets.map((data) => ({ data })),
      { linkType: 101 },
    ),
    "fragments.pcap",
    { keylog },
  );
  assert.deepEqual(m.errors, []);
  assert.deepEqual(summary(m), summary(original));
  assert.deepEqual(m.connections[0].client, { ip: "192.0.2.1", port: 40000 });
});

test("IPv6 on Linux cooked capture v2", () => {
  const c6 = v6("2001:db8::1");
  const s6 = v6("2001:db8::2");
  const packets = datagrams().map((d) => {
    const [src, dst, sp, dp] = d.fromClient ? [c6, s6, 53000, 4433] : [s6, c6, 4433, 53000];
    return sll2(ipv6(src, dst, udp(sp, dp, d.payload), { proto: 17 }));
  });
  const m = inspectBytes(
    pcap(
      packets.map((data) => ({ data })),
      { linkType: 276 },
    ),
    "v6.pcap",
    { keylog },
  );
  assert.deepEqual(m.errors, []);
  assert.deepEqual(summary(m), summary(original));
  assert.deepEqual(m.connections[0].server, { ip: "2001:db8::2", port: 4433 });
});

test("UDP that is not QUIC is not listed, and costs the TCP connections nothing", () => {
  // A DNS-like datagram, a 1200-byte random one whose first byte has the long-header bit, a short one.
  const junk = [
    Uint8Array.of(0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0),
    Uint8Array.from({ length: 1200 }, (_, i) => (i * 37 + 0xc3) & 0xff),
    Uint8Array.of(0x40),
  ];
  const packets = junk.map((p) => ipv4(CLIENT, SERVER, udp(5353, 5353, p), { proto: 17 }));
  const m = inspectBytes(
    pcap(
      packets.map((data) => ({ data })),
      { linkType: 101 },
    ),
    "junk.pcap",
  );
  assert.deepEqual(m.connections, []);
  assert.deepEqual(m.errors, []);
});
