/**
 * Reader of the project's `.tlstrace` transcript format (docs/transcript-format.md): line-based text holding the
 * bytes of one TLS connection. Never throws; every problem becomes a located diagnostic, and parsing goes on so an
 * editor can show all of them at once. Work and memory are linear in the text's length.
 */
import { isPlausibleRecordHeader, MAX_RECORD_LENGTH, RECORD_HEADER_LENGTH } from "../tls/record";
import { formatEndpoint, parseEndpoint } from "./transcriptEndpoint";
import {
  ByteCollector,
  clip,
  DiagnosticList,
  forEachWord,
  isHexOnly,
  isSpace,
  lineBounds,
  scanHexWords,
  type Transcript,
  type TranscriptBlock,
  type TranscriptBlockKind,
} from "./transcriptTypes";
import type { TcpDir, TcpEndpoint } from "./types";

export const TRANSCRIPT_HEADER = "tls-transcript";
export const TRANSCRIPT_VERSION = 1;

/** Informative keywords: kept in `meta`, shown by the views, not needed to decode the bytes. */
export const META_KEYWORDS = ["sni", "alpn", "title", "source"] as const;
const KEYWORDS = new Set<string>([TRANSCRIPT_HEADER, "client", "server", "keylog", ...META_KEYWORDS]);

interface OpenBlock {
  dir: TcpDir;
  kind: TranscriptBlockKind;
  line: number;
  endLine: number;
  bytes: ByteCollector;
}

export function parseTranscript(text: string): Transcript {
  const diags = new DiagnosticList();
  const blocks: TranscriptBlock[] = [];
  const meta: Record<string, string> = {};
  const keylogLines: string[] = [];
  let client: TcpEndpoint | undefined;
  let server: TcpEndpoint | undefined;
  let version = TRANSCRIPT_VERSION;
  let sawFirstLine = false;
  let firstLine = -1;
  let open: OpenBlock | null = null;
  /** After a line we could not understand: its indented continuation lines are skipped without more errors. */
  let skipping = false;

  const finish = () => {
    if (!open) return;
    const { bytes, byteRanges } = open.bytes.take();
    if (bytes.length === 0) diags.warning(open.line, 0, 1, "record line without bytes");
    blocks.push({ dir: open.dir, kind: open.kind, line: open.line, endLine: open.endLine, bytes, byteRanges });
    open = null;
  };

  const { starts, ends } = lineBounds(text);
  let nextHash = -1;
  for (let ln = 0; ln < starts.length; ln++) {
    const s = starts[ln];
    const e = ends[ln];
    // '#' starts a comment anywhere: hex, keywords and values never contain one. The next '#' of the text is
    // looked up again only once passed, so comment search is linear in the text overall.
    if (nextHash < s) {
      nextHash = text.indexOf("#", s);
      if (nextHash < 0) nextHash = text.length;
    }
    const end = nextHash < e ? nextHash : e;
    let p = s;
    while (p < end && isSpace(text.charCodeAt(p))) p++;
    if (p === end) continue; // blank or comment-only: transparent, does not end a record
    const indented = p > s;
    let tokEnd = p;
    while (tokEnd < end && !isSpace(text.charCodeAt(tokEnd))) tokEnd++;
    const tok = text.slice(p, tokEnd);
    const col = (offset: number) => offset - s;

    if (!sawFirstLine) {
      sawFirstLine = true;
      firstLine = ln;
      if (tok.toLowerCase() !== TRANSCRIPT_HEADER) {
        diags.error(ln, col(p), col(tokEnd), `a transcript starts with the line '${TRANSCRIPT_HEADER} ${TRANSCRIPT_VERSION}'`);
      }
    }

    const c0 = tok.charCodeAt(0);
    if (c0 === 62 /* > */ || c0 === 60 /* < */) {
      finish();
      skipping = false;
      // `>` alone, or glued to its first hex word (`>16030100f4`).
      if (tok.length > 1 && !isHexOnly(tok, 1, tok.length)) {
        diags.error(ln, col(p), col(tokEnd), `unknown direction '${clip(tok)}': use '>' (client → server) or '<' (server → client)`);
        skipping = true;
        continue;
      }
      let hexFrom = p + 1;
      let kind: TranscriptBlockKind = "record";
      let q = hexFrom;
      while (q < end && isSpace(text.charCodeAt(q))) q++;
      let qEnd = q;
      while (qEnd < end && !isSpace(text.charCodeAt(qEnd))) qEnd++;
      const word = text.slice(q, qEnd);
      if (word.toLowerCase() === "handshake") {
        kind = "handshake";
        hexFrom = qEnd;
      }
      open = { dir: c0 === 62 ? 0 : 1, kind, line: ln, endLine: ln, bytes: new ByteCollector() };
      scanHexWords(text, hexFrom, end, ln, s, open.bytes, diags);
      continue;
    }

    const kw = tok.toLowerCase();
    if (KEYWORDS.has(kw)) {
      finish();
      skipping = false;
      const args = words(text, tokEnd, end);
      const where = (i: number) => [ln, col(args[i].start), col(args[i].end)] as const;
      const wholeLine = [ln, col(p), col(end)] as const;
      const restValue = args.length ? text.slice(args[0].start, args[args.length - 1].end) : "";
      switch (kw) {
        case TRANSCRIPT_HEADER: {
          if (ln !== firstLine) {
            diags.error(...wholeLine, `'${TRANSCRIPT_HEADER}' belongs on the first line only`);
          } else if (args.length !== 1 || !/^\d{1,6}$/.test(args[0].text)) {
            diags.error(...wholeLine, `the header is '${TRANSCRIPT_HEADER} ${TRANSCRIPT_VERSION}'`);
          } else if (Number(args[0].text) !== TRANSCRIPT_VERSION) {
            version = Number(args[0].text);
            diags.error(...where(0), `unsupported transcript version ${version}: this reader knows version ${TRANSCRIPT_VERSION}`);
          }
          break;
        }
        case "client":
        case "server": {
          if (args.length !== 1) {
            diags.error(...wholeLine, `'${kw}' takes one endpoint, e.g. ${kw} ${kw === "client" ? "127.0.0.1:51234" : "[::1]:443"}`);
            break;
          }
          const ep = parseEndpoint(args[0].text);
          if (typeof ep === "string") {
            diags.error(...where(0), ep);
            break;
          }
          const prev = kw === "client" ? client : server;
          if (prev) diags.warning(...wholeLine, `'${kw}' given again (was ${formatEndpoint(prev)}); the last one counts`);
          if (kw === "client") client = ep;
          else server = ep;
          break;
        }
        case "keylog": {
          const err = checkKeyLogLine(args);
          if (err) {
            diags.error(
              ln,
              err.index < args.length ? col(args[err.index].start) : col(p),
              err.index < args.length ? col(args[err.index].end) : col(end),
              err.message,
            );
          } else {
            keylogLines.push(args.map((a) => a.text).join(" "));
          }
          break;
        }
        default: {
          if (!restValue) {
            diags.warning(...wholeLine, `'${kw}' without a value`);
            break;
          }
          if (kw in meta) diags.warning(...wholeLine, `'${kw}' given again; the last one counts`);
          meta[kw] = restValue;
        }
      }
      continue;
    }

    const hexOnly = isHexOnly(text, p, end);
    if ((open || skipping) && (indented || hexOnly)) {
      if (!open) continue; // continuation of a line already reported
      if (!indented) diags.warning(ln, col(p), col(tokEnd), "continuation lines are indented; taken as part of the record above");
      scanHexWords(text, p, end, ln, s, open.bytes, diags);
      open.endLine = ln;
      continue;
    }
    finish();
    if (indented || hexOnly) {
      diags.error(
        ln,
        col(p),
        col(end),
        hexOnly ? "bytes outside a record: start a record with '>' (client → server) or '<' (server → client)" : "indented line outside a record",
      );
      skipping = true;
      continue;
    }
    if (/[<>]/.test(tok)) {
      diags.error(ln, col(p), col(tokEnd), `unknown direction '${clip(tok)}': use '>' (client → server) or '<' (server → client)`);
    } else {
      diags.warning(ln, col(p), col(tokEnd), `unknown keyword '${clip(tok)}': line ignored`);
    }
    skipping = true;
  }
  finish();
  if (!sawFirstLine) diags.error(0, 0, 1, `empty transcript: expected '${TRANSCRIPT_HEADER} ${TRANSCRIPT_VERSION}'`);

  checkFraming(blocks, diags);
  return {
    kind: "tlstrace",
    version,
    client,
    server,
    keylog: keylogLines.length ? keylogLines.join("\n") + "\n" : "",
    meta,
    blocks,
    diagnostics: diags.items,
  };
}

interface Word {
  text: string;
  start: number;
  end: number;
}

function words(text: string, from: number, to: number): Word[] {
  const out: Word[] = [];
  forEachWord(text, from, to, (start, end) => out.push({ text: text.slice(start, end), start, end }));
  return out;
}

/**
 * NSS key log line (the SSLKEYLOGFILE format): `<LABEL> <client_random hex> <secret hex>`. The client random is
 * 32 bytes (RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2); for RSA lines it is the first 8 bytes of the encrypted
 * premaster secret instead, so only evenness of the hex is required there.
 */
function checkKeyLogLine(args: Word[]): { index: number; message: string } | null {
  if (args.length !== 3) {
    return { index: args.length > 3 ? 3 : args.length, message: "a keylog line is 'keylog LABEL <client random hex> <secret hex>'" };
  }
  if (!/^[A-Za-z0-9_]+$/.test(args[0].text)) return { index: 0, message: `'${clip(args[0].text)}' is not a key log label` };
  for (const i of [1, 2]) {
    if (!/^([0-9a-fA-F]{2})+$/.test(args[i].text)) return { index: i, message: `'${clip(args[i].text)}' is not hex bytes` };
  }
  if (args[0].text !== "RSA" && args[1].text.length !== 64) {
    return { index: 1, message: `the client random is 32 bytes (64 hex digits), found ${args[1].text.length} digits` };
  }
  return null;
}

/**
 * Warnings for bytes that do not frame as TLS records (RFC 8446 §5.1): a header with an impossible content type
 * or version, a length above the largest any record may claim, or a direction ending inside a record. Records may
 * span blocks (a transcript converted from TCP segments), so framing runs over each direction's stream of blocks.
 */
function checkFraming(blocks: TranscriptBlock[], diags: DiagnosticList): void {
  interface Dir {
    dead: boolean;
    header: number[];
    headerAt: { block: TranscriptBlock; index: number } | null;
    bodyLeft: number;
    recordLength: number;
  }
  const fresh = (): Dir => ({ dead: false, header: [], headerAt: null, bodyLeft: 0, recordLength: 0 });
  const dirs: [Dir, Dir] = [fresh(), fresh()];
  const at = (b: TranscriptBlock, i: number) => [b.byteRanges.line[i], b.byteRanges.column[i]] as const;

  for (const b of blocks) {
    const d = dirs[b.dir];
    if (d.dead) continue;
    if (b.kind === "handshake") {
      if (d.header.length || d.bodyLeft) {
        diags.warning(b.line, 0, 1, "handshake block inside an unfinished record of this direction");
        d.dead = true;
        continue;
      }
      checkHandshakeFraming(b, diags);
      continue;
    }
    if (b.kind !== "record") continue;
    let i = 0;
    const n = b.bytes.length;
    while (i < n) {
      if (d.bodyLeft > 0) {
        const k = Math.min(d.bodyLeft, n - i);
        d.bodyLeft -= k;
        i += k;
        continue;
      }
      if (d.header.length === 0) d.headerAt = { block: b, index: i };
      d.header.push(b.bytes[i++]);
      if (d.header.length < RECORD_HEADER_LENGTH) continue;
      const [type, major, minor, hi, lo] = d.header;
      const length = (hi << 8) | lo;
      const h = d.headerAt!;
      d.header = [];
      if (!isPlausibleRecordHeader(type, major, minor)) {
        const [l, c] = at(h.block, h.index);
        diags.warning(l, c, c + 2, `not a TLS record header (content type ${type}, version ${major}.${minor}): record framing stops here for this direction`);
        d.dead = true;
        break;
      }
      if (length > MAX_RECORD_LENGTH) {
        const [l, c] = h.index + 3 < h.block.bytes.length ? at(h.block, h.index + 3) : at(h.block, h.index);
        diags.warning(l, c, c + 2, `record length ${length} exceeds the largest a record may claim (${MAX_RECORD_LENGTH}, RFC 5246 §6.2.3)`);
      }
      d.bodyLeft = length;
      d.recordLength = length;
    }
  }
  for (const d of dirs) {
    if (d.dead || !d.headerAt) continue;
    if (d.header.length || d.bodyLeft) {
      const { block, index } = d.headerAt;
      const [l, c] = at(block, index);
      const message = d.header.length
        ? `the transcript ends inside a record header (${d.header.length} of 5 bytes)`
        : `the record announces ${d.recordLength} bytes but the transcript ends ${d.bodyLeft} byte(s) short`;
      diags.warning(l, c, c + 2, message);
    }
  }
}

/** A `handshake` block should hold whole messages (RFC 8446 §4: msg_type, uint24 length, body). */
function checkHandshakeFraming(b: TranscriptBlock, diags: DiagnosticList): void {
  const bytes = b.bytes;
  let off = 0;
  // Each step advances by at least 4 bytes.
  while (bytes.length - off >= 4) {
    const len = (bytes[off + 1] << 16) | (bytes[off + 2] << 8) | bytes[off + 3];
    if (bytes.length - off - 4 < len) {
      const l = b.byteRanges.line[off + 1];
      const c = b.byteRanges.column[off + 1];
      const endC = b.byteRanges.line[off + 3] === l ? b.byteRanges.column[off + 3] + 2 : c + 2;
      diags.warning(l, c, endC, `handshake message announces ${len} bytes but the block holds ${bytes.length - off - 4}`);
      return;
    }
    off += 4 + len;
  }
  if (off < bytes.length) {
    const l = b.byteRanges.line[off];
    const c = b.byteRanges.column[off];
    diags.warning(l, c, c + 2, `${bytes.length - off} byte(s) left after the last handshake message (a message header is 4 bytes)`);
  }
}
