/**
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks `type(4) total_length(4) body total_length(4)`.
 * Each Section Header Block fixes the byte order of its section (its byte-order magic 0x1A2B3C4D) and resets the
 * interface list; Interface Description Blocks give each interface a link type, snaplen and timestamp resolution.
 * Packets come from Enhanced (6), Simple (3) and the obsolete Packet (2) blocks; Decryption Secrets Blocks (0xA)
 * carry TLS key logs. Unknown blocks are skipped by their length, as the spec requires (§3.1).
 */
import type { CaptureInfo, PacketSink } from "./types";
import type { ByteSource } from "./source";

export const PCAPNG_SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2;
const SPB = 3;
const EPB = 6;
const DSB = 0x0a;

const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;

interface Iface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per microsecond (>= 1) — divide; or 0 when units are coarser than 1 µs. */
  div: number;
  /** Microseconds per unit when coarser than 1 µs — multiply. */
  mul: number;
  /** if_tsoffset in microseconds. */
  offsetMicros: number;
}

export function readPcapng(src: ByteSource, sink: PacketSink): CaptureInfo {
  const info: CaptureInfo = { format: "pcapng", packets: 0, linkTypes: [] };
  let ifaces: Iface[] = [];
  let le = true;
  let buf = src.buf;
  let frame = 0;
  let block = 0;

  const fail = (offset: number, message: string, inFrame?: number) =>
    sink.error(inFrame === undefined ? { offset, message } : { frame: inFrame, offset, message });

  for (;;) {
    if (src.remaining === 0) break;
    block++;
    if (!src.ensure(12)) {
      if (!src.cancelled) {
        fail(src.offset, `file truncated in block ${block}: block header needs 12 bytes, ${src.remaining} left`);
      }
      break;
    }
    buf = src.buf;
    let pos = src.pos;
    const blockOff = src.offset;
    const type = u32(buf, pos, le);
    if (type === PCAPNG_SHB) {
      // The byte-order magic decides how this section (this block's length included) is read (§4.1).
      const b = buf[pos + 8];
      if (b === 0x4d && buf[pos + 9] === 0x3c && buf[pos + 10] === 0x2b && buf[pos + 11] === 0x1a) le = true;
      else if (b === 0x1a && buf[pos + 9] === 0x2b && buf[pos + 10] === 0x3c && buf[pos + 11] === 0x4d) le = false;
      else {
        fail(blockOff + 8, `block ${block} (Section Header): bad byte-order magic`);
        break;
      }
      ifaces = [];
    } else if (block === 1) {
      fail(blockOff, "pcapng file does not start with a Section Header Block");
      break;
    }
    const total = u32(buf, pos + 4, le);
    const minLen = type === PCAPNG_SHB ? 28 : 12;
    if (total < minLen || total % 4 !== 0) {
      fail(blockOff + 4, `block ${block} (type 0x${type.toString(16)}): bad total length ${total}`);
      break;
    }
    if (!src.ensure(total)) {
      if (!src.cancelled) {
        const what = type === EPB || type === SPB || type === PB ? `packet ${frame + 1}` : `block ${block}`;
        fail(
          blockOff,
          `file truncated in ${what}: block needs ${total} bytes, ${src.remaining} left`,
          type === EPB || type === SPB || type === PB ? frame + 1 : undefined,
        );
      }
      break;
    }
    buf = src.buf;
    pos = src.pos;
    if (u32(buf, pos + total - 4, le) !== total) {
      fail(blockOff + total - 4, `block ${block}: trailing total length ${u32(buf, pos + total - 4, le)} differs from ${total}`);
      break;
    }
    const body = pos + 8;
    const bodyEnd = pos + total - 4;

    switch (type) {
      case IDB: {
        if (bodyEnd - body < 8) {
          fail(blockOff, `block ${block} (Interface Description): body too short`);
          break;
        }
        const iface: Iface = { linkType: u16(buf, body, le), snaplen: u32(buf, body + 4, le), div: 1, mul: 0, offsetMicros: 0 };
        readIdbOptions(iface, body + 8, bodyEnd);
        ifaces.push(iface);
        info.linkTypes.push(iface.linkType);
        break;
      }
      case EPB:
      case PB: {
        const hdr = 20;
        if (bodyEnd - body < hdr) {
          fail(blockOff, `packet ${frame + 1}: block body shorter than its ${hdr}-byte header`, frame + 1);
          break;
        }
        const ifId = type === EPB ? u32(buf, body, le) : u16(buf, body, le);
        const capLen = u32(buf, body + 12, le);
        const iface = ifaces[ifId];
        if (iface === undefined) {
          fail(blockOff + 8, `packet ${frame + 1}: interface ${ifId} not described in this section`, frame + 1);
          break;
        }
        if (capLen > bodyEnd - body - hdr) {
          fail(blockOff + 20, `packet ${frame + 1}: captured length ${capLen} exceeds its block`, frame + 1);
          break;
        }
        frame++;
        sink.packet(frame, iface.linkType, buf, body + hdr, capLen, micros(iface, u32(buf, body + 4, le), u32(buf, body + 8, le)));
        break;
      }
      case SPB: {
        const iface = ifaces[0];
        if (iface === undefined || bodyEnd - body < 4) {
          fail(blockOff, `packet ${frame + 1}: Simple Packet Block without interface 0 or too short`, frame + 1);
          break;
        }
        // Captured length is the original length cut by the snaplen and by the block (§4.4).
        let capLen = Math.min(u32(buf, body, le), bodyEnd - body - 4);
        if (iface.snaplen > 0) capLen = Math.min(capLen, iface.snaplen);
        frame++;
        sink.packet(frame, iface.linkType, buf, body + 4, capLen, 0);
        break;
      }
      case DSB: {
        if (bodyEnd - body < 8) {
          fail(blockOff, `block ${block} (Decryption Secrets): body too short`);
          break;
        }
        const secretsType = u32(buf, body, le);
        const len = u32(buf, body + 4, le);
        if (len > bodyEnd - body - 8) {
          fail(blockOff + 12, `block ${block} (Decryption Secrets): secrets length ${len} exceeds its block`);
          break;
        }
        sink.secrets?.({ secretsType, data: buf.slice(body + 8, body + 8 + len), beforeFrame: frame + 1 });
        break;
      }
      default:
        break; // SHB handled above; ISB, NRB, custom and unknown blocks are skipped.
    }
    src.pos = pos + total;
  }
  info.packets = frame;
  return info;

  function readIdbOptions(iface: Iface, p: number, end: number): void {
    let unitsPerSec = 1e6;
    while (end - p >= 4) {
      const code = u16(buf, p, le);
      const len = u16(buf, p + 2, le);
      if (code === 0) break;
      const v = p + 4;
      if (len > end - v) break;
      if (code === OPT_IF_TSRESOL && len >= 1) {
        // High bit clear: 10^-n seconds; set: 2^-n seconds (§4.2, if_tsresol).
        const r = buf[v];
        const n = r & 0x7f;
        unitsPerSec = r & 0x80 ? 2 ** n : 10 ** n;
      } else if (code === OPT_IF_TSOFFSET && len >= 8) {
        const hi = le ? u32(buf, v + 4, le) | 0 : u32(buf, v, le) | 0;
        const lo = le ? u32(buf, v, le) : u32(buf, v + 4, le);
        iface.offsetMicros = (hi * 4294967296 + lo) * 1e6;
      }
      p = v + ((len + 3) & ~3);
    }
    if (unitsPerSec >= 1e6) {
      iface.div = unitsPerSec / 1e6;
      iface.mul = 0;
    } else {
      iface.div = 0;
      iface.mul = 1e6 / unitsPerSec;
    }
  }
}

function u16(buf: Uint8Array, p: number, le: boolean): number {
  return le ? buf[p] | (buf[p + 1] << 8) : (buf[p] << 8) | buf[p + 1];
}

function u32(buf: Uint8Array, p: number, le: boolean): number {
  return le
    ? (buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24)) >>> 0
    : ((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]) >>> 0;
}

function micros(iface: Iface, hi: number, lo: number): number {
  const ts = hi * 4294967296 + lo;
  return (iface.div > 0 ? Math.floor(ts / iface.div) : ts * iface.mul) + iface.offsetMicros;
}
