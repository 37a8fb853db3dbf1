/**
 * A growable byte queue for reassembling handshake messages that span records. It only ever holds bytes that
 * actually arrived, so a hostile length field cannot make it allocate ahead of the data.
 */
/** Shared by every empty queue: nothing is ever written into it (a push grows the buffer first). */
const EMPTY = new Uint8Array(0);

export class ByteQueue {
  private buf: Uint8Array = EMPTY;
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(data: Uint8Array): void {
    if (data.length === 0) return;
    if (this.end + data.length > this.buf.length) {
      const live = this.end - this.start;
      if (live + data.length <= this.buf.length && this.start > 0) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        const grown = new Uint8Array(Math.max(256, (live + data.length) * 2));
        grown.set(this.buf.subarray(this.start, this.end));
        this.buf = grown;
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(data, this.end);
    this.end += data.length;
  }

  /** Byte at `i` from the front (caller checks `i < length`). */
  at(i: number): number {
    return this.buf[this.start + i];
  }

  /** Remove and return (as a copy) the first `n` bytes. */
  take(n: number): Uint8Array {
    const out = this.buf.slice(this.start, this.start + n);
    this.start += n;
    if (this.start === this.end) this.start = this.end = 0;
    return out;
  }

  clear(): void {
    this.start = this.end = 0;
    if (this.buf.length > 1 << 16) this.buf = EMPTY;
  }
}
