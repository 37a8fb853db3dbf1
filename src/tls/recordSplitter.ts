/**
 * Splits one direction of a TCP stream into TLS records, incrementally. Records may span segments and a segment
 * may hold many records. Fragments the layer above does not need (application data it cannot or need not
 * decrypt) are skipped by counting, never copied; a fragment inside one chunk is passed as a view, and only a
 * fragment split across chunks is assembled into a buffer of its declared (bounded) length.
 */
import { isPlausibleRecordHeader, MAX_RECORD_LENGTH, RECORD_HEADER_LENGTH } from "./record";

export interface RecordSink {
  /** Whether the fragment of a record of this type is needed (otherwise `record` gets `null`). */
  wantFragment(type: number): boolean;
  /**
   * A complete record. `fragment` is a view valid only during the call (or null when skipped, or when bytes of
   * it were never captured — then `damaged` is true). `frame` is the packet carrying its last byte; `offset`
   * the header's offset in the direction's stream.
   */
  record(type: number, version: number, length: number, fragment: Uint8Array | null, frame: number, offset: number, damaged: boolean): void;
  /**
   * When present, takes the place of `record` for a wanted fragment that lies whole in one chunk: it is
   * `buf[start..start+length)`, valid only during the call (no view is made: one per record adds up).
   */
  recordRange?(type: number, version: number, length: number, buf: Uint8Array, start: number, frame: number): void;
  /** Framing failed: the stream is not TLS (at offset 0) or a header is implausible; nothing more is parsed. */
  invalid(reason: string, offset: number, frame: number): void;
}

/**
 * Assembly buffers returned after their record was handed out (a fragment is valid only during the call), so a
 * bulk stream of 16 KB records spanning segments reuses a few buffers instead of allocating one per record.
 * Only buffers of at least POOLED_MIN bytes are kept, at most POOL_SIZE of them.
 */
const pool: Uint8Array[] = [];
const POOL_SIZE = 16;
const POOLED_MIN = 4096;

function assemblyBuffer(length: number): Uint8Array {
  if (length >= POOLED_MIN) {
    for (let i = pool.length - 1; i >= 0; i--) {
      if (pool[i].length >= length) {
        const b = pool[i];
        pool[i] = pool[pool.length - 1];
        pool.pop();
        return b;
      }
    }
    // Sized for the largest record, so that any later one fits it.
    return new Uint8Array(MAX_RECORD_LENGTH);
  }
  return new Uint8Array(length);
}

function release(b: Uint8Array): void {
  if (b.length >= POOLED_MIN && pool.length < POOL_SIZE) pool.push(b);
}

const enum State {
  Header,
  Body,
  Dead,
}

export class RecordSplitter {
  /** Bytes of this direction consumed so far (stream offset). */
  offset = 0;
  private state = State.Header;
  /** A header split across chunks is gathered here (made on first use: most headers arrive whole). */
  private header: Uint8Array | null = null;
  private headerFill = 0;
  private type = 0;
  private version = 0;
  private length = 0;
  private recordOffset = 0;
  /** Bytes of the current fragment still to come. */
  private bodyLeft = 0;
  private want = false;
  private damaged = false;
  /** Assembly buffer for a wanted fragment split across chunks. */
  private body: Uint8Array | null = null;
  private bodyFill = 0;

  /** The sink takes whole fragments as ranges (see RecordSink.recordRange). */
  private readonly ranged: boolean;

  constructor(
    private readonly sink: RecordSink,
    /** Upper bound on a record's declared length; larger is a framing error. */
    private readonly maxLength = MAX_RECORD_LENGTH,
  ) {
    this.ranged = typeof sink.recordRange === "function";
  }

  get dead(): boolean {
    return this.state === State.Dead;
  }

  /** Feed in-order stream bytes: `data[start..end)` (the whole array by default). */
  push(data: Uint8Array, frame: number, start = 0, end = data.length): void {
    let i = start;
    const n = end;
    // Each iteration consumes at least one byte or finishes a record, so the loop is bounded by n + records.
    while (i < n) {
      if (this.state === State.Dead) return;
      if (this.state === State.Header) {
        // Fast path: a whole header in this chunk.
        if (this.headerFill === 0 && n - i >= RECORD_HEADER_LENGTH) {
          if (!this.startRecord(data[i], data[i + 1], data[i + 2], (data[i + 3] << 8) | data[i + 4], frame)) return;
          i += RECORD_HEADER_LENGTH;
          continue;
        } else {
          (this.header ??= new Uint8Array(RECORD_HEADER_LENGTH))[this.headerFill++] = data[i++];
          this.offset++;
          if (this.headerFill === RECORD_HEADER_LENGTH) {
            this.headerFill = 0;
            const h = this.header!;
            this.offset -= RECORD_HEADER_LENGTH;
            if (!this.startRecord(h[0], h[1], h[2], (h[3] << 8) | h[4], frame)) return;
          }
          continue;
        }
      }
      // Body.
      const take = Math.min(this.bodyLeft, n - i);
      if (this.want && !this.damaged) {
        if (this.body === null && take === this.bodyLeft) {
          // Whole fragment in this chunk: hand out a view (or the range, to a sink that takes one).
          const at = i;
          i += take;
          this.offset += take;
          this.bodyLeft = 0;
          if (this.ranged) {
            this.state = State.Header;
            this.sink.recordRange!(this.type, this.version, this.length, data, at, frame);
          } else {
            this.finish(data.subarray(at, at + take), frame);
          }
          continue;
        }
        if (this.body === null) {
          this.body = assemblyBuffer(this.length);
          this.bodyFill = 0;
        }
        this.body.set(data.subarray(i, i + take), this.bodyFill);
        this.bodyFill += take;
      }
      i += take;
      this.offset += take;
      this.bodyLeft -= take;
      if (this.bodyLeft === 0) this.finish(this.want && !this.damaged ? this.body!.subarray(0, this.bodyFill) : null, frame);
    }
  }

  /**
   * `bytes` of the stream were never captured. Inside a skipped fragment framing survives (the length is known);
   * inside a wanted fragment the record is reported damaged; in a header framing is lost.
   */
  gap(bytes: number, frame: number): void {
    if (this.state === State.Dead || bytes <= 0) return;
    if (this.state === State.Body && bytes <= this.bodyLeft) {
      this.offset += bytes;
      this.bodyLeft -= bytes;
      this.damaged = true;
      if (this.body) release(this.body);
      this.body = null;
      if (this.bodyLeft === 0) this.finish(null, frame);
      return;
    }
    this.state = State.Dead;
    this.sink.invalid(`${bytes} byte(s) missing from the stream at offset ${this.offset}; record framing lost`, this.offset, frame);
  }

  /** Bytes of an unfinished record at the end of the stream, if any. */
  pendingBytes(): number {
    if (this.state === State.Header) return this.headerFill;
    if (this.state === State.Body) return RECORD_HEADER_LENGTH + this.length - this.bodyLeft;
    return 0;
  }

  private startRecord(type: number, major: number, minor: number, length: number, frame: number): boolean {
    if (!isPlausibleRecordHeader(type, major, minor)) {
      this.state = State.Dead;
      const hex = (v: number) => v.toString(16).padStart(2, "0");
      this.sink.invalid(
        this.offset === 0
          ? "not a TLS stream (first bytes are not a record header)"
          : `implausible record header at stream offset ${this.offset}: type ${type}, version 0x${hex(major)}${hex(minor)}`,
        this.offset,
        frame,
      );
      return false;
    }
    if (length > this.maxLength) {
      this.state = State.Dead;
      this.sink.invalid(`record length ${length} exceeds 2^14 + 2048 at stream offset ${this.offset}`, this.offset, frame);
      return false;
    }
    this.type = type;
    this.version = (major << 8) | minor;
    this.length = length;
    this.recordOffset = this.offset;
    this.offset += RECORD_HEADER_LENGTH;
    this.bodyLeft = length;
    this.want = this.sink.wantFragment(type);
    this.damaged = false;
    this.body = null;
    this.state = State.Body;
    if (length === 0) this.finish(this.want ? new Uint8Array(0) : null, frame);
    return true;
  }

  private finish(fragment: Uint8Array | null, frame: number): void {
    this.state = State.Header;
    const damaged = this.damaged;
    const body = this.body;
    this.body = null;
    this.sink.record(this.type, this.version, this.length, fragment, frame, this.recordOffset, damaged);
    // The sink is done with the fragment (see RecordSink.record): its buffer can take another record.
    if (body) release(body);
  }
}
