/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) down to TCP segments. Headers are read straight from the packet bytes; only
 * fragments (rare in TLS captures) take a slow path that copies them into bounded reassembly buffers.
 */
import type { TcpReassembler } from "./tcp";
import type { UdpDecoder } from "./udp";
import { ipText } from "./ipText";

const PROTO_TCP = 6;
// The version nibble of an IP header (RFC 791 §3.1, RFC 8200 §3): an IP version, not a TLS ProtocolVersion.
const IP_VERSION_4 = 4;
const IP_VERSION_6 = 6;
const PROTO_UDP = 17;
// IPv6 extension headers (RFC 8200 §4; AH: RFC 4302 §2.2).
const NH_HOP_BY_HOP = 0;
const NH_ROUTING = 43;
const NH_FRAGMENT = 44;
const NH_AH = 51;
const NH_DEST_OPTS = 60;
const MAX_EXT_HEADERS = 16;

export interface FragmentLimits {
  /** Datagrams being reassembled at once; the oldest is dropped beyond this. */
  maxDatagrams: number;
  /** Bytes held in all reassembly buffers together. */
  maxBytes: number;
  /** Fragments of one datagram. */
  maxFragments: number;
}

export const DEFAULT_FRAGMENT_LIMITS: FragmentLimits = { maxDatagrams: 256, maxBytes: 8 << 20, maxFragments: 128 };

interface Fragment {
  /** Offset of these bytes in the reassembled payload. */
  off: number;
  data: Uint8Array;
}

interface Datagram {
  /** Source and destination addresses, back to back (8 or 32 bytes). */
  addrs: Uint8Array;
  frags: Fragment[];
  /** Payload length once the last fragment (MF=0) was seen, else -1. */
  total: number;
  bytes: number;
  /** IPv4: the protocol; IPv6: the next header of the fragmentable part (from the first fragment). */
  proto: number;
  firstFrame: number;
}

type Report = (frame: number, message: string) => void;

export class IpDecoder {
  private readonly pending = new Map<string, Datagram>();
  private pendingBytes = 0;
  private readonly limits: FragmentLimits;

  constructor(
    private readonly tcp: TcpReassembler,
    private readonly report: Report,
    limits?: Partial<FragmentLimits>,
    /** Datagrams go here when someone above reads UDP (QUIC); without it UDP is skipped as before. */
    private readonly udp?: UdpDecoder,
  ) {
    this.limits = { ...DEFAULT_FRAGMENT_LIMITS, ...limits };
  }

  /** An IP packet (version from its first nibble) at `buf[off..end)`. */
  packet(frame: number, buf: Uint8Array, off: number, end: number): void {
    if (end - off < 1) {
      this.report(frame, "IP header missing: packet ends after the link header");
      return;
    }
    const version = buf[off] >> 4;
    if (version === IP_VERSION_4) this.ipv4(frame, buf, off, end);
    else if (version === IP_VERSION_6) this.ipv6(frame, buf, off, end);
    else this.report(frame, `IP version ${version} unknown (byte ${off} of the packet)`);
  }

  private ipv4(frame: number, buf: Uint8Array, off: number, end: number): void {
    if (end - off < 20) {
      this.report(frame, `IPv4 header truncated: ${end - off} bytes, needs 20`);
      return;
    }
    const ihl = (buf[off] & 0x0f) << 2;
    const totalLen = (buf[off + 2] << 8) | buf[off + 3];
    if (ihl < 20 || ihl > end - off) {
      this.report(frame, `IPv4 header length ${ihl} invalid (${end - off} bytes captured)`);
      return;
    }
    const proto = buf[off + 9];
    let ipEnd: number;
    let declaredEnd: number;
    if (totalLen === 0) {
      // Total length 0: a TSO/GSO super-packet captured before segmentation; the capture length is the truth.
      ipEnd = declaredEnd = end;
    } else if (totalLen < ihl) {
      this.report(frame, `IPv4 total length ${totalLen} below its header length ${ihl}`);
      return;
    } else {
      declaredEnd = off + totalLen;
      ipEnd = Math.min(declaredEnd, end); // beyond: Ethernet padding/FCS (trimmed); short: cut by the snaplen
    }
    const fragField = (buf[off + 6] << 8) | buf[off + 7];
    if ((fragField & 0x3fff) !== 0) {
      // MF set or a non-zero offset (RFC 791 §3.2): a fragment.
      if (declaredEnd > ipEnd) {
        this.report(frame, "IPv4 fragment cut by the snapshot length: not reassembled");
        return;
      }
      const id = (buf[off + 4] << 8) | buf[off + 5];
      this.fragment(frame, buf, off + 12, 4, `4:${id}:${proto}`, proto, (fragField & 0x1fff) << 3, (fragField & 0x2000) !== 0, off + ihl, ipEnd);
      return;
    }
    if (proto === PROTO_TCP) this.tcp.segment(frame, buf, off + 12, off + 16, 4, off + ihl, ipEnd, declaredEnd);
    else if (proto === PROTO_UDP) this.udp?.segment(frame, buf, off + 12, off + 16, 4, off + ihl, ipEnd, declaredEnd);
  }

  private ipv6(frame: number, buf: Uint8Array, off: number, end: number): void {
    if (end - off < 40) {
      this.report(frame, `IPv6 header truncated: ${end - off} bytes, needs 40`);
      return;
    }
    const payloadLen = (buf[off + 4] << 8) | buf[off + 5];
    // Payload length 0 is a jumbogram or an unsegmented TSO packet: take the captured length.
    const declaredEnd = payloadLen === 0 ? end : off + 40 + payloadLen;
    const ipEnd = Math.min(declaredEnd, end);
    this.ipv6Payload(frame, buf, off + 8, off + 24, buf[off + 6], off + 40, ipEnd, declaredEnd, true);
  }

  /** Walks IPv6 extension headers from `nh` at `p` to the upper layer. */
  private ipv6Payload(
    frame: number,
    buf: Uint8Array,
    srcOff: number,
    dstOff: number,
    nh: number,
    p: number,
    ipEnd: number,
    declaredEnd: number,
    fragmentsAllowed: boolean,
  ): void {
    for (let n = 0; n < MAX_EXT_HEADERS; n++) {
      switch (nh) {
        case PROTO_TCP:
          this.tcp.segment(frame, buf, srcOff, dstOff, 16, p, ipEnd, declaredEnd);
          return;
        case PROTO_UDP:
          this.udp?.segment(frame, buf, srcOff, dstOff, 16, p, ipEnd, declaredEnd);
          return;
        case NH_HOP_BY_HOP:
        case NH_ROUTING:
        case NH_DEST_OPTS:
        case NH_AH: {
          if (ipEnd - p < 8) {
            this.report(frame, `IPv6 extension header ${nh} truncated at byte ${p} of the packet`);
            return;
          }
          // Hdr Ext Len counts 8-octet units beyond the first (RFC 8200 §4.3); AH counts 4-octet units minus 2.
          const len = nh === NH_AH ? (buf[p + 1] + 2) << 2 : (buf[p + 1] + 1) << 3;
          if (len > ipEnd - p) {
            this.report(frame, `IPv6 extension header ${nh} length ${len} exceeds the packet`);
            return;
          }
          nh = buf[p];
          p += len;
          break;
        }
        case NH_FRAGMENT: {
          if (ipEnd - p < 8) {
            this.report(frame, "IPv6 fragment header truncated");
            return;
          }
          if (!fragmentsAllowed) {
            this.report(frame, "IPv6 fragment header inside a reassembled datagram");
            return;
          }
          if (declaredEnd > ipEnd) {
            this.report(frame, "IPv6 fragment cut by the snapshot length: not reassembled");
            return;
          }
          const offAndM = (buf[p + 2] << 8) | buf[p + 3];
          const id = ((buf[p + 4] << 24) | (buf[p + 5] << 16) | (buf[p + 6] << 8) | buf[p + 7]) >>> 0;
          const fragOff = offAndM & 0xfff8;
          const more = (offAndM & 1) !== 0;
          if (fragOff === 0 && !more) {
            // An atomic fragment (RFC 6946): not really fragmented.
            nh = buf[p];
            p += 8;
            break;
          }
          this.fragment(frame, buf, srcOff, 16, `6:${id}`, buf[p], fragOff, more, p + 8, ipEnd);
          return;
        }
        default:
          return; // ICMPv6, No Next Header (59)...: neither TCP nor UDP
      }
    }
    this.report(frame, `IPv6: more than ${MAX_EXT_HEADERS} extension headers`);
  }

  /**
   * Keeps one fragment; when the datagram is complete, hands the reassembled payload on. Addresses are at
   * `addrOff` (source then destination: adjacent in both IPv4 and IPv6 headers).
   */
  private fragment(
    frame: number,
    buf: Uint8Array,
    addrOff: number,
    addrLen: 4 | 16,
    idKey: string,
    proto: number,
    fragOff: number,
    more: boolean,
    p: number,
    pe: number,
  ): void {
    const key = `${ipText(buf, addrOff, addrLen)}>${ipText(buf, addrOff + addrLen, addrLen)}:${idKey}`;
    let dg = this.pending.get(key);
    if (dg === undefined) {
      dg = { addrs: buf.slice(addrOff, addrOff + 2 * addrLen), frags: [], total: -1, bytes: 0, proto: -1, firstFrame: frame };
      this.pending.set(key, dg);
    }
    const len = pe - p;
    if (fragOff + len > 65535) {
      this.report(frame, `IP fragment at offset ${fragOff} + ${len} bytes exceeds the 65535-byte datagram limit`);
      this.drop(key, dg);
      return;
    }
    if (!more) {
      if (dg.total >= 0 && dg.total !== fragOff + len) {
        this.report(frame, "IP fragments disagree on the datagram's length");
        this.drop(key, dg);
        return;
      }
      dg.total = fragOff + len;
    } else if (len % 8 !== 0) {
      this.report(frame, `IP fragment length ${len} not a multiple of 8 although more fragments follow`);
      this.drop(key, dg);
      return;
    }
    if (fragOff === 0) dg.proto = proto;
    if (dg.frags.length >= this.limits.maxFragments) {
      this.report(frame, `IP datagram dropped: more than ${this.limits.maxFragments} fragments`);
      this.drop(key, dg);
      return;
    }
    dg.frags.push({ off: fragOff, data: buf.slice(p, pe) });
    dg.bytes += len;
    this.pendingBytes += len;
    this.enforceLimits(frame, key);
    if (!this.pending.has(key) || dg.total < 0 || dg.proto < 0) return;

    // Complete when the fragments cover [0, total) without a hole.
    const sorted = dg.frags.slice().sort((x, y) => x.off - y.off);
    let covered = 0;
    for (const f of sorted) {
      if (f.off > covered) return;
      covered = Math.max(covered, f.off + f.data.length);
    }
    if (covered < dg.total) return;
    this.drop(key, dg);
    const a = dg.addrs.length;
    const out = new Uint8Array(a + dg.total);
    out.set(dg.addrs, 0);
    // Later fragments first, so the first-seen bytes win where fragments overlap.
    for (let i = dg.frags.length - 1; i >= 0; i--) {
      const f = dg.frags[i];
      if (f.off >= dg.total) continue;
      out.set(f.data.subarray(0, Math.max(0, Math.min(f.data.length, dg.total - f.off))), a + f.off);
    }
    const half = a >> 1;
    if (half === 4) {
      if (dg.proto === PROTO_TCP) this.tcp.segment(frame, out, 0, 4, 4, a, out.length, out.length);
      else if (dg.proto === PROTO_UDP) this.udp?.segment(frame, out, 0, 4, 4, a, out.length, out.length);
    } else {
      this.ipv6Payload(frame, out, 0, 16, dg.proto, a, out.length, out.length, false);
    }
  }

  private drop(key: string, dg: Datagram): void {
    if (this.pending.delete(key)) this.pendingBytes -= dg.bytes;
  }

  private enforceLimits(frame: number, current: string): void {
    const lim = this.limits;
    for (const [key, dg] of this.pending) {
      if (this.pending.size <= lim.maxDatagrams && this.pendingBytes <= lim.maxBytes) break;
      this.report(frame, `IP reassembly limit reached: incomplete datagram from frame ${dg.firstFrame} dropped`);
      this.drop(key, dg);
      if (key === current) break;
    }
  }
}
