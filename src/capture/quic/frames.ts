/**
 * QUIC frames (RFC 9000 §19; DATAGRAM, RFC 9221 §4) of a decrypted packet payload: each frame's type, name, byte
 * range and fields, CRYPTO data ranges for the reassembly above, read by the layouts of frameLayout.ts (which the
 * packet view's labelled reader walks too). A frame type this project does not know has no
 * known length, so parsing stops there with a located error (RFC 9000 §12.4 makes it a connection error).
 * A run of PADDING bytes is listed once, with its length.
 */
import { QuicFrame as F } from "../../tls/registry/quicFrameTypes";
import { readVarintAt } from "../../tls/quic/varint";
import { frameLayout, frameTypeName, keptBytes, type FrameField, type FrameFields, type FrameFieldValue } from "./frameLayout";

export type { FrameFieldValue } from "./frameLayout";
export { MAX_ACK_RANGES, MAX_REASON_BYTES } from "./frameLayout";

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
  /** The field's name is `what` and, when given, `title` after it: joined only for an error message. */
  varint(what: string, title?: string): number {
    if (!readVarintAt(this.buf, this.p, this.end, this.v)) throw new FrameError(this.p, `${named(what, title)}: truncated`);
    this.p += this.v.length;
    return this.v.value;
  }
  bytes(n: number, what: string, title?: string): Uint8Array {
    const at = this.p;
    this.skip(n, what, title);
    return this.buf.subarray(at, at + n);
  }
  /** Steps over `n` bytes (no view made); returns `n`. */
  skip(n: number, what: string, title?: string): number {
    if (n > this.end - this.p) throw new FrameError(this.p, `${named(what, title)}: ${n} bytes, only ${this.end - this.p} left`);
    this.p += n;
    return n;
  }
}

const named = (what: string, title?: string): string => (title === undefined ? what : `${what} ${title}`);

class FrameError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

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

export const frameName = frameTypeName;

/** Reads one frame's fields by its layout (frameLayout.ts), keeping the values its layout names a key for. */
function readFrame(c: Cursor, f: QuicFrameInfo): void {
  const layout = frameLayout(f.type);
  if (!layout) throw new FrameError(f.start, `unknown frame type 0x${f.type.toString(16)}: the rest of the payload cannot be read`);
  readFields(c, f.type, f.name, layout, f.fields);
  if (f.type === F.CRYPTO) {
    const offset = f.fields.offset as number;
    const length = f.fields.length as number;
    // RFC 9000 §19.6: the stream's end may not exceed 2^62 - 1.
    if (offset + length > 2 ** 62 - 1) throw new FrameError(f.start, `CRYPTO data ends beyond 2^62 - 1 (offset ${offset})`);
    // The data is the frame's last field.
    f.dataStart = c.p - length;
    f.cryptoOffset = offset;
  }
}

function readFields(c: Cursor, t: number, label: string, layout: readonly FrameField[], x: FrameFields): void {
  let length = 0;
  let count = 0;
  for (const field of layout) {
    switch (field.kind) {
      case "varint": {
        if (field.when && !field.when(t)) {
          if (field.key !== undefined && field.absent !== undefined) x[field.key] = field.absent;
          break;
        }
        const value = c.varint(label, field.title);
        if (field.role === "length") length = value;
        else if (field.role === "count") count = value;
        if (field.key !== undefined) x[field.key] = value;
        break;
      }
      case "u8length": {
        const n = c.bytes(1, label, field.title)[0];
        if (n < field.min || n > field.max) throw new FrameError(c.p - 1, `${label}: ${field.outside(n)}`);
        length = n;
        break;
      }
      case "bytes": {
        if (field.when && !field.when(t)) break;
        const size = typeof field.size === "function" ? field.size(t) : field.size;
        const n = size === "length" ? length : size === "rest" ? c.end - c.p : size;
        if (field.keep) x[field.keep.key] = keptBytes(field.keep.as, c.bytes(n, label, field.title));
        else c.skip(n, label, field.title);
        break;
      }
      case "repeat": {
        const kept: number[][] = [];
        // Each repetition is at least one byte per field: a count beyond the payload fails on the first missing one.
        for (let i = 0; i < count; i++) {
          if (kept.length < field.max) kept.push(field.fields.map((g) => c.varint(label, g.title)));
          else for (const g of field.fields) c.varint(label, g.title);
        }
        x[field.key] = kept;
        break;
      }
      case "group":
        if (field.when && !field.when(t)) break;
        readFields(c, t, label, field.fields, x);
        break;
      case "derived":
        if (!field.when || field.when(t)) x[field.key] = field.value(t, x);
        break;
    }
  }
}
