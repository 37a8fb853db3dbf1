/**
 * A labelled byte reader: every read names what it reads, so decoding a structure *is* building its field tree
 * (the explanation cannot drift from the parser). With `annotate` off the same decoder runs without building
 * nodes — the fast path used for summaries of large captures.
 *
 * Reads never go past the reader's current bound. A length-prefixed vector narrows the bound to its body, so a
 * hostile length can never make a decoder read (or allocate) beyond the bytes it was given.
 */
import type { FieldNode, FieldValue } from "./field";

/** A decoding problem located by field name and absolute byte offset. */
export class DecodeError extends Error {
  constructor(
    message: string,
    /** Dotted path of the field being read, e.g. `ClientHello.extensions.key_share.client_shares`. */
    readonly field: string,
    /** Absolute offset in the decoded buffer where the problem was found. */
    readonly offset: number,
  ) {
    super(message);
    this.name = "DecodeError";
  }
}

export interface ReadOptions<T = number> {
  /** Display text, or a function computing it (called only when annotating). */
  display?: string | ((value: T) => string);
  rfc?: string;
  note?: string;
}

export interface VectorOptions extends ReadOptions<Uint8Array> {
  /** Minimum and maximum body length in bytes, as the RFC's `<min..max>` says. */
  min?: number;
  max?: number;
}

const hexTable: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lowercase hex without separators. */
export function toHex(bytes: Uint8Array): string {
  // Past a few bytes the native encoder is faster than concatenating (certificates, signatures, key shares).
  if (bytes.length > 16) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("hex");
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += hexTable[bytes[i]];
  return s;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** `0x0303`-style hex of an integer of `width` bytes. */
export function hexInt(value: number, width: number): string {
  return "0x" + value.toString(16).padStart(width * 2, "0");
}

export class Reader {
  /** Current absolute offset. */
  pos: number;
  /** Current bound (exclusive); narrowed inside vectors. */
  end: number;
  private readonly stack: FieldNode[] = [];
  private readonly path: string[] = [];

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
    /** Build field nodes (true) or only decode (false). */
    readonly annotate = true,
    /** Node that receives the top-level fields read; required when annotating. */
    root?: FieldNode,
  ) {
    this.pos = start;
    this.end = Math.min(end, buf.length);
    if (annotate) {
      this.stack.push(root ?? { name: "root", start, end: this.end, display: "", children: [] });
    }
  }

  /** The node receiving fields at the current depth (undefined when not annotating). */
  get node(): FieldNode | undefined {
    const n = this.stack.length;
    return n === 0 ? undefined : this.stack[n - 1];
  }

  /** The root node (undefined when not annotating). */
  get root(): FieldNode | undefined {
    return this.stack.length === 0 ? undefined : this.stack[0];
  }

  remaining(): number {
    return this.end - this.pos;
  }

  /** Throw a DecodeError naming the field path being read. */
  fail(message: string, field?: string, offset = this.pos): never {
    const where = [...this.path, ...(field ? [field] : [])].join(".");
    throw new DecodeError(message, where, offset);
  }

  private need(n: number, field: string): void {
    if (n > this.end - this.pos) {
      this.fail(`${field}: needs ${n} byte${n === 1 ? "" : "s"}, only ${this.end - this.pos} left`, field);
    }
  }

  private add<T>(name: string, start: number, value: FieldValue, raw: T, opts?: ReadOptions<T>): FieldNode | undefined {
    const parent = this.node;
    if (!parent) return undefined;
    const d = opts?.display;
    const node: FieldNode = {
      name,
      start,
      end: this.pos,
      value,
      display: typeof d === "function" ? d(raw) : (d ?? (typeof value === "number" ? String(value) : String(value ?? ""))),
    };
    if (opts?.rfc) node.rfc = opts.rfc;
    if (opts?.note) node.note = opts.note;
    (parent.children ??= []).push(node);
    return node;
  }

  private uint(name: string, width: number, opts?: ReadOptions<number>): number {
    this.need(width, name);
    const b = this.buf;
    let v = 0;
    for (let i = 0; i < width; i++) v = v * 256 + b[this.pos + i];
    const start = this.pos;
    this.pos += width;
    if (this.annotate) this.add(name, start, v, v, opts);
    return v;
  }

  u8(name: string, opts?: ReadOptions<number>): number {
    return this.uint(name, 1, opts);
  }
  u16(name: string, opts?: ReadOptions<number>): number {
    return this.uint(name, 2, opts);
  }
  u24(name: string, opts?: ReadOptions<number>): number {
    return this.uint(name, 3, opts);
  }
  u32(name: string, opts?: ReadOptions<number>): number {
    return this.uint(name, 4, opts);
  }

  /** `n` opaque bytes (a view, not a copy). */
  bytes(name: string, n: number, opts?: ReadOptions<Uint8Array>): Uint8Array {
    this.need(n, name);
    const start = this.pos;
    const v = this.buf.subarray(start, start + n);
    this.pos += n;
    if (this.annotate) {
      // The hex is the value and, unless the caller says otherwise, the display: made once.
      const hex = toHex(v);
      this.add(name, start, hex, v, opts !== undefined && hasOwn.call(opts, "display") ? opts : { ...opts, display: n ? hex : "(empty)" });
    }
    return v;
  }

  /** All bytes up to the current bound. */
  rest(name: string, opts?: ReadOptions<Uint8Array>): Uint8Array {
    return this.bytes(name, this.end - this.pos, opts);
  }

  /** Skip `n` bytes without a node (the caller annotates them some other way). */
  skip(n: number, field: string): void {
    this.need(n, field);
    this.pos += n;
  }

  /**
   * A named group of fields: a node covering whatever `fn` reads. Its display can be set by `fn` via
   * `setDisplay` or computed after from the returned value.
   */
  group<T>(name: string, fn: () => T, opts?: ReadOptions<T>): T {
    if (!this.annotate) {
      this.path.push(name);
      const v = fn();
      this.path.pop();
      return v;
    }
    const node: FieldNode = { name, start: this.pos, end: this.pos, display: "", children: [] };
    if (opts?.rfc) node.rfc = opts.rfc;
    if (opts?.note) node.note = opts.note;
    this.node!.children!.push(node);
    this.stack.push(node);
    this.path.push(name);
    try {
      const v = fn();
      const d = opts?.display;
      if (d !== undefined && node.display === "") node.display = typeof d === "function" ? d(v) : d;
      return v;
    } catch (e) {
      if (e instanceof DecodeError && !node.error) node.error = e.message;
      throw e;
    } finally {
      node.end = Math.max(node.end, this.pos);
      this.stack.pop();
      this.path.pop();
    }
  }

  /** Set the display text of the innermost open group. */
  setDisplay(text: string | (() => string)): void {
    const n = this.node;
    if (n) n.display = typeof text === "function" ? text() : text;
  }

  /** Set the raw value of the innermost open group. */
  setValue(value: FieldValue): void {
    const n = this.node;
    if (n) n.value = value;
  }

  /**
   * A length-prefixed vector `name<min..max>` with a `lenWidth`-byte length. Inside `fn` the bound is the body,
   * and `fn` must consume it exactly. The node covers length and body; the length is a child named `length`.
   */
  vector<T>(name: string, lenWidth: 1 | 2 | 3 | 4, fn: (bodyEnd: number) => T, opts?: VectorOptions): T {
    if (!this.annotate) return this.vectorFast(name, lenWidth, fn, opts);
    const run = (): T => {
      const len = this.uint("length", lenWidth, { display: (v) => `${v} byte${v === 1 ? "" : "s"}` });
      if (opts?.min !== undefined && len < opts.min) this.fail(`${name}: length ${len} is below the minimum ${opts.min}`, name, this.pos - lenWidth);
      if (opts?.max !== undefined && len > opts.max) this.fail(`${name}: length ${len} exceeds the maximum ${opts.max}`, name, this.pos - lenWidth);
      if (len > this.end - this.pos) {
        this.fail(`${name}: length ${len} exceeds the ${this.end - this.pos} bytes left`, name, this.pos - lenWidth);
      }
      const outerEnd = this.end;
      const bodyEnd = this.pos + len;
      this.end = bodyEnd;
      try {
        const v = fn(bodyEnd);
        if (this.pos !== bodyEnd) this.fail(`${name}: ${bodyEnd - this.pos} unread byte(s) at the end`, name);
        return v;
      } finally {
        this.end = outerEnd;
      }
    };
    return this.group(name, run, opts as ReadOptions<T>);
  }

  /** A length-prefixed opaque vector: returns its body (a view). */
  opaque(name: string, lenWidth: 1 | 2 | 3 | 4, opts?: VectorOptions): Uint8Array {
    if (!this.annotate) {
      this.path.push(name);
      try {
        const len = this.readLength(name, lenWidth, opts);
        const start = this.pos;
        this.pos += len;
        return this.buf.subarray(start, start + len);
      } finally {
        this.path.pop();
      }
    }
    let body: Uint8Array = new Uint8Array(0);
    let hex = "";
    const display = opts?.display;
    this.vector(
      name,
      lenWidth,
      () => {
        body = this.bytes("data", this.end - this.pos);
        // The data node's value is the body's hex: the vector's display, unless the caller gives one.
        const kids = this.node!.children!;
        hex = kids[kids.length - 1].value as string;
        return body;
      },
      { ...opts, display: display ?? ((b: Uint8Array) => (b.length ? hex : "(empty)")) },
    );
    return body;
  }

  /**
   * A length-prefixed list: `item` is called until the body is consumed. Each item must consume at least one
   * byte, so the loop is bounded by the body's length.
   */
  list<T>(name: string, lenWidth: 1 | 2 | 3, item: (index: number) => T, opts?: VectorOptions): T[] {
    return this.vector(
      name,
      lenWidth,
      (bodyEnd) => {
        const out: T[] = [];
        while (this.pos < bodyEnd) {
          const before = this.pos;
          out.push(item(out.length));
          if (this.pos === before) this.fail(`${name}: item ${out.length - 1} consumed no bytes`, name);
        }
        return out;
      },
      opts as VectorOptions,
    ) as T[];
  }

  /**
   * Read and check a vector's length prefix without a node: the fast path shared by `vector` and `opaque`.
   * Called with `name` already on the path, it fails with exactly the messages the annotating path gives.
   */
  private readLength(name: string, lenWidth: number, opts?: VectorOptions): number {
    if (lenWidth > this.end - this.pos) {
      this.fail(`length: needs ${lenWidth} byte${lenWidth === 1 ? "" : "s"}, only ${this.end - this.pos} left`, "length");
    }
    const b = this.buf;
    let len = 0;
    for (let i = 0; i < lenWidth; i++) len = len * 256 + b[this.pos + i];
    this.pos += lenWidth;
    if (opts?.min !== undefined && len < opts.min) this.fail(`${name}: length ${len} is below the minimum ${opts.min}`, name, this.pos - lenWidth);
    if (opts?.max !== undefined && len > opts.max) this.fail(`${name}: length ${len} exceeds the maximum ${opts.max}`, name, this.pos - lenWidth);
    if (len > this.end - this.pos) this.fail(`${name}: length ${len} exceeds the ${this.end - this.pos} bytes left`, name, this.pos - lenWidth);
    return len;
  }

  /** `vector` without annotation: no closures, no nodes. */
  private vectorFast<T>(name: string, lenWidth: number, fn: (bodyEnd: number) => T, opts?: VectorOptions): T {
    this.path.push(name);
    const outerEnd = this.end;
    try {
      const len = this.readLength(name, lenWidth, opts);
      const bodyEnd = this.pos + len;
      this.end = bodyEnd;
      const v = fn(bodyEnd);
      if (this.pos !== bodyEnd) this.fail(`${name}: ${bodyEnd - this.pos} unread byte(s) at the end`, name);
      return v;
    } finally {
      this.path.pop();
      this.end = outerEnd;
    }
  }

  /** Require that everything up to the bound was read. */
  expectEnd(what: string): void {
    if (this.pos !== this.end) this.fail(`${what}: ${this.end - this.pos} unexpected trailing byte(s)`, what);
  }
}
