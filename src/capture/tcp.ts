/**
 * TCP stream reassembly (RFC 9293): turns segments into ordered bytes per direction, delivering each byte once.
 *
 * Fast path (the common case on real captures): a segment that starts at or before the next expected sequence
 * number is delivered as a view into the packet buffer (no copy); retransmitted bytes are skipped. Only segments
 * that arrive ahead of a hole are copied and buffered, bounded per direction; when the bound is hit, or the
 * connection ends with a hole, the missing bytes are reported with `gap` — never silently glued together.
 * Overlaps keep the first-seen bytes (as Wireshark does with tcp.reassemble_out_of_order).
 *
 * Flows are found by a numeric hash of the 4-tuple (symmetric, so both directions land in one bucket) and a
 * numeric compare of addresses/ports: no string keys, no objects per packet. Closed connections stay findable for
 * a bounded window (so a trailing ACK is not a new connection) and are then dropped: the fewer live objects, the
 * more of the lookup stays in the CPU cache (measured: ~20% of the whole pipeline on a 97k-connection capture).
 */
import type { StreamSink, TcpConnection, TcpDir, TcpEndpoint } from "./types";
import { ipv4Text, ipv6Text } from "./ipText";

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

export interface TcpLimits {
  /** Bytes buffered ahead of a hole, per direction, before the hole is declared a gap. */
  maxBufferedBytes: number;
  /** Segments buffered ahead of a hole, per direction. */
  maxBufferedSegments: number;
  /** Closed connections remembered (so late ACKs are not taken for new connections). */
  maxClosedRemembered: number;
  /** ...and for how many packets after their last one (fewer live connections keep the lookup in cache). */
  closedWindowPackets: number;
}

export const DEFAULT_TCP_LIMITS: TcpLimits = {
  maxBufferedBytes: 4 << 20,
  maxBufferedSegments: 64,
  maxClosedRemembered: 65536,
  closedWindowPackets: 16384,
};

interface Pending {
  seq: number;
  data: Uint8Array;
  /** False while `data` still views the current packet's buffer. */
  owned: boolean;
}

class Direction {
  hasBase = false;
  // The next expected sequence number is kept as base (two 16-bit halves) + offset so every field stays a small
  // integer: a uint32 field would be a boxed heap number, one more memory access per packet.
  private baseHi = 0;
  private baseLo = 0;
  private rel = 0;
  /** Sequence number of this side's SYN, -1 if none seen. */
  isn = -1;
  finSeen = false;
  /** Sequence number the first-seen FIN occupies: the stream ends there. */
  finSeq = 0;
  /** All bytes before the FIN were delivered (or declared gaps): this side is done. */
  finDone = false;
  /** Segments ahead of a hole, sorted, non-overlapping. */
  ooo: Pending[] | null = null;
  oooBytes = 0;

  /** Next expected sequence number (unsigned 32-bit). */
  get nextSeq(): number {
    return (((this.baseHi << 16) | this.baseLo) + this.rel) >>> 0;
  }

  set nextSeq(v: number) {
    this.rel = (v - ((this.baseHi << 16) | this.baseLo)) >>> 0;
  }

  /** The stream of this direction starts at `seq`. */
  start(seq: number): void {
    this.hasBase = true;
    this.baseHi = seq >>> 16;
    this.baseLo = seq & 0xffff;
    this.rel = 0;
  }
}

/**
 * A connection; the TcpConnection fields are the public part, the rest is reassembler state. Addresses are kept
 * as 16-bit halves so every compared field stays a small integer (a 32-bit value would be boxed as a heap number
 * and cost a cache miss per packet); IPv6's other 96 bits of each address live in `x`, compared only for IPv6.
 */
class Conn implements TcpConnection {
  // Fields are declared hottest first: V8 lays them out in this order, so the per-packet lookup and the
  // in-order path touch one or two cache lines of the object.
  next: Conn | undefined = undefined;
  readonly pa: number;
  readonly pb: number;
  readonly al: number;
  readonly bl: number;
  readonly ah: number;
  readonly bh: number;
  readonly v6: boolean;
  closed = false;
  readonly d0 = new Direction();
  readonly d1 = new Direction();
  lastFrame: number;
  synSeen: boolean;
  readonly id: number;
  readonly key: number;
  /** IPv6 only: a1, a2, a3, b1, b2, b3. */
  readonly x: Int32Array | null;
  user: unknown = undefined;
  linked = true;
  readonly firstFrame: number;
  /** Open connections form a list in id order (O(1) removal, no Map churn). */
  prevOpen: Conn | undefined = undefined;
  nextOpen: Conn | undefined = undefined;
  private ea: TcpEndpoint | undefined = undefined;
  private eb: TcpEndpoint | undefined = undefined;

  constructor(
    id: number,
    key: number,
    v6: boolean,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
    pa: number,
    b0: number,
    b1: number,
    b2: number,
    b3: number,
    pb: number,
    synSeen: boolean,
    firstFrame: number,
  ) {
    this.pa = pa;
    this.pb = pb;
    this.al = a0 & 0xffff;
    this.bl = b0 & 0xffff;
    this.ah = a0 >>> 16;
    this.bh = b0 >>> 16;
    this.v6 = v6;
    this.lastFrame = firstFrame;
    this.synSeen = synSeen;
    this.id = id;
    this.key = key;
    this.x = v6 ? Int32Array.of(a1, a2, a3, b1, b2, b3) : null;
    this.firstFrame = firstFrame;
  }

  // Endpoint text is built on first use, once per connection: many connections are never asked.
  get a(): TcpEndpoint {
    return (this.ea ??= this.endpoint(this.ah, this.al, 0, this.pa));
  }

  get b(): TcpEndpoint {
    return (this.eb ??= this.endpoint(this.bh, this.bl, 3, this.pb));
  }

  private endpoint(h: number, l: number, xi: number, port: number): TcpEndpoint {
    const w0 = ((h << 16) | l) >>> 0;
    const x = this.x;
    return { ip: x === null ? ipv4Text(w0) : ipv6Text(w0, x[xi], x[xi + 1], x[xi + 2]), port };
  }
}

/** Symmetric-friendly hash of one endpoint; the flow key XORs both endpoints' hashes. */
function endpointHash(x0: number, x1: number, x2: number, x3: number, port: number): number {
  let h = x0 ^ Math.imul(x1, 0x27d4eb2d) ^ Math.imul(x2, 0x165667b1) ^ Math.imul(x3, 0x9e3779b1);
  h ^= Math.imul(port + 0x7f4a7c15, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return h ^ (h >>> 16);
}

function sameV6(x: Int32Array, a1: number, a2: number, a3: number, b1: number, b2: number, b3: number): boolean {
  return x[0] === a1 && x[1] === a2 && x[2] === a3 && x[3] === b1 && x[4] === b2 && x[5] === b3;
}

export class TcpReassembler {
  /**
   * Flow buckets indexed by the low bits of the hash (a plain array beats Map on this path); a bucket is a
   * chain through Conn.next, newest first. Doubles when it holds more connections than buckets.
   */
  private buckets: (Conn | undefined)[] = new Array<Conn | undefined>(1 << 14).fill(undefined);
  private mask = (1 << 14) - 1;
  private linkedCount = 0;
  /** Open connections in id order: a list through Conn.prevOpen/nextOpen (ids only grow, so append = sorted). */
  private openHead: Conn | undefined = undefined;
  private openTail: Conn | undefined = undefined;
  private closedQueue: Conn[] = [];
  private closedHead = 0;
  private nextId = 0;
  private readonly limits: TcpLimits;
  /** The sink takes in-order bytes as a range of the packet buffer (no view per segment). */
  private readonly ranged: boolean;

  constructor(
    private readonly sink: StreamSink,
    limits?: Partial<TcpLimits>,
  ) {
    this.limits = { ...DEFAULT_TCP_LIMITS, ...limits };
    this.ranged = typeof sink.dataRange === "function";
  }

  /** Number of connections seen so far. */
  get connections(): number {
    return this.nextId;
  }

  /** An id for a connection of another transport (QUIC): one numbering, in order of first packet, for all. */
  allocateId(): number {
    return this.nextId++;
  }

  /**
   * One TCP segment. Addresses are `addrLen` bytes at `srcOff`/`dstOff` in `buf`; the TCP header starts at
   * `tcpOff` and the captured segment ends at `end`. `declaredEnd` > `end` means the IP header announced more
   * bytes than were captured (snaplen): those become a gap.
   */
  segment(frame: number, buf: Uint8Array, srcOff: number, dstOff: number, addrLen: 4 | 16, tcpOff: number, end: number, declaredEnd: number = end): void {
    if (end - tcpOff < 20) {
      this.sink.error({ frame, message: `TCP header truncated: ${Math.max(0, end - tcpOff)} bytes, needs 20` });
      return;
    }
    const hlen = (buf[tcpOff + 12] >> 4) << 2;
    if (hlen < 20 || hlen > end - tcpOff) {
      this.sink.error({
        frame,
        message: `TCP data offset ${hlen} invalid: ${hlen < 20 ? "below 20" : `only ${end - tcpOff} bytes in segment`}`,
      });
      return;
    }
    const sp = (buf[tcpOff] << 8) | buf[tcpOff + 1];
    const dp = (buf[tcpOff + 2] << 8) | buf[tcpOff + 3];
    const seq = ((buf[tcpOff + 4] << 24) | (buf[tcpOff + 5] << 16) | (buf[tcpOff + 6] << 8) | buf[tcpOff + 7]) >>> 0;
    const flags = buf[tcpOff + 13];

    let s1 = 0,
      s2 = 0,
      s3 = 0,
      d1 = 0,
      d2 = 0,
      d3 = 0;
    const v6 = addrLen === 16;
    const s0 = (buf[srcOff] << 24) | (buf[srcOff + 1] << 16) | (buf[srcOff + 2] << 8) | buf[srcOff + 3];
    const d0 = (buf[dstOff] << 24) | (buf[dstOff + 1] << 16) | (buf[dstOff + 2] << 8) | buf[dstOff + 3];
    if (v6) {
      s1 = (buf[srcOff + 4] << 24) | (buf[srcOff + 5] << 16) | (buf[srcOff + 6] << 8) | buf[srcOff + 7];
      s2 = (buf[srcOff + 8] << 24) | (buf[srcOff + 9] << 16) | (buf[srcOff + 10] << 8) | buf[srcOff + 11];
      s3 = (buf[srcOff + 12] << 24) | (buf[srcOff + 13] << 16) | (buf[srcOff + 14] << 8) | buf[srcOff + 15];
      d1 = (buf[dstOff + 4] << 24) | (buf[dstOff + 5] << 16) | (buf[dstOff + 6] << 8) | buf[dstOff + 7];
      d2 = (buf[dstOff + 8] << 24) | (buf[dstOff + 9] << 16) | (buf[dstOff + 10] << 8) | buf[dstOff + 11];
      d3 = (buf[dstOff + 12] << 24) | (buf[dstOff + 13] << 16) | (buf[dstOff + 14] << 8) | buf[dstOff + 15];
    }
    // 30 bits: the key stays a small integer (no boxing) in Conn.key.
    const key = (endpointHash(s0, s1, s2, s3, sp) ^ endpointHash(d0, d1, d2, d3, dp) ^ (v6 ? 0x5bd1e995 : 0)) & 0x3fffffff;

    let c = this.buckets[key & this.mask];
    let dir: TcpDir = 0;
    const sh = s0 >>> 16,
      sl = s0 & 0xffff,
      dh = d0 >>> 16,
      dl = d0 & 0xffff;
    for (; c !== undefined; c = c.next) {
      if (c.pa === sp && c.pb === dp && c.al === sl && c.bl === dl && c.ah === sh && c.bh === dh) {
        if (c.v6 === v6 && (!v6 || sameV6(c.x!, s1, s2, s3, d1, d2, d3))) {
          dir = 0;
          break;
        }
      }
      if (c.pa === dp && c.pb === sp && c.al === dl && c.bl === sl && c.ah === dh && c.bh === sh) {
        if (c.v6 === v6 && (!v6 || sameV6(c.x!, d1, d2, d3, s1, s2, s3))) {
          dir = 1;
          break;
        }
      }
    }

    const pureSyn = (flags & (SYN | ACK)) === SYN;
    if (c !== undefined && pureSyn) {
      // Port reuse: a fresh SYN (new ISN) on a tuple whose connection has ended starts a new connection.
      const d = dir === 0 ? c.d0 : c.d1;
      if ((c.closed || c.d0.finSeen || c.d1.finSeen) && d.isn !== seq) {
        if (!c.closed) this.closeConn(c, frame);
        this.unlink(c);
        c = undefined;
      }
    }
    if (c === undefined) {
      // Initiator: the SYN sender; a lone SYN-ACK names its receiver; otherwise the first packet's sender.
      const synAck = (flags & (SYN | ACK)) === (SYN | ACK);
      c = synAck
        ? new Conn(this.nextId++, key, v6, d0, d1, d2, d3, dp, s0, s1, s2, s3, sp, false, frame)
        : new Conn(this.nextId++, key, v6, s0, s1, s2, s3, sp, d0, d1, d2, d3, dp, pureSyn, frame);
      dir = synAck ? 1 : 0;
      this.link(c);
      c.prevOpen = this.openTail;
      if (this.openTail === undefined) this.openHead = c;
      else this.openTail.nextOpen = c;
      this.openTail = c;
      this.sink.open(c);
    } else if (c.closed) {
      return; // late packets (final ACK, retransmitted FIN) of a finished connection
    }
    c.lastFrame = frame;
    if (pureSyn && dir === 0) c.synSeen = true;

    const d = dir === 0 ? c.d0 : c.d1;
    let dataSeq = seq;
    if (flags & SYN) {
      // The SYN occupies one sequence number; data (TCP Fast Open) starts after it (RFC 9293 §3.4).
      dataSeq = (seq + 1) >>> 0;
      if (!d.hasBase) {
        d.isn = seq;
        d.start(dataSeq);
      }
    }
    const ps = tcpOff + hlen;
    const len = end - ps;
    if (!d.hasBase && (len > 0 || flags & FIN)) {
      // Mid-stream start: the first byte seen in this direction is where its stream begins.
      d.start(seq);
    }
    if (len > 0 && !d.finDone) this.accept(c, dir, d, dataSeq, buf, ps, end, frame);
    const missing = declaredEnd - end;
    if (missing > 0 && !d.finDone && d.ooo === null && d.nextSeq === (dataSeq + len) >>> 0) {
      // Bytes announced by the IP header but cut by the snaplen.
      d.nextSeq = (d.nextSeq + missing) >>> 0;
      this.sink.gap(c, dir, missing, frame);
    }
    if (flags & FIN && !d.finSeen && d.hasBase) {
      d.finSeen = true;
      d.finSeq = (dataSeq + len + Math.max(0, missing)) >>> 0;
    }
    if (d.finSeen && !d.finDone && d.nextSeq === d.finSeq) {
      d.finDone = true;
      d.ooo = null; // bytes past the FIN are not part of the stream
      d.oooBytes = 0;
    }
    if (flags & RST || (c.d0.finDone && c.d1.finDone)) this.closeConn(c, frame);
  }

  /** End of input: closes every open connection in id order, reporting holes as gaps. */
  finish(frame: number): void {
    for (let guard = this.nextId; this.openHead !== undefined && guard >= 0; guard--) this.closeConn(this.openHead, frame);
  }

  private accept(c: Conn, dir: TcpDir, d: Direction, seq: number, buf: Uint8Array, s: number, e: number, frame: number): void {
    if (d.ooo === null) {
      const rel = (seq - d.nextSeq) | 0;
      if (rel <= 0) {
        // In order, or a retransmission overlapping what was delivered: deliver only the new tail, as a view.
        if (-rel >= e - s) return;
        s -= rel;
        d.nextSeq = (d.nextSeq + (e - s)) >>> 0;
        if (this.ranged) this.sink.dataRange!(c, dir, buf, s, e, frame);
        else this.sink.data(c, dir, buf.subarray(s, e), frame);
        return;
      }
    }
    this.insert(d, seq, buf, s, e);
    this.drain(c, dir, d, frame);
    const lim = this.limits;
    while (d.ooo !== null && (d.ooo.length > lim.maxBufferedSegments || d.oooBytes > lim.maxBufferedBytes)) {
      // Too much waiting behind a hole: give the hole up as lost and resynchronise on the first buffered byte.
      this.skipHole(c, dir, d, frame);
    }
    if (d.ooo !== null) {
      for (const p of d.ooo) {
        if (!p.owned) {
          p.data = p.data.slice();
          p.owned = true;
        }
      }
    }
  }

  /** Adds the parts of [seq, seq+len) not already buffered or delivered (first-seen bytes win). */
  private insert(d: Direction, seq: number, buf: Uint8Array, s: number, e: number): void {
    let r0 = (seq - d.nextSeq) | 0;
    const r1 = r0 + (e - s);
    if (r1 <= 0) return;
    const origin = s - r0; // buffer index of relative offset 0
    if (r0 < 0) r0 = 0;
    const list = d.ooo ?? (d.ooo = []);
    const mk = (x: number, y: number): Pending => {
      d.oooBytes += y - x;
      return { seq: (d.nextSeq + x) >>> 0, data: buf.subarray(origin + x, origin + y), owned: false };
    };
    for (let i = 0; i < list.length && r0 < r1; i++) {
      const b0 = (list[i].seq - d.nextSeq) | 0;
      const b1 = b0 + list[i].data.length;
      if (b1 <= r0) continue;
      if (r0 < b0) {
        list.splice(i, 0, mk(r0, Math.min(r1, b0)));
        i++;
      }
      r0 = Math.max(r0, b1);
    }
    if (r0 < r1) list.push(mk(r0, r1));
  }

  /** Delivers buffered segments that are now in order. */
  private drain(c: Conn, dir: TcpDir, d: Direction, frame: number): void {
    const list = d.ooo;
    if (list === null) return;
    while (list.length > 0) {
      const p = list[0];
      const rel = (p.seq - d.nextSeq) | 0;
      if (rel > 0) break;
      list.shift();
      d.oooBytes -= p.data.length;
      if (-rel < p.data.length) {
        const data = rel === 0 ? p.data : p.data.subarray(-rel);
        d.nextSeq = (d.nextSeq + data.length) >>> 0;
        this.sink.data(c, dir, data, frame);
      }
    }
    if (list.length === 0) {
      d.ooo = null;
      d.oooBytes = 0;
    }
  }

  /** Reports the hole before the first buffered segment as a gap and delivers what follows it. */
  private skipHole(c: Conn, dir: TcpDir, d: Direction, frame: number): void {
    const first = d.ooo![0];
    const hole = (first.seq - d.nextSeq) | 0;
    if (hole > 0) this.sink.gap(c, dir, hole, frame);
    d.nextSeq = first.seq;
    this.drain(c, dir, d, frame);
  }

  private flush(c: Conn, dir: TcpDir, d: Direction, frame: number): void {
    for (let guard = 0; d.ooo !== null && guard < 1 << 20; guard++) this.skipHole(c, dir, d, frame);
    if (d.finSeen && !d.finDone) {
      const hole = (d.finSeq - d.nextSeq) | 0;
      if (hole > 0) this.sink.gap(c, dir, hole, frame);
      d.nextSeq = d.finSeq;
      d.finDone = true;
    }
  }

  /** Delivers what is pending (holes become gaps), then closes. */
  private closeConn(c: Conn, frame: number): void {
    if (c.closed) return;
    this.flush(c, 0, c.d0, frame);
    this.flush(c, 1, c.d1, frame);
    c.closed = true;
    if (c.prevOpen === undefined) this.openHead = c.nextOpen;
    else c.prevOpen.nextOpen = c.nextOpen;
    if (c.nextOpen === undefined) this.openTail = c.prevOpen;
    else c.nextOpen.prevOpen = c.prevOpen;
    c.prevOpen = c.nextOpen = undefined;
    this.sink.close(c, frame);
    // Remember a bounded number of closed connections so their trailing ACKs are recognised.
    const q = this.closedQueue;
    q.push(c);
    const { maxClosedRemembered, closedWindowPackets } = this.limits;
    while (this.closedHead < q.length && (q.length - this.closedHead > maxClosedRemembered || frame - q[this.closedHead].lastFrame > closedWindowPackets)) {
      this.unlink(q[this.closedHead++]);
    }
    if (this.closedHead >= 4096) {
      this.closedQueue = q.slice(this.closedHead);
      this.closedHead = 0;
    }
  }

  private link(c: Conn): void {
    if (++this.linkedCount > this.buckets.length) {
      const old = this.buckets;
      this.buckets = new Array<Conn | undefined>(old.length * 2).fill(undefined);
      this.mask = this.buckets.length - 1;
      for (let head of old) {
        // Re-insert each chain back to front so every new chain stays newest first.
        const chain: Conn[] = [];
        for (; head !== undefined; head = head.next) chain.push(head);
        for (let i = chain.length - 1; i >= 0; i--) {
          const x = chain[i];
          x.next = this.buckets[x.key & this.mask];
          this.buckets[x.key & this.mask] = x;
        }
      }
    }
    c.next = this.buckets[c.key & this.mask];
    this.buckets[c.key & this.mask] = c;
  }

  private unlink(c: Conn): void {
    if (!c.linked) return;
    c.linked = false;
    this.linkedCount--;
    const i = c.key & this.mask;
    let p = this.buckets[i];
    if (p === c) {
      this.buckets[i] = c.next;
    } else {
      while (p !== undefined && p.next !== c) p = p.next;
      if (p !== undefined) p.next = c.next;
    }
    c.next = undefined;
  }
}
