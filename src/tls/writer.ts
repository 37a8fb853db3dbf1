/**
 * A byte writer mirroring the Reader: fixed-width integers, opaque bytes and length-prefixed vectors whose length
 * is back-patched once the body is written (TLS presentation language, RFC 8446 §3.4). Encoders build messages
 * with it so the bytes a state machine sends are produced by the same vocabulary the decoders read.
 */
export class Writer {
  private buf: Uint8Array;
  /** Bytes written so far. */
  length = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(Math.max(16, initial));
  }

  private grow(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  private uint(value: number, width: number): this {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** (8 * width)) {
      throw new RangeError(`value ${value} does not fit in ${width} byte(s)`);
    }
    this.grow(width);
    for (let i = width - 1; i >= 0; i--) {
      this.buf[this.length + i] = value & 0xff;
      value = Math.floor(value / 256);
    }
    this.length += width;
    return this;
  }

  u8(v: number): this {
    return this.uint(v, 1);
  }
  u16(v: number): this {
    return this.uint(v, 2);
  }
  u24(v: number): this {
    return this.uint(v, 3);
  }
  u32(v: number): this {
    return this.uint(v, 4);
  }

  bytes(b: Uint8Array): this {
    this.grow(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /**
   * A vector with a `lenWidth`-byte length prefix: `fn` writes the body, then the prefix is patched with the
   * body's size (throws if it does not fit the prefix).
   */
  vector(lenWidth: 1 | 2 | 3 | 4, fn: (w: this) => void): this {
    const at = this.length;
    this.uint(0, lenWidth);
    fn(this);
    const len = this.length - at - lenWidth;
    if (len >= 2 ** (8 * lenWidth)) throw new RangeError(`vector body of ${len} bytes does not fit a ${lenWidth}-byte length`);
    let v = len;
    for (let i = lenWidth - 1; i >= 0; i--) {
      this.buf[at + i] = v & 0xff;
      v = Math.floor(v / 256);
    }
    return this;
  }

  /** A length-prefixed opaque vector. */
  opaque(lenWidth: 1 | 2 | 3 | 4, b: Uint8Array): this {
    return this.vector(lenWidth, (w) => w.bytes(b));
  }

  /** A copy of the bytes written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export { concatBytes } from "./bytes";
