/**
 * The model shared by the two transcript readers (the project's `.tlstrace` format and OpenSSL `s_client -msg`
 * output): blocks of bytes per direction, each pointing back at the text it came from, plus located diagnostics.
 * Lines and columns are 0-based, columns in UTF-16 code units (what editors and JavaScript strings use).
 */
import type { TcpDir, TcpEndpoint } from "./types";

export type TranscriptKind = "tlstrace" | "openssl-msg";

export interface TranscriptDiagnostic {
  line: number;
  column: number;
  /** Exclusive. */
  endColumn: number;
  message: string;
  severity: "error" | "warning";
}

/**
 * Where each byte of a block is written: `line[i]`/`column[i]` locate the first hex digit of byte i. Two parallel
 * arrays (8 bytes per byte, the text itself spends at least 2 characters per byte) instead of one object per byte.
 */
export interface ByteRanges {
  line: Uint32Array;
  column: Uint32Array;
}

/** The 5-byte TLS record header (RFC 8446 §5.1) of a record, as it was on the wire. */
export interface RecordHeaderInfo {
  type: number;
  version: number;
  length: number;
}

/**
 * - `record`: bytes exactly as on the wire (one or more whole records, or pieces of them).
 * - `handshake`: bare handshake message bytes; the reader wraps them in plaintext handshake records.
 * - `decrypted` (openssl-msg): the plaintext content of a protected record, whose ciphertext the text does not
 *   hold; `record` is the outer header as sent, `innerType` the real content type.
 * - `header-only` (openssl-msg): a record whose header was printed but whose content was not (application data);
 *   `bytes` is the 5-byte header.
 */
export type TranscriptBlockKind = "record" | "handshake" | "decrypted" | "header-only";

export interface TranscriptBlock {
  /** 0 = client → server, 1 = server → client. */
  dir: TcpDir;
  kind: TranscriptBlockKind;
  /** First line of the block (0-based). */
  line: number;
  /** Last line holding a byte (or the keyword) of the block. */
  endLine: number;
  bytes: Uint8Array;
  byteRanges: ByteRanges;
  /** openssl-msg: the record header as printed (for `decrypted`: the outer header of the protected record). */
  record?: RecordHeaderInfo;
  /** openssl-msg `decrypted` / `header-only`: the real content type, when known (TLS 1.3 InnerContent). */
  innerType?: number;
  /** openssl-msg: the details OpenSSL printed for the record's content, e.g. ["ClientHello"], ["warning close_notify"]. */
  labels?: string[];
}

export interface Transcript {
  kind: TranscriptKind;
  /** `.tlstrace` format version (1); 0 for openssl-msg. */
  version: number;
  client?: TcpEndpoint;
  server?: TcpEndpoint;
  /** The transcript's key-log lines joined as NSS key log text ("" when none). */
  keylog: string;
  /** Informative lines (`sni`, `alpn`, `title`, `source`), keyword → value. */
  meta: Record<string, string>;
  /** In order; block i is frame i + 1. */
  blocks: TranscriptBlock[];
  diagnostics: TranscriptDiagnostic[];
}

/** Diagnostics kept per transcript; past it one last diagnostic says the rest were dropped (bounded output). */
export const MAX_DIAGNOSTICS = 1000;

export class DiagnosticList {
  readonly items: TranscriptDiagnostic[] = [];
  private dropped = false;

  add(severity: "error" | "warning", line: number, column: number, endColumn: number, message: string): void {
    if (this.items.length < MAX_DIAGNOSTICS) {
      this.items.push({ line, column, endColumn: Math.max(endColumn, column + 1), message, severity });
    } else if (!this.dropped) {
      this.dropped = true;
      this.items.push({ line, column: 0, endColumn: 1, message: `more than ${MAX_DIAGNOSTICS} problems: the rest are not listed`, severity: "error" });
    }
  }

  error(line: number, column: number, endColumn: number, message: string): void {
    this.add("error", line, column, endColumn, message);
  }

  warning(line: number, column: number, endColumn: number, message: string): void {
    this.add("warning", line, column, endColumn, message);
  }
}

/**
 * Bytes of one block with the position of each, grown by doubling. Never larger than twice what the text holds.
 */
const EMPTY8 = new Uint8Array(0);
const EMPTY32 = new Uint32Array(0);

export class ByteCollector {
  // Allocated on the first byte: many collectors (one per printed message) stay small or empty.
  private bytes = EMPTY8;
  private lines = EMPTY32;
  private cols = EMPTY32;
  length = 0;

  push(b: number, line: number, column: number): void {
    if (this.length === this.bytes.length) {
      const n = Math.max(16, this.length * 2);
      const grow = <T extends Uint8Array | Uint32Array>(a: T, make: (n: number) => T): T => {
        const x = make(n);
        x.set(a);
        return x;
      };
      this.bytes = grow(this.bytes, (k) => new Uint8Array(k));
      this.lines = grow(this.lines, (k) => new Uint32Array(k));
      this.cols = grow(this.cols, (k) => new Uint32Array(k));
    }
    this.bytes[this.length] = b;
    this.lines[this.length] = line;
    this.cols[this.length] = column;
    this.length++;
  }

  append(bytes: Uint8Array, ranges: ByteRanges): void {
    for (let i = 0; i < bytes.length; i++) this.push(bytes[i], ranges.line[i], ranges.column[i]);
  }

  /** Copies out the collected bytes and positions (exact size). */
  take(): { bytes: Uint8Array; byteRanges: ByteRanges } {
    return {
      bytes: this.bytes.slice(0, this.length),
      byteRanges: { line: this.lines.slice(0, this.length), column: this.cols.slice(0, this.length) },
    };
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20; // ASCII lower-case
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13 || c === 0xa0 || c === 0xfeff;
}

/**
 * Reads whitespace-separated hex words from `text[from, to)` of line `line` (starting at offset `lineStart`) into `out`. A word is an even number
 * of hex digits (either case), e.g. `16`, `160301` or `1603 0100`. Bad words are reported with their exact
 * columns and skipped whole: a typo is never silently turned into a different byte. Returns the bytes added.
 */
export function scanHexWords(text: string, from: number, to: number, line: number, lineStart: number, out: ByteCollector, diags: DiagnosticList): number {
  const before = out.length;
  forEachWord(text, from, to, (start, end) => {
    let bad = -1;
    for (let k = start; k < end; k++) {
      if (hexValue(text.charCodeAt(k)) < 0) {
        bad = k;
        break;
      }
    }
    if (bad >= 0) {
      const word = text.slice(start, end);
      if (/^0x/i.test(word)) {
        diags.error(line, start - lineStart, end - lineStart, `'${clip(word)}': no '0x' prefixes — write bytes as bare hex digits (e.g. 16 03 01)`);
      } else {
        // Report the first offending character precisely; the whole word is skipped.
        const ch = String.fromCodePoint(text.codePointAt(bad)!);
        diags.error(line, bad - lineStart, bad - lineStart + ch.length, `'${ch}' is not a hex digit (in '${clip(word)}'); the word is skipped`);
      }
      return;
    }
    if ((end - start) % 2 !== 0) {
      diags.error(
        line,
        start - lineStart,
        end - lineStart,
        `odd number of hex digits (${end - start}) in '${clip(text.slice(start, end))}': each byte needs two digits; the word is skipped`,
      );
      return;
    }
    for (let k = start; k < end; k += 2) {
      out.push((hexValue(text.charCodeAt(k)) << 4) | hexValue(text.charCodeAt(k + 1)), line, k - lineStart);
    }
  });
  return out.length - before;
}

/** Calls `fn(start, end)` for each whitespace-separated word of `text[from, to)`, in order. */
export function forEachWord(text: string, from: number, to: number, fn: (start: number, end: number) => void): void {
  let i = from;
  while (i < to) {
    while (i < to && isSpace(text.charCodeAt(i))) i++;
    if (i >= to) break;
    const start = i;
    while (i < to && !isSpace(text.charCodeAt(i))) i++;
    fn(start, i);
  }
}

/** Whether `text[from, to)` holds only whitespace and hex digits (and at least one digit). */
export function isHexOnly(text: string, from: number, to: number): boolean {
  let digits = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (isSpace(c)) continue;
    if (hexValue(c) < 0) return false;
    digits++;
  }
  return digits > 0;
}

/** Keeps quoted input short in messages. */
export function clip(s: string, max = 24): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * Splits text into lines without copying it: returns the start offset of each line and its end (before "\r\n" or
 * "\n"). A leading byte-order mark is skipped (column 0 is then the first character after it).
 */
export function lineBounds(text: string): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Each iteration consumes at least one character or ends, so the loop is bounded by the text length.
  for (;;) {
    const nl = text.indexOf("\n", pos);
    const end = nl < 0 ? text.length : nl;
    starts.push(pos);
    ends.push(end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    if (nl < 0) break;
    pos = nl + 1;
  }
  return { starts, ends };
}

/** The frame (1-based block number) covering a 0-based line, or 0 when no block covers it. */
export function frameAtLine(t: Transcript, line: number): number {
  // Blocks are in order of their first line in both formats: binary search the last block starting at or before.
  let lo = 0;
  let hi = t.blocks.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t.blocks[mid].line <= line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // An openssl-msg record's content may be printed after a later record's header: look back a little.
  for (let i = found, steps = 0; i >= 0 && steps < 64; i--, steps++) {
    const b = t.blocks[i];
    if (b.line <= line && line <= b.endLine) return i + 1;
  }
  return 0;
}

/** The first line of a frame's block (frame = 1-based block number), or -1. */
export function lineOfFrame(t: Transcript, frame: number): number {
  const b = t.blocks[frame - 1];
  return b ? b.line : -1;
}

/** The block → first line map, as one array (index = frame - 1). */
export function blockLines(t: Transcript): Uint32Array {
  return Uint32Array.from(t.blocks, (b) => b.line);
}

/** Where byte `index` of frame `frame` is written, for hovers and "reveal" links. */
export function bytePosition(t: Transcript, frame: number, index: number): { line: number; column: number } | undefined {
  const b = t.blocks[frame - 1];
  if (!b || index < 0 || index >= b.byteRanges.line.length) return undefined;
  return { line: b.byteRanges.line[index], column: b.byteRanges.column[index] };
}

export type { TcpDir, TcpEndpoint };
