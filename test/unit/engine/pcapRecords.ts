/**
 * Test-only: the TLS records of each direction of the first TCP connection in a small, clean loopback capture
 * (classic pcap, Ethernet, IPv4). Segments are put in sequence order and duplicates dropped; nothing more. The
 * product's capture layer does the real work; this exists so engine tests do not depend on it.
 */
import * as fs from "node:fs";

export interface TlsRecord {
  type: number;
  version: number;
  fragment: Uint8Array;
}

export interface Streams {
  c2s: TlsRecord[];
  s2c: TlsRecord[];
}

export function recordsOfPcap(file: string, serverPort: number): Streams {
  const d = fs.readFileSync(file);
  const magic = d.readUInt32LE(0);
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error("little-endian classic pcap expected");
  const link = d.readUInt32LE(20);
  if (link !== 1) throw new Error(`Ethernet expected, link type ${link}`);
  const segs: Record<"c2s" | "s2c", Map<number, Buffer>> = { c2s: new Map(), s2c: new Map() };
  for (let o = 24; o + 16 <= d.length;) {
    const incl = d.readUInt32LE(o + 8);
    const pkt = d.subarray(o + 16, o + 16 + incl);
    o += 16 + incl;
    if (pkt.length < 14 + 20 || pkt.readUInt16BE(12) !== 0x0800) continue;
    const ip = pkt.subarray(14);
    if (ip[9] !== 6) continue;
    const ihl = (ip[0] & 15) * 4;
    const total = ip.readUInt16BE(2);
    const tcp = ip.subarray(ihl, total);
    const sport = tcp.readUInt16BE(0);
    const dport = tcp.readUInt16BE(2);
    const seq = tcp.readUInt32BE(4);
    const payload = tcp.subarray((tcp[12] >> 4) * 4);
    if (!payload.length) continue;
    const dir = dport === serverPort ? "c2s" : sport === serverPort ? "s2c" : null;
    if (dir && !segs[dir].has(seq)) segs[dir].set(seq, Buffer.from(payload));
  }
  const records = (m: Map<number, Buffer>): TlsRecord[] => {
    const data = Buffer.concat([...m.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]));
    const out: TlsRecord[] = [];
    for (let o = 0; o + 5 <= data.length;) {
      const len = data.readUInt16BE(o + 3);
      out.push({ type: data[o], version: data.readUInt16BE(o + 1), fragment: new Uint8Array(data.subarray(o + 5, o + 5 + len)) });
      o += 5 + len;
    }
    return out;
  };
  return { c2s: records(segs.c2s), s2c: records(segs.s2c) };
}

/** Handshake messages (header included) in the plaintext handshake records before the first ChangeCipherSpec. */
export function handshakeMessages(records: TlsRecord[]): Uint8Array[] {
  const ccs = records.findIndex((r) => r.type === 20);
  const plain = ccs < 0 ? records : records.slice(0, ccs);
  const data = Buffer.concat(plain.filter((r) => r.type === 22).map((r) => r.fragment));
  const out: Uint8Array[] = [];
  for (let o = 0; o + 4 <= data.length;) {
    const len = (data[o + 1] << 16) | (data[o + 2] << 8) | data[o + 3];
    out.push(new Uint8Array(data.subarray(o, o + 4 + len)));
    o += 4 + len;
  }
  return out;
}
