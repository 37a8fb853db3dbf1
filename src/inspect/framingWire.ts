/**
 * Record framing carried between threads: one thread reads the capture, reassembles TCP and splits the streams
 * into TLS records (framer.ts); another decodes them (framedInspect.ts). What crosses is a compact binary log of
 * framing events in batches of transferable buffers — connection opened, record (with its fragment, except
 * application data's), framing failed, bytes missing, connection closed — replayed in the same order on the other
 * side, so the connections decoded there are the ones a single thread would decode.
 */
import type { PreambleProtocol } from "../capture/preamble";
import { latin1 } from "../tls/handshake/message";

export const enum FramingOp {
  /** id u32, firstFrame u32, first packet's time u32 (seconds since the epoch), synSeen u8, a: ip (u8 length + Latin-1) port u16, b: the same. */
  Open = 1,
  /** id u32: the connection's SYN has now been seen. */
  Syn = 2,
  /** id u32, flags u8 (bit 0 TCP direction, bit 1 damaged, bit 2 fragment follows), type u8, version u16, length u16, frame u32, fragment. */
  Record = 3,
  /** id u32, dir u8, offset f64, frame u32, reason (u16 length + UTF-8). */
  Invalid = 4,
  /** id u32, dir u8, bytes u32, frame u32. */
  Gap = 5,
  /** id u32, frame u32, then per direction: pending u32, dead u8, application data counted f64. */
  Close = 6,
  /**
   * id u32, length u32 (0xffffffff: nothing to list), then that many bytes of UTF-8: a connection of another
   * transport (QUIC), decoded whole on the reading thread and serialised as its JSON object.
   */
  Decoded = 7,
  /** id u32, protocol (u8 length + Latin-1), target (u16 length + UTF-8; 0xffff: null), bytes per direction u32 u32. */
  Preamble = 8,
}

/** The consumer of replayed events. */
export interface FramingTarget {
  open(id: number, firstFrame: number, synSeen: boolean, a: { ip: string; port: number }, b: { ip: string; port: number }, tsMicros?: number): void;
  syn(id: number): void;
  record(id: number, tcpDir: 0 | 1, type: number, version: number, length: number, fragment: Uint8Array | null, frame: number, damaged: boolean): void;
  invalid(id: number, tcpDir: 0 | 1, reason: string, offset: number, frame: number): void;
  gap(id: number, tcpDir: 0 | 1, bytes: number, frame: number): void;
  close(id: number, frame: number, pending0: number, dead0: boolean, pending1: number, dead1: boolean, appData0: number, appData1: number): void;
  /** A connection decoded on the reading thread, as its JSON object (null: it turned out not to be one). */
  decoded(id: number, json: string | null): void;
  /** What preceded TLS on the stream (sent just before its close). */
  preamble(id: number, protocol: PreambleProtocol, target: string | null, bytes0: number, bytes1: number): void;
}

/** Default batch size: large enough that a batch costs one message, small enough to keep both threads busy. */
export const FRAMING_BATCH_BYTES = 1 << 20;

const textEncoder = new TextEncoder();

/** Appends events to a batch and hands full batches to `send` (which takes ownership of the buffer). */
export class FramingWriter {
  private buf: Uint8Array;
  private pos = 0;
  private readonly f64 = new Float64Array(1);
  private readonly f64Bytes = new Uint8Array(this.f64.buffer);

  constructor(
    private readonly send: (batch: Uint8Array) => void,
    private readonly batchBytes = FRAMING_BATCH_BYTES,
  ) {
    this.buf = new Uint8Array(batchBytes);
  }

  /** Make room for `n` more bytes, sending the current batch first if needed. */
  private room(n: number): void {
    if (this.buf.length - this.pos >= n) return;
    this.flush();
    if (this.buf.length < n) this.buf = new Uint8Array(n);
  }

  /** Send what is buffered (if anything) and start a new batch. */
  flush(): void {
    if (this.pos === 0) return;
    this.send(this.buf.subarray(0, this.pos));
    this.buf = new Uint8Array(this.batchBytes);
    this.pos = 0;
  }

  private u8(v: number): void {
    this.buf[this.pos++] = v;
  }
  private u16(v: number): void {
    this.buf[this.pos++] = v >>> 8;
    this.buf[this.pos++] = v & 0xff;
  }
  private u32(v: number): void {
    const b = this.buf;
    const p = this.pos;
    b[p] = v >>> 24;
    b[p + 1] = (v >>> 16) & 0xff;
    b[p + 2] = (v >>> 8) & 0xff;
    b[p + 3] = v & 0xff;
    this.pos = p + 4;
  }
  private latin1(s: string): void {
    this.u8(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
  }

  open(id: number, firstFrame: number, synSeen: boolean, a: { ip: string; port: number }, b: { ip: string; port: number }, tsMicros = 0): void {
    // Addresses are IP text (digits, dots, hex, colons): one byte per character, at most 39 of them.
    this.room(10 + 8 + 3 + a.ip.length + 3 + b.ip.length);
    this.u8(FramingOp.Open);
    this.u32(id);
    this.u32(firstFrame);
    // The first packet's time in whole seconds (the certificate checks' clock; a u32 lasts until 2106).
    this.u32(Math.floor(tsMicros / 1e6));
    this.u8(synSeen ? 1 : 0);
    this.latin1(a.ip);
    this.u16(a.port);
    this.latin1(b.ip);
    this.u16(b.port);
  }

  syn(id: number): void {
    this.room(5);
    this.u8(FramingOp.Syn);
    this.u32(id);
  }

  /** A Record event's fixed part, with room for `body` fragment bytes after it. */
  private recordHead(id: number, flags: number, type: number, version: number, length: number, frame: number, body: number): void {
    this.room(15 + body);
    this.u8(FramingOp.Record);
    this.u32(id);
    this.u8(flags);
    this.u8(type);
    this.u16(version);
    this.u16(length);
    this.u32(frame);
  }

  record(id: number, tcpDir: 0 | 1, type: number, version: number, length: number, fragment: Uint8Array | null, frame: number, damaged: boolean): void {
    const n = fragment ? fragment.length : 0;
    this.recordHead(id, tcpDir | (damaged ? 2 : 0) | (fragment ? 4 : 0), type, version, length, frame, n);
    if (fragment) {
      // A fragment is its record's whole body (`length` bytes): no length of its own.
      this.buf.set(fragment, this.pos);
      this.pos += n;
    }
  }

  /** A whole, undamaged record whose fragment is `buf[start..start+length)`. */
  recordRange(id: number, tcpDir: 0 | 1, type: number, version: number, length: number, buf: Uint8Array, start: number, frame: number): void {
    this.recordHead(id, tcpDir | 4, type, version, length, frame, length);
    const b = this.buf;
    let p = this.pos;
    // Short fragments (alerts, ChangeCipherSpec, small handshake records) by hand; the rest through a view.
    if (length <= 64) for (let i = 0; i < length; i++) b[p++] = buf[start + i];
    else {
      b.set(buf.subarray(start, start + length), p);
      p += length;
    }
    this.pos = p;
  }

  invalid(id: number, tcpDir: 0 | 1, reason: string, offset: number, frame: number): void {
    const text = textEncoder.encode(reason).subarray(0, 0xffff);
    this.room(22 + text.length);
    this.u8(FramingOp.Invalid);
    this.u32(id);
    this.u8(tcpDir);
    this.f64Out(offset);
    this.u32(frame);
    this.u16(text.length);
    this.buf.set(text, this.pos);
    this.pos += text.length;
  }

  gap(id: number, tcpDir: 0 | 1, bytes: number, frame: number): void {
    this.room(14);
    this.u8(FramingOp.Gap);
    this.u32(id);
    this.u8(tcpDir);
    this.u32(bytes);
    this.u32(frame);
  }

  close(id: number, frame: number, pending0: number, dead0: boolean, pending1: number, dead1: boolean, appData0: number, appData1: number): void {
    this.room(35);
    this.u8(FramingOp.Close);
    this.u32(id);
    this.u32(frame);
    this.u32(pending0);
    this.u8(dead0 ? 1 : 0);
    this.u32(pending1);
    this.u8(dead1 ? 1 : 0);
    this.f64Out(appData0);
    this.f64Out(appData1);
  }

  decoded(id: number, json: string | null): void {
    const bytes = json === null ? null : textEncoder.encode(json);
    this.room(9 + (bytes ? bytes.length : 0));
    this.u8(FramingOp.Decoded);
    this.u32(id);
    this.u32(bytes ? bytes.length : 0xffffffff);
    if (bytes) {
      this.buf.set(bytes, this.pos);
      this.pos += bytes.length;
    }
  }

  preamble(id: number, protocol: string, target: string | null, bytes0: number, bytes1: number): void {
    const t = target === null ? null : textEncoder.encode(target).subarray(0, 0xfffe);
    this.room(19 + protocol.length + (t ? t.length : 0));
    this.u8(FramingOp.Preamble);
    this.u32(id);
    this.latin1(protocol);
    this.u16(t ? t.length : 0xffff);
    if (t) {
      this.buf.set(t, this.pos);
      this.pos += t.length;
    }
    this.u32(bytes0);
    this.u32(bytes1);
  }

  private f64Out(v: number): void {
    this.f64[0] = v;
    this.buf.set(this.f64Bytes, this.pos);
    this.pos += 8;
  }
}

const textDecoder = new TextDecoder();

/** Replays one batch into `target`, in order. Fragments are views into `batch`, valid during the call. */
export function replayFraming(batch: Uint8Array, target: FramingTarget): void {
  const b = batch;
  let p = 0;
  const u16 = () => {
    const v = (b[p] << 8) | b[p + 1];
    p += 2;
    return v;
  };
  const u32 = () => {
    const v = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
    p += 4;
    return v;
  };
  const text = () => {
    const n = b[p++];
    const s = latin1(b.subarray(p, p + n));
    p += n;
    return s;
  };
  const f64 = new Float64Array(1);
  const f64Bytes = new Uint8Array(f64.buffer);
  const f64In = () => {
    f64Bytes.set(b.subarray(p, p + 8));
    p += 8;
    return f64[0];
  };
  // Every event consumes at least five bytes, so the loop is bounded by the batch's length.
  while (p < b.length) {
    const op = b[p++];
    const id = u32();
    switch (op) {
      case FramingOp.Record: {
        const flags = b[p++];
        const type = b[p++];
        const version = u16();
        const length = u16();
        const frame = u32();
        let fragment: Uint8Array | null = null;
        if (flags & 4) {
          fragment = b.subarray(p, p + length);
          p += length;
        }
        target.record(id, (flags & 1) as 0 | 1, type, version, length, fragment, frame, (flags & 2) !== 0);
        break;
      }
      case FramingOp.Open: {
        const firstFrame = u32();
        const seconds = u32();
        const synSeen = b[p++] === 1;
        const aIp = text();
        const aPort = u16();
        const bIp = text();
        const bPort = u16();
        target.open(id, firstFrame, synSeen, { ip: aIp, port: aPort }, { ip: bIp, port: bPort }, seconds * 1e6);
        break;
      }
      case FramingOp.Syn:
        target.syn(id);
        break;
      case FramingOp.Invalid: {
        const dir = b[p++] as 0 | 1;
        const offset = f64In();
        const frame = u32();
        const n = u16();
        const reason = textDecoder.decode(b.subarray(p, p + n));
        p += n;
        target.invalid(id, dir, reason, offset, frame);
        break;
      }
      case FramingOp.Gap: {
        const dir = b[p++] as 0 | 1;
        const bytes = u32();
        target.gap(id, dir, bytes, u32());
        break;
      }
      case FramingOp.Decoded: {
        const n = u32();
        if (n === 0xffffffff) target.decoded(id, null);
        else {
          target.decoded(id, textDecoder.decode(b.subarray(p, p + n)));
          p += n;
        }
        break;
      }
      case FramingOp.Preamble: {
        const protocol = text() as PreambleProtocol;
        const n = u16();
        let asked: string | null = null;
        if (n !== 0xffff) {
          asked = textDecoder.decode(b.subarray(p, p + n));
          p += n;
        }
        const bytes0 = u32();
        target.preamble(id, protocol, asked, bytes0, u32());
        break;
      }
      case FramingOp.Close: {
        const frame = u32();
        const pending0 = u32();
        const dead0 = b[p++] === 1;
        const pending1 = u32();
        const dead1 = b[p++] === 1;
        const appData0 = f64In();
        const appData1 = f64In();
        target.close(id, frame, pending0, dead0, pending1, dead1, appData0, appData1);
        break;
      }
      default:
        throw new Error(`framing log: unknown event ${op} at byte ${p - 5}`);
    }
  }
}
