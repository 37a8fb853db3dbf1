/**
 * QUIC frames (RFC 9000 §19; DATAGRAM, RFC 9221 §4) of a decrypted packet payload: each frame's type, name, byte
 * range and fields, CRYPTO data ranges for the reassembly above. A frame type this project does not know has no
 * known length, so parsing stops there with a located error (RFC 9000 §12.4 makes it a connection error).
 * A run of PADDING bytes is listed once, with its length.
 */
import { isStreamFrame, QuicFrame as F, quicFrameTypes } from "../../tls/registry/quicFrameTypes";
import { transportErrorName } from "../../tls/registry/quicTransportErrors";
import { readVarintAt } from "../../tls/quic/varint";

export type FrameFieldValue = number | string | boolean | number[][];

export interface QuicFrameInfo {
  type: number;
  name: string;
  /** Bounds in the buffer the payload was parsed from. */
  start: number;
  end: number;
  fields: Record<string, FrameFieldValue>;
  /** CRYPTO: where its data is (`dataStart..end`) and at which stream offset. */
  cryptoOffset?: number;
  dataStart?: number;
}

/** Frames listed per packet at most (a 64 KB payload of PING frames stays small). */
export const MAX_FRAMES_PER_PACKET = 4096;
/** ACK ranges listed per ACK frame at most (the rest are counted). */
export const MAX_ACK_RANGES = 64;
/** Bytes of a CONNECTION_CLOSE reason phrase kept. */
export const MAX_REASON_BYTES = 256;

export interface ParsedFrames {
  frames: QuicFrameInfo[];
  error?: { offset: number; message: string };
}

class Cursor {
  p: number;
  private readonly v = { value: 0, length: 0 };
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.p = start;
  }
  varint(what: string): number {
    if (!readVarintAt(this.buf, this.p, this.end, this.v)) throw new FrameError(this.p, `${what}: truncated`);
    this.p += this.v.length;
    return this.v.value;
  }
  bytes(n: number, what: string): Uint8Array {
    if (n > this.end - this.p) throw new FrameError(this.p, `${what}: ${n} bytes, only ${this.end - this.p} left`);
    const b = this.buf.subarray(this.p, this.p + n);
    this.p += n;
    return b;
  }
}

class FrameError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");

export function parseFrames(buf: Uint8Array, start: number, end: number): ParsedFrames {
  const frames: QuicFrameInfo[] = [];
  const c = new Cursor(buf, start, end);
  try {
    while (c.p < end) {
      if (frames.length >= MAX_FRAMES_PER_PACKET) throw new FrameError(c.p, `more than ${MAX_FRAMES_PER_PACKET} frames in one packet`);
      const at = c.p;
      if (buf[at] === F.PADDING) {
        let q = at;
        while (q < end && buf[q] === 0) q++;
        c.p = q;
        frames.push({ type: F.PADDING, name: "PADDING", start: at, end: q, fields: { length: q - at } });
        continue;
      }
      const type = c.varint("frame type");
      const f: QuicFrameInfo = { type, name: frameName(type), start: at, end: at, fields: {} };
      readFrame(c, f);
      f.end = c.p;
      frames.push(f);
    }
    return { frames };
  } catch (e) {
    if (e instanceof FrameError) return { frames, error: { offset: e.offset, message: e.message } };
    throw e;
  }
}

export function frameName(type: number): string {
  return quicFrameTypes.has(type) ? quicFrameTypes.name(type) : "unknown";
}

function readFrame(c: Cursor, f: QuicFrameInfo): void {
  const t = f.type;
  const x = f.fields;
  if (isStreamFrame(t)) {
    // RFC 9000 §19.8: 0x04 OFF, 0x02 LEN, 0x01 FIN.
    x.streamId = c.varint("STREAM Stream ID");
    x.offset = t & 0x04 ? c.varint("STREAM Offset") : 0;
    const length = t & 0x02 ? c.varint("STREAM Length") : c.end - c.p;
    c.bytes(length, "STREAM data");
    x.length = length;
    x.fin = (t & 0x01) !== 0;
    return;
  }
  switch (t) {
    case F.PING:
    case F.HANDSHAKE_DONE:
      return;
    case F.ACK:
    case F.ACK_ECN: {
      x.largest = c.varint("ACK Largest Acknowledged");
      x.delay = c.varint("ACK Delay");
      const count = c.varint("ACK Range Count");
      x.rangeCount = count;
      x.firstRange = c.varint("ACK First ACK Range");
      const ranges: number[][] = [];
      // Each range is at least 2 bytes: a count beyond the payload fails on the first missing varint.
      for (let i = 0; i < count; i++) {
        const gap = c.varint("ACK Gap");
        const len = c.varint("ACK Range Length");
        if (ranges.length < MAX_ACK_RANGES) ranges.push([gap, len]);
      }
      x.ranges = ranges;
      if (t === F.ACK_ECN) {
        x.ect0 = c.varint("ACK ECT0 Count");
        x.ect1 = c.varint("ACK ECT1 Count");
        x.ce = c.varint("ACK ECN-CE Count");
      }
      return;
    }
    case F.RESET_STREAM:
      x.streamId = c.varint("RESET_STREAM Stream ID");
      x.errorCode = c.varint("RESET_STREAM Application Protocol Error Code");
      x.finalSize = c.varint("RESET_STREAM Final Size");
      return;
    case F.STOP_SENDING:
      x.streamId = c.varint("STOP_SENDING Stream ID");
      x.errorCode = c.varint("STOP_SENDING Application Protocol Error Code");
      return;
    case F.CRYPTO: {
      const offset = c.varint("CRYPTO Offset");
      const length = c.varint("CRYPTO Length");
      f.dataStart = c.p;
      c.bytes(length, "CRYPTO data");
      // RFC 9000 §19.6: the stream's end may not exceed 2^62 - 1.
      if (offset + length > 2 ** 62 - 1) throw new FrameError(f.start, `CRYPTO data ends beyond 2^62 - 1 (offset ${offset})`);
      f.cryptoOffset = offset;
      x.offset = offset;
      x.length = length;
      return;
    }
    case F.NEW_TOKEN: {
      const length = c.varint("NEW_TOKEN Token Length");
      c.bytes(length, "NEW_TOKEN Token");
      x.length = length;
      return;
    }
    case F.MAX_DATA:
      x.maximum = c.varint("MAX_DATA Maximum Data");
      return;
    case F.MAX_STREAM_DATA:
      x.streamId = c.varint("MAX_STREAM_DATA Stream ID");
      x.maximum = c.varint("MAX_STREAM_DATA Maximum Stream Data");
      return;
    case F.MAX_STREAMS_BIDI:
    case F.MAX_STREAMS_UNI:
      x.maximum = c.varint("MAX_STREAMS Maximum Streams");
      x.bidirectional = t === F.MAX_STREAMS_BIDI;
      return;
    case F.DATA_BLOCKED:
      x.limit = c.varint("DATA_BLOCKED Maximum Data");
      return;
    case F.STREAM_DATA_BLOCKED:
      x.streamId = c.varint("STREAM_DATA_BLOCKED Stream ID");
      x.limit = c.varint("STREAM_DATA_BLOCKED Maximum Stream Data");
      return;
    case F.STREAMS_BLOCKED_BIDI:
    case F.STREAMS_BLOCKED_UNI:
      x.limit = c.varint("STREAMS_BLOCKED Maximum Streams");
      x.bidirectional = t === F.STREAMS_BLOCKED_BIDI;
      return;
    case F.NEW_CONNECTION_ID: {
      x.sequence = c.varint("NEW_CONNECTION_ID Sequence Number");
      x.retirePriorTo = c.varint("NEW_CONNECTION_ID Retire Prior To");
      const len = c.bytes(1, "NEW_CONNECTION_ID Length")[0];
      // RFC 9000 §19.15: 1 to 20 bytes.
      if (len < 1 || len > 20) throw new FrameError(c.p - 1, `NEW_CONNECTION_ID: connection ID length ${len} outside 1..20`);
      x.cid = hex(c.bytes(len, "NEW_CONNECTION_ID Connection ID"));
      x.resetToken = hex(c.bytes(16, "NEW_CONNECTION_ID Stateless Reset Token"));
      return;
    }
    case F.RETIRE_CONNECTION_ID:
      x.sequence = c.varint("RETIRE_CONNECTION_ID Sequence Number");
      return;
    case F.PATH_CHALLENGE:
    case F.PATH_RESPONSE:
      x.data = hex(c.bytes(8, `${f.name} Data`));
      return;
    case F.CONNECTION_CLOSE:
    case F.CONNECTION_CLOSE_APP: {
      const code = c.varint("CONNECTION_CLOSE Error Code");
      x.errorCode = code;
      x.application = t === F.CONNECTION_CLOSE_APP;
      if (t === F.CONNECTION_CLOSE) {
        x.errorName = transportErrorName(code);
        x.frameType = c.varint("CONNECTION_CLOSE Frame Type");
      }
      const len = c.varint("CONNECTION_CLOSE Reason Phrase Length");
      const reason = c.bytes(len, "CONNECTION_CLOSE Reason Phrase");
      x.reasonLength = len;
      // A reason phrase is UTF-8 (RFC 9000 §19.19); what a capture holds is text, never markup, and bounded.
      x.reason = new TextDecoder("utf-8", { fatal: false }).decode(reason.subarray(0, MAX_REASON_BYTES));
      return;
    }
    case F.DATAGRAM:
    case F.DATAGRAM_LEN: {
      const length = t === F.DATAGRAM_LEN ? c.varint("DATAGRAM Length") : c.end - c.p;
      c.bytes(length, "DATAGRAM Data");
      x.length = length;
      return;
    }
    default:
      throw new FrameError(f.start, `unknown frame type 0x${t.toString(16)}: the rest of the payload cannot be read`);
  }
}
