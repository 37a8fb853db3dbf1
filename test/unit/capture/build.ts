/**
 * Test helpers that write capture bytes: pcap/pcapng files and Ethernet/SLL/loopback/IP/TCP packets. Kept small
 * and literal so each test states exactly which bytes it feeds the readers.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readTcpStreams, type TcpStreamSink } from "../../../src/capture/pipeline";
import { concatBytes } from "../../../src/tls/bytes";
import type { CaptureError, CaptureInfo, DecryptionSecrets, TcpConnection, TcpDir } from "../../../src/capture/types";

export const FIXTURES = path.resolve(__dirname, "../../../../shared/fixtures");

/** Concatenation is the codec's own (src/tls/bytes.ts); the tests here know it as `concat`. */
export const concat = concatBytes;

export class W {
  private bytes: number[] = [];
  constructor(private readonly le = true) {}
  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.le ? this.u8(v).u8(v >> 8) : this.u8(v >> 8).u8(v);
  }
  u32(v: number): this {
    return this.le ? this.u16(v & 0xffff).u16(v >>> 16) : this.u16(v >>> 16).u16(v & 0xffff);
  }
  raw(b: Uint8Array | number[]): this {
    for (const x of b) this.bytes.push(x);
    return this;
  }
  pad4(): this {
    while (this.bytes.length % 4) this.bytes.push(0);
    return this;
  }
  get length(): number {
    return this.bytes.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

// ---- file formats ----

export interface PcapRecord {
  data: Uint8Array;
  sec?: number;
  frac?: number;
  origLen?: number;
}

export function pcap(records: PcapRecord[], opts: { le?: boolean; nanos?: boolean; linkType?: number; snaplen?: number } = {}): Uint8Array {
  const w = new W(opts.le ?? true);
  w.u32(opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(2)
    .u16(4)
    .u32(0)
    .u32(0)
    .u32(opts.snaplen ?? 262144)
    .u32(opts.linkType ?? 1);
  for (const r of records) {
    w.u32(r.sec ?? 0)
      .u32(r.frac ?? 0)
      .u32(r.data.length)
      .u32(r.origLen ?? r.data.length)
      .raw(r.data);
  }
  return w.done();
}

export type NgBlock = (le: boolean) => Uint8Array;

function block(le: boolean, type: number, body: (w: W) => void): Uint8Array {
  const w = new W(le);
  body(w);
  w.pad4();
  const b = w.done();
  return new W(le)
    .u32(type)
    .u32(b.length + 12)
    .raw(b)
    .u32(b.length + 12)
    .done();
}

export const ng = {
  shb: (): NgBlock => (le) => block(le, 0x0a0d0d0a, (w) => w.u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff)),
  idb:
    (linkType: number, opts: { snaplen?: number; tsresol?: number } = {}): NgBlock =>
    (le) =>
      block(le, 1, (w) => {
        w.u16(linkType)
          .u16(0)
          .u32(opts.snaplen ?? 0);
        if (opts.tsresol !== undefined) w.u16(9).u16(1).u8(opts.tsresol).pad4().u16(0).u16(0);
      }),
  epb:
    (ifId: number, data: Uint8Array, ts = 0n): NgBlock =>
    (le) =>
      block(le, 6, (w) =>
        w
          .u32(ifId)
          .u32(Number(ts >> 32n))
          .u32(Number(ts & 0xffffffffn))
          .u32(data.length)
          .u32(data.length)
          .raw(data),
      ),
  spb:
    (data: Uint8Array, origLen = data.length): NgBlock =>
    (le) =>
      block(le, 3, (w) => w.u32(origLen).raw(data)),
  pb:
    (ifId: number, data: Uint8Array, ts = 0n): NgBlock =>
    (le) =>
      block(le, 2, (w) =>
        w
          .u16(ifId)
          .u16(0)
          .u32(Number(ts >> 32n))
          .u32(Number(ts & 0xffffffffn))
          .u32(data.length)
          .u32(data.length)
          .raw(data),
      ),
  dsb:
    (secretsType: number, data: Uint8Array): NgBlock =>
    (le) =>
      block(le, 0x0a, (w) => w.u32(secretsType).u32(data.length).raw(data)),
  unknown:
    (type: number, len: number): NgBlock =>
    (le) =>
      block(le, type, (w) => w.raw(new Uint8Array(len))),
};

/** Sections: each an array of blocks (the SHB is added) with its own byte order. */
export function pcapng(...sections: { le: boolean; blocks: NgBlock[] }[]): Uint8Array {
  return concat(...sections.flatMap((s) => [ng.shb()(s.le), ...s.blocks.map((b) => b(s.le))]));
}

// ---- packets ----

export const IP_A = [10, 0, 0, 1];
export const IP_B = [10, 0, 0, 2];

export interface TcpOpts {
  sport?: number;
  dport?: number;
  seq: number;
  ack?: number;
  flags?: number; // FIN 1, SYN 2, RST 4, PSH 8, ACK 16
  payload?: Uint8Array;
}
export const FIN = 1,
  SYN = 2,
  RST = 4,
  PSH = 8,
  ACK = 16;

export function tcp(o: TcpOpts): Uint8Array {
  const w = new W(false);
  w.u16(o.sport ?? 40000)
    .u16(o.dport ?? 443)
    .u32(o.seq >>> 0)
    .u32(o.ack ?? 0)
    .u8(5 << 4)
    .u8(o.flags ?? ACK)
    .u16(65535)
    .u16(0)
    .u16(0);
  return concat(w.done(), o.payload ?? new Uint8Array(0));
}

export function ipv4(
  src: number[],
  dst: number[],
  payload: Uint8Array,
  o: { proto?: number; id?: number; fragOff?: number; more?: boolean; options?: number[]; totalLen?: number } = {},
): Uint8Array {
  const opts = o.options ?? [];
  const ihl = 5 + Math.ceil(opts.length / 4);
  const w = new W(false);
  const frag = ((o.more ? 0x2000 : 0) | ((o.fragOff ?? 0) >> 3)) & 0xffff;
  w.u8(0x40 | ihl)
    .u8(0)
    .u16(o.totalLen ?? ihl * 4 + payload.length)
    .u16(o.id ?? 1)
    .u16(frag)
    .u8(64)
    .u8(o.proto ?? 6)
    .u16(0)
    .raw(src)
    .raw(dst)
    .raw(opts)
    .pad4();
  return concat(w.done(), payload);
}

/** IPv6 with optional extension headers given as [type, bytes] (bytes excluding the next-header byte). */
export function ipv6(src: number[], dst: number[], payload: Uint8Array, o: { ext?: [number, Uint8Array][]; proto?: number } = {}): Uint8Array {
  const ext = o.ext ?? [];
  const chain: Uint8Array[] = [];
  for (let i = 0; i < ext.length; i++) {
    const next = i + 1 < ext.length ? ext[i + 1][0] : (o.proto ?? 6);
    chain.push(concat(Uint8Array.of(next), ext[i][1]));
  }
  const rest = concat(...chain, payload);
  const w = new W(false);
  w.u32(0x60000000)
    .u16(rest.length)
    .u8(ext.length ? ext[0][0] : (o.proto ?? 6))
    .u8(64)
    .raw(src)
    .raw(dst);
  return concat(w.done(), rest);
}

export function v6(text: string): number[] {
  // expand a "::" address for tests
  const [h, t] = text.split("::");
  const head = h ? h.split(":") : [];
  const tail = t !== undefined && t ? t.split(":") : [];
  const groups = [...head, ...Array(8 - head.length - tail.length).fill("0"), ...tail].map((g) => parseInt(g, 16));
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

export function ether(ip: Uint8Array, tags: number[] = [], ethertype?: number): Uint8Array {
  const w = new W(false).raw([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]);
  for (const t of tags) w.u16(t).u16(100);
  w.u16(ethertype ?? (ip[0] >> 4 === 6 ? 0x86dd : 0x0800));
  return concat(w.done(), ip);
}

export function sll(ip: Uint8Array): Uint8Array {
  const w = new W(false)
    .u16(0)
    .u16(772)
    .u16(6)
    .raw([0, 0, 0, 0, 0, 0, 0, 0])
    .u16(ip[0] >> 4 === 6 ? 0x86dd : 0x0800);
  return concat(w.done(), ip);
}

export function sll2(ip: Uint8Array): Uint8Array {
  const w = new W(false)
    .u16(ip[0] >> 4 === 6 ? 0x86dd : 0x0800)
    .u16(0)
    .u32(1)
    .u16(772)
    .u8(0)
    .u8(6)
    .raw([0, 0, 0, 0, 0, 0, 0, 0]);
  return concat(w.done(), ip);
}

export function nullLink(ip: Uint8Array, le: boolean, family = ip[0] >> 4 === 6 ? 30 : 2): Uint8Array {
  return concat(new W(le).u32(family).done(), ip);
}

// ---- a sink that records everything ----

export interface Recorded {
  info?: CaptureInfo;
  conns: TcpConnection[];
  /** per connection id, per direction: delivered chunks and gaps in order */
  events: string[];
  bytes: Map<string, number[]>;
  gaps: { id: number; dir: TcpDir; bytes: number; frame: number }[];
  closed: { id: number; frame: number }[];
  errors: CaptureError[];
  captureErrors: CaptureError[];
  secrets: DecryptionSecrets[];
  dataFrames: { id: number; dir: TcpDir; len: number; frame: number }[];
}

export function recorder(): { sink: TcpStreamSink; rec: Recorded } {
  const rec: Recorded = { conns: [], events: [], bytes: new Map(), gaps: [], closed: [], errors: [], captureErrors: [], secrets: [], dataFrames: [] };
  const sink: TcpStreamSink = {
    open: (c) => {
      rec.conns.push(c);
      rec.events.push(`open ${c.id}`);
    },
    data: (c, dir, data, frame) => {
      const k = `${c.id}:${dir}`;
      const arr = rec.bytes.get(k) ?? [];
      for (const b of data) arr.push(b);
      rec.bytes.set(k, arr);
      rec.events.push(`data ${c.id}:${dir} ${data.length}@${frame}`);
      rec.dataFrames.push({ id: c.id, dir, len: data.length, frame });
    },
    gap: (c, dir, bytes, frame) => {
      rec.gaps.push({ id: c.id, dir, bytes, frame });
      rec.events.push(`gap ${c.id}:${dir} ${bytes}@${frame}`);
    },
    close: (c, frame) => {
      rec.closed.push({ id: c.id, frame });
      rec.events.push(`close ${c.id}@${frame}`);
    },
    error: (e) => rec.errors.push(e),
    captureError: (e) => rec.captureErrors.push(e),
    secrets: (s) => rec.secrets.push(s),
  };
  return { sink, rec };
}

export function run(input: string | Uint8Array, opts?: Parameters<typeof readTcpStreams>[2]): Recorded {
  const { sink, rec } = recorder();
  rec.info = readTcpStreams(input, sink, opts);
  return rec;
}

export function streamText(rec: Recorded, id: number, dir: TcpDir): string {
  return String.fromCharCode(...(rec.bytes.get(`${id}:${dir}`) ?? []));
}

export const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

export function fixtureCaptures(): string[] {
  return fs
    .readdirSync(FIXTURES)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .sort();
}

/** A simple TCP conversation (SYN, SYN-ACK, ACK, data each way, FIN both ways) as IPv4 packets. */
export function conversation(
  o: { isnA?: number; isnB?: number; c2s?: Uint8Array; s2c?: Uint8Array; sport?: number; dport?: number; src?: number[]; dst?: number[] } = {},
): Uint8Array[] {
  const a = o.isnA ?? 1000,
    b = o.isnB ?? 5000;
  const c2s = o.c2s ?? text("hello"),
    s2c = o.s2c ?? text("world!");
  const sport = o.sport ?? 40000,
    dport = o.dport ?? 443;
  const src = o.src ?? IP_A,
    dst = o.dst ?? IP_B;
  const up = (t: TcpOpts) => ipv4(src, dst, tcp({ sport, dport, ...t }));
  const down = (t: TcpOpts) => ipv4(dst, src, tcp({ sport: dport, dport: sport, ...t }));
  return [
    up({ seq: a, flags: SYN }),
    down({ seq: b, flags: SYN | ACK }),
    up({ seq: a + 1, flags: ACK }),
    up({ seq: a + 1, flags: PSH | ACK, payload: c2s }),
    down({ seq: b + 1, flags: PSH | ACK, payload: s2c }),
    up({ seq: a + 1 + c2s.length, flags: FIN | ACK }),
    down({ seq: b + 1 + s2c.length, flags: FIN | ACK }),
    up({ seq: a + 2 + c2s.length, flags: ACK }),
  ];
}

/** Raw-IP pcap (LINKTYPE_RAW 101) of packets. */
export function rawPcap(packets: Uint8Array[]): Uint8Array {
  return pcap(
    packets.map((data) => ({ data })),
    { linkType: 101 },
  );
}
