/**
 * The QUIC layer with real keys and hostile packets: real QUIC captures (ngtcp2 and Chromium HTTP/3) with their
 * real key logs. Byte 0 picks the fixture and the mode:
 * - plaintext (byte 0 % 4 < 2): bytes 1.. overwrite the decrypted payloads of the packets in capture order, and
 *   each packet is sealed again with its real keys (Initial keys from the client's DCID, Handshake and 1-RTT keys
 *   from the key log), header protection included — so every packet authenticates and hostile frames, CRYPTO
 *   offsets and TLS messages reach the frame parser, the CRYPTO reassembly and the handshake decoders;
 * - wire (byte 0 % 4 >= 2): bytes 1.. overwrite the UDP payloads (headers, connection IDs, lengths, protected
 *   bytes) in capture order, so the header parsing, coalescing, connection tracking and unprotection meet them.
 * Then the whole pipeline runs with detail "full" and renders JSON and text (as the inspect target).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readCaptureBytes } from "../../src/capture/readFile";
import { ipOffset } from "../../src/capture/link";
import { parseLongHeader, parseShortHeader } from "../../src/capture/quic/header";
import { initialKeys, quicKeys, quicSuite, type QuicKeys } from "../../src/engine/quic/keys";
import { protectPacket, removeHeaderProtection } from "../../src/engine/quic/protection";
import { parseKeyLog } from "../../src/engine/keylog";
import { inspectBytes } from "../../src/inspect/inspect";
import { FUZZ_ROOT } from "../lib/target";
import { inspectAndRender } from "./inspect";

export const maxLength = 16 * 1024;

/** One protected packet of a fixture: where it is in the file, its keys, its unprotected header and plaintext. */
interface Sealed {
  at: number;
  length: number;
  keys: QuicKeys;
  header: Uint8Array;
  pnLength: number;
  packetNumber: number;
  plaintext: Uint8Array;
}

interface Fixture {
  name: string;
  bytes: Uint8Array;
  keylog: string;
  /** File offsets of every UDP payload byte, in capture order. */
  wire: number[];
  sealed: Sealed[];
}

const NAMES = ["quic-ngtcp2-v1", "quic-chromium-h3"];

/** File offset of each frame's UDP payload (IPv4 fixtures). */
function udpPayloads(bytes: Uint8Array): Map<number, { start: number; end: number }> {
  const out = new Map<number, { start: number; end: number }>();
  readCaptureBytes(bytes, {
    packet(frame, linkType, buf, off, len) {
      const ip = ipOffset(linkType, buf, off, off + len);
      if (ip < 0 || buf[ip] >> 4 !== 4 || buf[ip + 9] !== 17) return;
      const udp = ip + ((buf[ip] & 15) << 2);
      out.set(frame, { start: udp + 8, end: off + len });
    },
    error() {},
  });
  return out;
}

function load(name: string): Fixture {
  const bytes = new Uint8Array(fs.readFileSync(path.join(FUZZ_ROOT, "fixtures", `${name}.pcap`)));
  const keylog = fs.readFileSync(path.join(FUZZ_ROOT, "fixtures", `${name}.keylog`), "utf8");
  const payloads = udpPayloads(bytes);
  const wire: number[] = [];
  for (const p of payloads.values()) for (let i = p.start; i < p.end; i++) wire.push(i);
  const model = inspectBytes(bytes, name, { detail: "full", keylog });
  const conn = model.connections[0];
  const sealed: Sealed[] = [];
  const random = conn.messages.find((m) => m.name === "ClientHello")?.fields?.random as string;
  const secrets = parseKeyLog(keylog).entries.get(random);
  const suite = conn.cipherSuite !== null ? quicSuite(conn.cipherSuite) : undefined;
  const version = conn.quic?.version ?? 1;
  const initial = initialKeys(version, Uint8Array.from(Buffer.from(conn.quic?.originalDcid ?? "", "hex")));
  const cidLength = { c2s: conn.quic!.serverCid.length / 2, s2c: conn.quic!.clientCid.length / 2 };
  for (const p of conn.packets ?? []) {
    if (!p.decrypted || !p.raw || !p.plaintext || p.packetNumber === null) continue;
    let keys: QuicKeys | undefined;
    const label = p.keys === "handshake" ? "HANDSHAKE_TRAFFIC_SECRET" : "TRAFFIC_SECRET_0";
    if (p.keys === "initial") keys = p.dir === "c2s" ? initial.client : initial.server;
    else if ((p.keys === "handshake" || (p.keys === "application" && p.keyGeneration === 0)) && suite && secrets) {
      const secret = secrets.get(`${p.dir === "c2s" ? "CLIENT" : "SERVER"}_${label}`);
      if (secret) keys = quicKeys(version, suite.aead, suite.hash, secret);
    }
    if (!keys) continue;
    const h = p.type === "1-RTT" ? parseShortHeader(p.raw, 0, p.raw.length, cidLength[p.dir]) : parseLongHeader(p.raw, 0, p.raw.length);
    if (typeof h === "string") continue;
    const u = removeHeaderProtection(keys, p.raw, 0, h.pnOffset, h.end);
    const frame = payloads.get(p.frame);
    if (!u || !frame) continue;
    sealed.push({
      at: frame.start + p.datagramOffset,
      length: p.raw.length,
      keys,
      header: u.header,
      pnLength: u.pnLength,
      packetNumber: p.packetNumber,
      plaintext: p.plaintext,
    });
  }
  if (!sealed.length) throw new Error(`${name}: no packet to re-seal (fixture or keys changed?)`);
  return { name, bytes, keylog, wire, sealed };
}

const FIXTURES: Fixture[] = NAMES.map(load);

export function seeds(): Uint8Array[] {
  const out: Uint8Array[] = [];
  FIXTURES.forEach((f, i) => {
    // Plaintext mode with the original plaintexts (the fixture as it is), and wire mode with the original bytes.
    const plain = f.sealed.flatMap((s) => [...s.plaintext]).slice(0, maxLength - 1);
    out.push(Uint8Array.from([i, ...plain]));
    out.push(Uint8Array.from([2 + i, ...f.wire.slice(0, maxLength - 1).map((o) => f.bytes[o])]));
  });
  return out;
}

/** The capture bytes for a fuzz input (exported for the regression tests). */
export function materialize(data: Uint8Array): { fixture: Fixture; capture: Uint8Array } {
  const sel = data[0] ?? 0;
  const fixture = FIXTURES[sel % FIXTURES.length];
  const capture = fixture.bytes.slice();
  const body = data.subarray(1);
  if (sel % 4 < 2) {
    let used = 0;
    for (const s of fixture.sealed) {
      if (used >= body.length) break;
      const plain = s.plaintext.slice();
      const n = Math.min(plain.length, body.length - used);
      plain.set(body.subarray(used, used + n));
      used += n;
      capture.set(protectPacket(s.keys, s.header, s.pnLength, s.packetNumber, plain), s.at);
    }
    return { fixture, capture };
  }
  const n = Math.min(fixture.wire.length, body.length);
  for (let j = 0; j < n; j++) capture[fixture.wire[j]] = body[j];
  return { fixture, capture };
}

export function fuzz(data: Uint8Array): void {
  const { fixture, capture } = materialize(data);
  inspectAndRender(capture, `${fixture.name}.pcap`, fixture.keylog);
}

/** For the regression test: the seed inputs must reproduce the fixtures byte for byte. */
export function sealedCount(): number[] {
  return FIXTURES.map((f) => f.sealed.length);
}
