/**
 * UDP (RFC 768) between the IP layer and the datagram protocols above it (QUIC). Only the header is read: ports
 * and length; the checksum is not checked (captures on the sending host often hold it unfilled, offloaded).
 * Nothing is allocated for a datagram nobody above asks about: the sink gets offsets into the packet.
 */
import type { CaptureError } from "./types";

/** One UDP datagram: addresses at `buf[srcOff..]`/`buf[dstOff..]` (`addrLen` bytes each), payload `buf[start..end)`. */
export interface UdpDatagram {
  frame: number;
  buf: Uint8Array;
  srcOff: number;
  dstOff: number;
  addrLen: 4 | 16;
  srcPort: number;
  dstPort: number;
  start: number;
  end: number;
  /** Bytes of the payload that the snapshot length cut off (0: whole). The layer above decides if that matters. */
  missing: number;
  /** Capture timestamp of the packet, microseconds since the epoch. */
  tsMicros: number;
  /** A connection id from the numbering every transport shares (order of first packet). */
  allocateId(): number;
}

export interface DatagramSink {
  /** The datagram's fields are valid only during the call (the object is reused). */
  datagram(d: UdpDatagram): void;
  error(e: CaptureError): void;
}

const UDP_HEADER = 8;

export class UdpDecoder {
  private readonly d: UdpDatagram;
  /** Set by the reader before each packet. */
  tsMicros = 0;

  constructor(
    private readonly sink: DatagramSink,
    allocateId: () => number,
  ) {
    this.d = {
      frame: 0,
      buf: new Uint8Array(0),
      srcOff: 0,
      dstOff: 0,
      addrLen: 4,
      srcPort: 0,
      dstPort: 0,
      start: 0,
      end: 0,
      missing: 0,
      tsMicros: 0,
      allocateId,
    };
  }

  /** The UDP header at `buf[off..]`, the IP payload ending at `end` (captured) / `declaredEnd` (IP's length). */
  segment(frame: number, buf: Uint8Array, srcOff: number, dstOff: number, addrLen: 4 | 16, off: number, end: number, declaredEnd = end): void {
    if (end - off < UDP_HEADER) {
      this.sink.error({ frame, message: `UDP header truncated: ${Math.max(0, end - off)} bytes, needs ${UDP_HEADER}` });
      return;
    }
    const length = (buf[off + 4] << 8) | buf[off + 5];
    // Length 0 is a jumbogram's (RFC 2675 §4) or an unsegmented GSO super-datagram's: the IP payload is the truth.
    let payloadEnd = length === 0 ? declaredEnd : off + length;
    if (length !== 0 && length < UDP_HEADER) {
      this.sink.error({ frame, message: `UDP length ${length} below its 8-byte header` });
      return;
    }
    if (payloadEnd > declaredEnd) {
      this.sink.error({ frame, message: `UDP length ${length} exceeds the ${declaredEnd - off} bytes of its IP payload` });
      payloadEnd = declaredEnd;
    }
    const d = this.d;
    d.missing = payloadEnd > end ? payloadEnd - end : 0;
    if (payloadEnd > end) payloadEnd = end;
    d.frame = frame;
    d.tsMicros = this.tsMicros;
    d.buf = buf;
    d.srcOff = srcOff;
    d.dstOff = dstOff;
    d.addrLen = addrLen;
    d.srcPort = (buf[off] << 8) | buf[off + 1];
    d.dstPort = (buf[off + 2] << 8) | buf[off + 3];
    d.start = off + UDP_HEADER;
    d.end = payloadEnd;
    this.sink.datagram(d);
  }
}
