/**
 * Builds a QUIC-dense benchmark capture by scaling recorded handshakes (test/fixtures/quic: ngtcp2 and Chromium
 * HTTP/3 over QUIC v1): each copy gets its own client address and port and its own connection IDs, so every copy
 * is a distinct QUIC connection. A connection ID sits in the header, which is both the AEAD's associated data and
 * (for the client's first DCID) the source of the Initial keys, so every packet is decrypted with the recorded
 * keys and sealed again (RFC 9001 §5) with the copy's IDs: the Initial keys derived from the copy's DCID, the
 * Handshake and 1-RTT keys from the recorded key log (the TLS secrets are unchanged, so OUT.keylog decrypts every
 * copy). Copies start 40 ms apart, so a few hundred are open at any time whatever the file's size.
 *
 * Usage: npx tsx scripts/make-quic-bench.ts OUT.pcap [--target-bytes 1e8]   (writes OUT.pcap, OUT.keylog, OUT.pcap.json)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readCaptureBytes } from "../src/capture/readFile";
import { ipOffset } from "../src/capture/link";
import { parseLongHeader, parseShortHeader } from "../src/capture/quic/header";
import { initialKeys, quicKeys, quicSuite, type QuicKeys } from "../src/engine/quic/keys";
import { protectPacket, removeHeaderProtection } from "../src/engine/quic/protection";
import { parseKeyLog } from "../src/engine/keylog";
import { inspectBytes } from "../src/inspect/inspect";

const root = path.resolve(__dirname, "..");
const TEMPLATES = ["ngtcp2-v1", "chromium-h3"];
const START_SPACING_MICROS = 40_000;

interface TemplatePacket {
  /** Offset of the packet within its datagram and its length. */
  offset: number;
  length: number;
  /** Present when the packet can be sealed again; else its bytes are copied as they are. */
  reseal?: {
    keys: "initial-c2s" | "initial-s2c" | QuicKeys;
    header: Uint8Array;
    pnLength: number;
    packetNumber: number;
    plaintext: Uint8Array;
    dcidAt: number;
    dcidLength: number;
    scidAt: number;
    scidLength: number;
  };
}

interface TemplateDatagram {
  fromClient: boolean;
  tsMicros: number;
  payload: Uint8Array;
  packets: TemplatePacket[];
}

interface Template {
  name: string;
  keylog: string;
  originalDcid: Uint8Array;
  version: number;
  clientPort: number;
  serverPort: number;
  datagrams: TemplateDatagram[];
  handshakes: number;
}

function loadTemplate(name: string): Template {
  const file = path.join(root, "test/fixtures/quic", `${name}.pcap`);
  const bytes = new Uint8Array(fs.readFileSync(file));
  const keylog = fs.readFileSync(path.join(root, "test/fixtures/quic", `${name}.keylog`), "utf8");
  const model = inspectBytes(bytes, name, { detail: "full", keylog });
  const conn = model.connections[0];
  const q = conn.quic!;
  const version = q.version ?? 1;
  const originalDcid = Uint8Array.from(Buffer.from(q.originalDcid ?? "", "hex"));
  const suite = quicSuite(conn.cipherSuite ?? 0)!;
  const random = conn.messages.find((m) => m.name === "ClientHello")!.fields!.random as string;
  const secrets = parseKeyLog(keylog).entries.get(random)!;
  const secretKeys = (label: string) => quicKeys(version, suite.aead, suite.hash, secrets.get(label)!);
  const keyOf = {
    handshake: { c2s: secretKeys("CLIENT_HANDSHAKE_TRAFFIC_SECRET"), s2c: secretKeys("SERVER_HANDSHAKE_TRAFFIC_SECRET") },
    application: { c2s: secretKeys("CLIENT_TRAFFIC_SECRET_0"), s2c: secretKeys("SERVER_TRAFFIC_SECRET_0") },
  };
  const init = initialKeys(version, originalDcid);
  const datagrams: TemplateDatagram[] = [];
  const byFrame = new Map<number, TemplateDatagram>();
  let clientPort = -1;
  let serverPort = -1;
  readCaptureBytes(bytes, {
    packet(frame, linkType, buf, off, len, tsMicros) {
      const ip = ipOffset(linkType, buf, off, off + len);
      const udp = ip + ((buf[ip] & 15) << 2);
      const sport = (buf[udp] << 8) | buf[udp + 1];
      if (clientPort < 0) {
        clientPort = sport;
        serverPort = (buf[udp + 2] << 8) | buf[udp + 3];
      }
      const d: TemplateDatagram = { fromClient: sport === clientPort, tsMicros, payload: buf.slice(udp + 8, off + len), packets: [] };
      datagrams.push(d);
      byFrame.set(frame, d);
    },
    error() {},
  });
  const cidLength = { c2s: q.serverCid.length / 2, s2c: q.clientCid.length / 2 };
  for (const p of conn.packets ?? []) {
    const d = byFrame.get(p.frame)!;
    const tp: TemplatePacket = { offset: p.datagramOffset, length: p.length };
    d.packets.push(tp);
    if (!p.decrypted || !p.raw || !p.plaintext || p.packetNumber === null || (p.keyGeneration ?? 0) !== 0) continue;
    const keys: TemplatePacket["reseal"] extends infer R ? (R extends { keys: infer K } ? K : never) : never =
      p.keys === "initial" ? (p.dir === "c2s" ? "initial-c2s" : "initial-s2c") : p.keys === "handshake" ? keyOf.handshake[p.dir] : keyOf.application[p.dir];
    if (p.keys === "early") continue;
    const h = p.type === "1-RTT" ? parseShortHeader(p.raw, 0, p.raw.length, cidLength[p.dir]) : parseLongHeader(p.raw, 0, p.raw.length);
    if (typeof h === "string") continue;
    const k = keys === "initial-c2s" ? init.client : keys === "initial-s2c" ? init.server : keys;
    const u = removeHeaderProtection(k, p.raw, 0, h.pnOffset, h.end)!;
    tp.reseal = {
      keys,
      header: u.header,
      pnLength: u.pnLength,
      packetNumber: p.packetNumber,
      plaintext: p.plaintext,
      dcidAt: h.dcidStart,
      dcidLength: h.dcidLength,
      scidAt: h.scidStart,
      scidLength: h.scidLength,
    };
  }
  return { name, keylog, originalDcid, version, clientPort, serverPort, datagrams, handshakes: conn.messages.length };
}

/** The copy's version of a connection ID: the same length, its bytes XORed with the copy number (distinct per copy). */
function copyCid(cid: Uint8Array, copy: number): Uint8Array {
  const out = cid.slice();
  for (let i = 0; i < 4 && i < out.length; i++) out[out.length - 1 - i] ^= (copy >>> (8 * i)) & 0xff;
  return out;
}

function rewriteCids(header: Uint8Array, r: NonNullable<TemplatePacket["reseal"]>, copy: number): Uint8Array {
  const h = header.slice();
  if (r.dcidLength) h.set(copyCid(header.subarray(r.dcidAt, r.dcidAt + r.dcidLength), copy), r.dcidAt);
  if (r.scidAt >= 0 && r.scidLength) h.set(copyCid(header.subarray(r.scidAt, r.scidAt + r.scidLength), copy), r.scidAt);
  return h;
}

/** Ethernet + IPv4 + UDP around a payload (checksums left zero: RFC 768 allows it for IPv4). */
function frame(src: number[], dst: number[], sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(14 + 20 + 8 + payload.length);
  out.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]);
  const ip = 14;
  const total = 20 + 8 + payload.length;
  out.set([0x45, 0, total >> 8, total & 0xff, 0, 0, 0x40, 0, 64, 17, 0, 0, ...src, ...dst], ip);
  const udp = ip + 20;
  const ulen = 8 + payload.length;
  out.set([sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, ulen >> 8, ulen & 0xff, 0, 0], udp);
  out.set(payload, udp + 8);
  return out;
}

function main(): void {
  const out = process.argv[2];
  if (!out) throw new Error("usage: make-quic-bench OUT.pcap [--target-bytes N]");
  const ti = process.argv.indexOf("--target-bytes");
  const target = ti > 0 ? Number(process.argv[ti + 1]) : 1e8;
  const templates = TEMPLATES.map(loadTemplate);
  // Records of all copies, merged by time: each copy's datagrams keep their recorded spacing.
  type Rec = { ts: number; copy: number; t: Template; d: TemplateDatagram };
  const fd = fs.openSync(out, "w");
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(262144, 16);
  head.writeUInt32LE(1, 20);
  fs.writeSync(fd, head);
  let written = 24;
  let copies = 0;
  let packets = 0;
  let handshakes = 0;
  const t0 = 1_700_000_000_000_000;
  // A window of copies in flight, emitted in timestamp order.
  let pending: Rec[] = [];
  const emit = (r: Rec): void => {
    const { copy, t, d } = r;
    const clientIp = [10, (copy >> 16) & 0xff, (copy >> 8) & 0xff, copy & 0xff];
    const serverIp = [192, 0, 2, 1 + (copy % 200)];
    const clientPort = 1024 + ((copy * 7919) % 64000);
    const payload = d.payload.slice();
    for (const p of d.packets) {
      const r2 = p.reseal;
      if (!r2) continue;
      const header = rewriteCids(r2.header, r2, copy);
      let keys: QuicKeys;
      if (r2.keys === "initial-c2s" || r2.keys === "initial-s2c") {
        const k = initialKeys(t.version, copyCid(t.originalDcid, copy));
        keys = r2.keys === "initial-c2s" ? k.client : k.server;
      } else keys = r2.keys;
      payload.set(protectPacket(keys, header, r2.pnLength, r2.packetNumber, r2.plaintext), p.offset);
    }
    const bytes = d.fromClient ? frame(clientIp, serverIp, clientPort, t.serverPort, payload) : frame(serverIp, clientIp, t.serverPort, clientPort, payload);
    const rec = Buffer.alloc(16 + bytes.length);
    rec.writeUInt32LE(Math.floor(r.ts / 1e6), 0);
    rec.writeUInt32LE(r.ts % 1e6, 4);
    rec.writeUInt32LE(bytes.length, 8);
    rec.writeUInt32LE(bytes.length, 12);
    rec.set(bytes, 16);
    fs.writeSync(fd, rec);
    written += rec.length;
    packets++;
  };
  for (let copy = 0; written < target; copy++) {
    const t = templates[copy % templates.length];
    const start = t0 + copy * START_SPACING_MICROS;
    const base = t.datagrams[0].tsMicros;
    for (const d of t.datagrams) pending.push({ ts: start + (d.tsMicros - base), copy, t, d });
    copies++;
    handshakes += t.handshakes;
    // Everything before this copy's start is final: write it in time order.
    pending.sort((a, b) => a.ts - b.ts);
    const ready = pending.filter((r) => r.ts < start);
    pending = pending.filter((r) => r.ts >= start);
    for (const r of ready) emit(r);
  }
  pending.sort((a, b) => a.ts - b.ts);
  for (const r of pending) emit(r);
  fs.closeSync(fd);
  fs.writeFileSync(out.replace(/\.pcap$/, ".keylog"), templates.map((t) => t.keylog).join(""));
  fs.writeFileSync(
    out + ".json",
    JSON.stringify({ bytes: written, packets, quicConnections: copies, handshakeMessages: handshakes, templates: TEMPLATES }, null, 1) + "\n",
  );
  console.log(`${out}: ${(written / 1e6).toFixed(1)} MB, ${packets} packets, ${copies} QUIC connections`);
}

main();
