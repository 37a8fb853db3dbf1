/**
 * Classic libpcap format (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-03.html): a 24-byte file header
 * whose magic gives byte order and timestamp unit (0xa1b2c3d4 µs, 0xa1b23c4d ns), then records of a 16-byte
 * header (ts_sec, ts_frac, incl_len, orig_len) + incl_len captured bytes.
 */
import type { CaptureInfo, PacketSink } from "./types";
import type { ByteSource } from "./source";

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
/** Kuznetzov's "modified pcap": 8 more bytes per record header (ifindex, protocol, pkt_type, pad). */
export const PCAP_MAGIC_MODIFIED = 0xa1b2cd34;

/** Above this (and above the file's snaplen) a record length means the framing is broken (Wireshark's limit). */
const MAX_RECORD = 262144;

export function isPcapMagic(m: number): boolean {
  return m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS || m === PCAP_MAGIC_MODIFIED;
}

/** A plain function of its arguments (not a closure over a reassigned `buf`), so V8 inlines it into the loop. */
function u32(buf: Uint8Array, p: number, le: boolean): number {
  return le
    ? (buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24)) >>> 0
    : ((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]) >>> 0;
}

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

/** Reads a whole pcap file from `src` (positioned at its start), pushing packets into `sink`. */
export function readPcap(src: ByteSource, sink: PacketSink): CaptureInfo {
  const info: CaptureInfo = { format: "pcap", packets: 0, linkTypes: [] };
  if (!src.ensure(24)) {
    if (!src.cancelled) {
      sink.error({ offset: 0, message: `file truncated in the pcap file header: needs 24 bytes, ${src.remaining} left` });
    }
    return info;
  }
  let buf = src.buf;
  let pos = src.pos;
  const beMagic = ((buf[pos] << 24) | (buf[pos + 1] << 16) | (buf[pos + 2] << 8) | buf[pos + 3]) >>> 0;
  let le: boolean;
  let magic: number;
  if (isPcapMagic(beMagic)) {
    le = false;
    magic = beMagic;
  } else {
    le = true;
    magic = swap32(beMagic);
  }
  const snaplen = u32(buf, pos + 16, le);
  // The top bits of the link-type field carry FCS information (pcap draft §4); the link type is the low 28 bits.
  const linkType = u32(buf, pos + 20, le) & 0x0fffffff;
  info.linkTypes.push(linkType);
  const nanos = magic === PCAP_MAGIC_NS;
  const hdrLen = magic === PCAP_MAGIC_MODIFIED ? 24 : 16;
  const limit = Math.max(snaplen, MAX_RECORD);
  pos += 24;
  let end = src.end;
  let frame = 0;

  for (;;) {
    if (end - pos < hdrLen) {
      src.pos = pos;
      if (!src.ensure(hdrLen)) {
        if (!src.cancelled && src.remaining > 0) {
          sink.error({
            frame: frame + 1,
            offset: src.offset,
            message: `file truncated in packet ${frame + 1}: record header needs ${hdrLen} bytes, ${src.remaining} left`,
          });
        }
        break;
      }
      buf = src.buf;
      pos = src.pos;
      end = src.end;
    }
    const incl = u32(buf, pos + 8, le);
    if (incl > limit) {
      sink.error({
        frame: frame + 1,
        offset: src.base + pos + 8,
        message: `packet ${frame + 1}: captured length ${incl} exceeds the snapshot length ${snaplen} (record framing lost)`,
      });
      break;
    }
    const need = hdrLen + incl;
    if (end - pos < need) {
      src.pos = pos;
      if (!src.ensure(need)) {
        if (!src.cancelled) {
          sink.error({
            frame: frame + 1,
            offset: src.offset,
            message: `file truncated in packet ${frame + 1}: record needs ${need} bytes, ${src.remaining} left`,
          });
        }
        break;
      }
      buf = src.buf;
      pos = src.pos;
      end = src.end;
    }
    const sec = u32(buf, pos, le);
    const frac = u32(buf, pos + 4, le);
    frame++;
    sink.packet(frame, linkType, buf, pos + hdrLen, incl, sec * 1e6 + (nanos ? Math.floor(frac / 1000) : frac));
    pos += need;
  }
  src.pos = pos;
  info.packets = frame;
  return info;
}
