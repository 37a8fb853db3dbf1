/**
 * JSON text written straight into a byte buffer: `inspect --json/--summary` of a large capture writes tens of
 * megabytes of it, and building strings first (concatenated, joined, then UTF-8 encoded) cost as much as decoding
 * the handshakes (measured: half a second of a 1 GB capture's summary). Strings that are plain printable ASCII —
 * addresses, names, nearly every value — are copied character by character; anything else goes through
 * JSON.stringify and UTF-8, so the text is exactly what JSON.stringify would give.
 */

/** Writes bytes into a buffer, handing it to `sink` when full (the sink consumes the view before returning). */
export class JsonByteWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(
    private readonly sink: (bytes: Uint8Array) => void,
    private readonly size = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Room for `n` more bytes. */
  private room(n: number): void {
    if (this.buf.length - this.pos >= n) return;
    this.flush();
    if (this.buf.length < n) this.buf = Buffer.allocUnsafe(n);
  }

  /** Hand what is buffered to the sink. */
  flush(): void {
    if (this.pos === 0) return;
    this.sink(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }

  /** Text known to be ASCII (the document's own punctuation and key names). */
  ascii(s: string): void {
    this.room(s.length);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Bytes already encoded (pre-encoded JSON pieces). */
  bytes(v: Uint8Array): void {
    const n = v.length;
    this.room(n);
    if (n > 32) {
      this.buf.set(v, this.pos);
      this.pos += n;
      return;
    }
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = v[i];
    this.pos = p;
  }

  /** Any text, UTF-8 encoded (already-serialised JSON, for instance). */
  text(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  /** Any text as UTF-8, like `text`, with plain ASCII (nearly all of it) copied without a call into the encoder. */
  utf8(s: string): void {
    const n = s.length;
    this.room(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      // Beyond ASCII: the encoder writes the whole string over what was copied (pos has not moved).
      if (c > 0x7f) return this.text(s);
      b[p++] = c;
    }
    this.pos = p;
  }

  /** A number as JSON.stringify writes it (integers digit by digit). */
  number(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) return this.ascii(JSON.stringify(v));
    this.room(10);
    const b = this.buf;
    if (v < 10) {
      b[this.pos++] = 48 + v;
      return;
    }
    let digits = 1;
    for (let x = v; x >= 10; digits++) x = v < 0x80000000 ? (x / 10) | 0 : Math.floor(x / 10);
    let p = this.pos + digits;
    this.pos = p;
    if (v < 0x80000000) {
      for (let x = v; x > 0; x = (x / 10) | 0) b[--p] = 48 + (x % 10);
    } else {
      for (let x = v; x > 0; x = Math.floor(x / 10)) b[--p] = 48 + (x % 10);
    }
  }

  /** A number or null. */
  numberOrNull(v: number | null): void {
    if (v === null) this.ascii("null");
    else this.number(v);
  }

  /** A JSON string (or null), escaped as JSON.stringify escapes it. */
  string(s: string | null): void {
    if (s === null) return this.ascii("null");
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      // Control characters, quote, backslash and everything beyond ASCII take JSON.stringify's path.
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return this.text(JSON.stringify(s));
    }
    this.room(n + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 0x22;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    b[p++] = 0x22;
    this.pos = p;
  }

  /** A boolean. */
  boolean(v: boolean): void {
    this.ascii(v ? "true" : "false");
  }
}
