/**
 * Where every printed byte of a transcript belongs: a record header byte (RFC 8446 §5.1 TLSPlaintext header), or
 * byte k of handshake message m — so a hover can name the innermost field and a code lens can sit on a message's
 * first line. Pure (no vscode): the text is parsed with the transcript readers and inspected with the same core
 * the CLI uses; printed handshake messages are tied to the inspected ones by their bytes.
 */
import type { Transcript, TranscriptKind } from "../capture/transcript";
import { core } from "./lazyCore";
import type { CaptureModel, ConnectionModel, MessageInfo } from "../model";

/** A handshake message as printed in the text. */
export interface PrintedMessage {
  dir: "c2s" | "s2c";
  /** Index into connection 0's messages, or -1 when no inspected message has these bytes. */
  model: number;
  type: number;
  /** Bytes printed (header included). */
  bytes: Uint8Array;
  /** Where byte 0 is written. */
  line: number;
  column: number;
}

/** What one printed byte is. */
export type ByteRole =
  | { kind: "header"; block: number; index: number; header?: Uint8Array }
  | { kind: "message"; message: number; offset: number }
  | { kind: "fragment"; contentType: number; isProtected: boolean }
  | { kind: "none" };

export interface TranscriptIndex {
  kind: TranscriptKind;
  transcript: Transcript;
  model: CaptureModel;
  printed: PrintedMessage[];
  /** Per block, per byte: encoded roles (see roleAt). */
  roles: Int32Array[];
  /** Per block, per byte: offset within the message (message bytes), or header byte index. */
  offsets: Int32Array[];
}

// Role encoding in `roles`: >= 0 message index into `printed`; -1 nothing; -2 record header; -(10 + type) a
// fragment byte of a record of that content type (plus 1000 when protected).
const NONE = -1;
const HEADER = -2;

interface DirState {
  /** Record header bytes collected so far and where they are. */
  header: number[];
  remaining: number;
  type: number;
  /** A ChangeCipherSpec went this way: later handshake records are encrypted (RFC 5246 §7.1). */
  protected: boolean;
  /** Plaintext handshake bytes of this direction, with their positions (block, index). */
  stream: number[];
  where: number[];
}

const newDir = (): DirState => ({ header: [], remaining: 0, type: 0, protected: false, stream: [], where: [] });

/** Largest transcript analysed (hovers and lenses on bigger texts are skipped: bounded memory). */
export const MAX_TRANSCRIPT_CHARS = 16 * 1024 * 1024;

export function parseAnyTranscript(text: string): Transcript | undefined {
  const { detectTranscriptKind, parseOpensslMsg, parseTranscript } = core();
  const kind = detectTranscriptKind(text);
  if (kind === "tlstrace") return parseTranscript(text);
  if (kind === "openssl-msg") return parseOpensslMsg(text);
  return undefined;
}

export function indexTranscript(text: string, name: string): TranscriptIndex | undefined {
  if (text.length > MAX_TRANSCRIPT_CHARS) return undefined;
  const transcript = parseAnyTranscript(text);
  if (!transcript) return undefined;
  let model: CaptureModel;
  try {
    model = core().inspectBytes(new TextEncoder().encode(text), name, { detail: "full" });
  } catch (e) {
    model = {
      schema: 1,
      input: { path: name, format: transcript.kind === "tlstrace" ? "transcript" : "openssl-msg", packets: transcript.blocks.length },
      connections: [],
      errors: [{ message: e instanceof Error ? e.message : String(e) }],
    };
  }
  // The registry's constants come with the core (this module is part of the activation script).
  const { ContentType } = core();
  const dirs = [newDir(), newDir()];
  const roles = transcript.blocks.map((b) => new Int32Array(b.bytes.length).fill(NONE));
  const offsets = transcript.blocks.map((b) => new Int32Array(b.bytes.length).fill(-1));

  transcript.blocks.forEach((b, bi) => {
    const d = dirs[b.dir];
    const push = (i: number) => {
      d.stream.push(b.bytes[i]);
      d.where.push(bi, i);
    };
    if (b.kind === "handshake" || (b.kind === "decrypted" && (b.innerType ?? b.record?.type) === ContentType.handshake)) {
      for (let i = 0; i < b.bytes.length; i++) push(i);
      return;
    }
    if (b.kind === "decrypted") {
      for (let i = 0; i < b.bytes.length; i++) roles[bi][i] = -(10 + (b.innerType ?? ContentType.application_data));
      return;
    }
    // "record" and "header-only": wire records. OpenSSL prints each record whole in its block; a .tlstrace block
    // may hold pieces of records, so the record state carries over from block to block there.
    if (transcript.kind === "openssl-msg") {
      d.header = [];
      d.remaining = 0;
    }
    for (let i = 0; i < b.bytes.length; i++) {
      if (d.remaining === 0) {
        roles[bi][i] = HEADER;
        offsets[bi][i] = d.header.length;
        d.header.push(b.bytes[i]);
        if (d.header.length === 5) {
          d.type = d.header[0];
          d.remaining = (d.header[3] << 8) | d.header[4];
          d.header = [];
          if (d.type === ContentType.change_cipher_spec) d.protected = true;
        }
        continue;
      }
      d.remaining--;
      if (d.type === ContentType.handshake && !d.protected) push(i);
      else roles[bi][i] = -(10 + d.type + (d.protected ? 1000 : 0));
    }
  });

  const conn: ConnectionModel | undefined = model.connections[0];
  const used = new Set<number>();
  const printed: PrintedMessage[] = [];
  for (const dirIndex of [0, 1] as const) {
    const d = dirs[dirIndex];
    const dir = dirIndex === 0 ? "c2s" : "s2c";
    // Handshake messages follow each other in the stream (RFC 8446 §4: msg_type, uint24 length, body).
    for (let o = 0; o + 4 <= d.stream.length;) {
      const len = (d.stream[o + 1] << 16) | (d.stream[o + 2] << 8) | d.stream[o + 3];
      const end = Math.min(d.stream.length, o + 4 + len);
      const bytes = Uint8Array.from(d.stream.slice(o, end));
      const mi = conn ? matchMessage(conn.messages, dir, bytes, used) : -1;
      if (mi >= 0) used.add(mi);
      const pi = printed.length;
      const [b0, i0] = [d.where[2 * o], d.where[2 * o + 1]];
      const first = transcript.blocks[b0];
      printed.push({ dir, model: mi, type: bytes[0], bytes, line: first.byteRanges.line[i0], column: first.byteRanges.column[i0] });
      for (let k = o; k < end; k++) {
        roles[d.where[2 * k]][d.where[2 * k + 1]] = pi;
        offsets[d.where[2 * k]][d.where[2 * k + 1]] = k - o;
      }
      o = end;
    }
  }
  return { kind: transcript.kind, transcript, model, printed, roles, offsets };
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The first unused inspected message of this direction with exactly these bytes (else same type and length). */
function matchMessage(messages: MessageInfo[], dir: string, bytes: Uint8Array, used: Set<number>): number {
  for (let i = 0; i < messages.length; i++) if (!used.has(i) && messages[i].dir === dir && sameBytes(messages[i].raw, bytes)) return i;
  for (let i = 0; i < messages.length; i++)
    if (!used.has(i) && messages[i].dir === dir && messages[i].type === bytes[0] && messages[i].length + 4 === bytes.length) return i;
  return -1;
}

/** The byte written at (line, column), as block + index. */
export function byteAt(ix: TranscriptIndex, line: number, column: number): { block: number; index: number } | undefined {
  const blocks = ix.transcript.blocks;
  // Blocks are in order of their first line; a few may overlap (openssl-msg prints content after headers).
  let lo = 0;
  let hi = blocks.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[mid].line <= line) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let bi = last, steps = 0; bi >= 0 && steps < 64; bi--, steps++) {
    const b = blocks[bi];
    if (line < b.line || line > b.endLine) continue;
    const r = b.byteRanges;
    for (let i = 0; i < r.line.length; i++) {
      if (r.line[i] === line && column >= r.column[i] && column < r.column[i] + 2) return { block: bi, index: i };
    }
  }
  return undefined;
}

export function roleAt(ix: TranscriptIndex, block: number, index: number): ByteRole {
  const role = ix.roles[block]?.[index];
  if (role === undefined || role === NONE) return { kind: "none" };
  if (role >= 0) return { kind: "message", message: role, offset: ix.offsets[block][index] };
  if (role === HEADER) {
    const k = ix.offsets[block][index];
    const start = index - k;
    const b = ix.transcript.blocks[block].bytes;
    return { kind: "header", block, index: k, header: start >= 0 && start + 5 <= b.length ? b.subarray(start, start + 5) : undefined };
  }
  const code = -role - 10;
  return { kind: "fragment", contentType: code % 1000, isProtected: code >= 1000 };
}
