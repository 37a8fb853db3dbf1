/**
 * One CRYPTO stream (RFC 9000 §19.6, §7.5): the TLS handshake bytes of one packet number space in one direction,
 * sent as CRYPTO frames at offsets — out of order, retransmitted, overlapping, split across packets (a browser's
 * ClientHello with a post-quantum key share fills two Initial packets, in scrambled pieces). Bytes are delivered
 * in order as soon as they are contiguous; what waits behind a hole is held in a bounded buffer. A hole is never
 * bridged: bytes after it are delivered only once it fills, and at the end each remaining hole is located.
 * Where a retransmission disagrees with bytes already held, the first bytes win and the conflict is reported.
 */

/** Bytes held out of order per stream at most (RFC 9000 §7.5 asks endpoints for at least 4096). */
export const MAX_CRYPTO_BUFFERED = 1 << 20;
/** Out-of-order pieces held per stream at most. */
export const MAX_CRYPTO_PIECES = 1024;

interface Piece {
  offset: number;
  data: Uint8Array;
}

export interface CryptoSink {
  /** Newly contiguous bytes, starting at stream offset `offset`; the view is valid only during the call. */
  data(bytes: Uint8Array, offset: number, frame: number): void;
  error(message: string, frame: number): void;
}

export class CryptoStream {
  /** Every byte below this offset was delivered. */
  delivered = 0;
  private pieces: Piece[] = [];
  private buffered = 0;
  private overflowReported = false;
  private conflictReported = false;

  constructor(
    readonly name: string,
    private readonly sink: CryptoSink,
  ) {}

  /** CRYPTO data at stream offset `offset`. */
  insert(offset: number, data: Uint8Array, frame: number): void {
    let start = offset;
    let bytes = data;
    // Already delivered (a retransmission): only the new tail counts.
    if (start < this.delivered) {
      const skip = Math.min(bytes.length, this.delivered - start);
      bytes = bytes.subarray(skip);
      start += skip;
    }
    if (bytes.length === 0) return;
    if (start === this.delivered) {
      this.deliver(bytes, start, frame);
      this.drain(frame);
      return;
    }
    this.hold(start, bytes, frame);
  }

  private deliver(bytes: Uint8Array, offset: number, frame: number): void {
    // Bytes some held piece also has must agree with it (the piece is then dropped by drain).
    this.delivered = offset + bytes.length;
    this.sink.data(bytes, offset, frame);
  }

  /** Delivers held pieces that now touch the delivered prefix. Each pass removes a piece: bounded by their count. */
  private drain(frame: number): void {
    while (this.pieces.length > 0 && this.pieces[0].offset <= this.delivered) {
      const p = this.pieces.shift()!;
      this.buffered -= p.data.length;
      const end = p.offset + p.data.length;
      if (end <= this.delivered) continue;
      const tail = p.data.subarray(this.delivered - p.offset);
      this.deliver(tail, this.delivered, frame);
    }
  }

  /** Keeps out-of-order bytes, trimmed against what is held already (first bytes win). */
  private hold(start: number, bytes: Uint8Array, frame: number): void {
    const end = start + bytes.length;
    // Cut the new bytes into the parts no held piece covers, checking the overlaps agree.
    const parts: Piece[] = [];
    let at = start;
    for (const p of this.pieces) {
      const pEnd = p.offset + p.data.length;
      if (pEnd <= at) continue;
      if (p.offset >= end) break;
      if (p.offset > at) parts.push({ offset: at, data: bytes.slice(at - start, p.offset - start) });
      const from = Math.max(at, p.offset);
      const to = Math.min(end, pEnd);
      if (!this.conflictReported && !sameBytes(bytes, from - start, p.data, from - p.offset, to - from)) {
        this.conflictReported = true;
        this.sink.error(`${this.name}: CRYPTO data at offset ${from} differs from bytes received before for the same offset (the first are kept)`, frame);
      }
      at = Math.max(at, pEnd);
      if (at >= end) break;
    }
    if (at < end) parts.push({ offset: at, data: bytes.slice(at - start) });
    for (const part of parts) {
      if (this.buffered + part.data.length > MAX_CRYPTO_BUFFERED || this.pieces.length >= MAX_CRYPTO_PIECES) {
        if (!this.overflowReported) {
          this.overflowReported = true;
          this.sink.error(
            `${this.name}: more than ${MAX_CRYPTO_BUFFERED} bytes or ${MAX_CRYPTO_PIECES} pieces of CRYPTO data wait behind a hole at offset ${this.delivered}; the excess is dropped`,
            frame,
          );
        }
        continue;
      }
      this.buffered += part.data.length;
      const i = this.pieces.findIndex((p) => p.offset > part.offset);
      if (i < 0) this.pieces.push(part);
      else this.pieces.splice(i, 0, part);
    }
  }

  /** The holes left: [from, to) stream offsets with nothing received, in order. */
  holes(): [number, number][] {
    const out: [number, number][] = [];
    let at = this.delivered;
    for (const p of this.pieces) {
      if (p.offset > at) out.push([at, p.offset]);
      at = Math.max(at, p.offset + p.data.length);
    }
    return out;
  }

  /** Bytes received but not delivered (they wait behind a hole). */
  get waiting(): number {
    return this.buffered;
  }
}

function sameBytes(a: Uint8Array, ai: number, b: Uint8Array, bi: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[ai + i] !== b[bi + i]) return false;
  return true;
}
