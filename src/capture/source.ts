/**
 * A sliding window over the capture's bytes, shared by the pcap and pcapng readers. The readers parse straight out
 * of `buf[pos..end)` and call `ensure(n)` only when a record does not fit, so the per-record cost is a comparison.
 *
 * File input: one reusable ~1 MiB buffer filled with `fs.readSync`; a record that straddles the window's end is
 * moved to the front before refilling; a record larger than the window grows it, but only after checking the
 * file still holds that many bytes, so a hostile length field cannot make us allocate beyond the input's size.
 * Memory input: the window is the caller's array itself (no copy); `end` advances in 1 MiB steps only so that
 * progress/cancel is reported the same way in both modes.
 */
import * as fs from "node:fs";

export const WINDOW_BYTES = 1 << 20;

export interface ProgressOptions {
  /** Called about every 1 MiB; return false to cancel reading (the reader then stops quietly). */
  onProgress?(bytesRead: number, total: number): boolean;
}

export class ByteSource {
  /** Current window. Replaced when it grows, so readers re-load it after `ensure`. */
  buf: Uint8Array;
  /** Read position in `buf`. */
  pos = 0;
  /** End of valid bytes in `buf`. */
  end = 0;
  /** File offset of `buf[0]`. */
  base = 0;
  /** Total input size in bytes (shrinks if the file turns out shorter than fstat said). */
  total: number;
  /** Set when onProgress returned false. */
  cancelled = false;

  private constructor(
    private readonly fd: number | null,
    buf: Uint8Array,
    total: number,
    private readonly onProgress?: (bytesRead: number, total: number) => boolean,
  ) {
    this.buf = buf;
    this.total = total;
  }

  static fromBytes(bytes: Uint8Array, opts?: ProgressOptions): ByteSource {
    const s = new ByteSource(null, bytes, bytes.length, opts?.onProgress);
    s.end = Math.min(bytes.length, WINDOW_BYTES);
    return s;
  }

  static fromFd(fd: number, size: number, opts?: ProgressOptions): ByteSource {
    return new ByteSource(fd, new Uint8Array(Math.min(WINDOW_BYTES, Math.max(size, 64))), size, opts?.onProgress);
  }

  /** File offset of the read position. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Bytes of input left after the read position. */
  get remaining(): number {
    return this.total - this.base - this.pos;
  }

  /**
   * Make `buf[pos..pos+n)` valid. False when the input ends first (or reading was cancelled); `remaining` then
   * tells how much was left.
   */
  ensure(n: number): boolean {
    if (this.end - this.pos >= n) return true;
    if (this.remaining < n) return false;
    // (No progress report for the very first fill: the format is sniffed from it, even when cancelling.)
    if (this.onProgress && this.base + this.end > 0 && !this.onProgress(this.base + this.end, this.total)) {
      this.cancelled = true;
      return false;
    }
    if (this.fd === null) {
      // The whole input is in memory: just widen the window.
      this.end = Math.min(this.total, Math.max(this.pos + n, this.end + WINDOW_BYTES));
      return true;
    }
    // Move the unread tail to the front, growing the window if one record needs more than it holds
    // (n <= remaining was checked above, so the allocation is bounded by the file's size).
    const keep = this.end - this.pos;
    if (n > this.buf.length) {
      const bigger = new Uint8Array(n);
      bigger.set(this.buf.subarray(this.pos, this.end));
      this.buf = bigger;
    } else if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.end);
    }
    this.base += this.pos;
    this.pos = 0;
    this.end = keep;
    while (this.end < n) {
      const got = fs.readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.base + this.end);
      if (got <= 0) {
        // The file shrank under us: what we have is all there is.
        this.total = this.base + this.end;
        return false;
      }
      this.end += got;
    }
    return true;
  }
}
