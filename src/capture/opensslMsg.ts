/**
 * Reader of OpenSSL `s_client -msg` / `-msgfile` output: turns the printed messages back into the records of the
 * connection, as far as the text allows.
 *
 * What OpenSSL prints (apps/lib/s_cb.c msg_cb): one line per callback,
 *   `>>> TLS 1.2, RecordHeader [length 0005]`         (`>>>` sent, `<<<` received; s_client is the client)
 *   `<<< TLS 1.3, Handshake [length 007a], ServerHello`
 *   `<<< TLS 1.3, InnerContent [length 0001]`          (TLS 1.3: the real content type of a protected record)
 * each followed by the callback's bytes as indented hex, 16 per line. A record's header is printed when the record
 * is read or written; its content is printed *after decryption* and per message, so:
 * - a plaintext record = its RecordHeader + the content printed after it: the wire bytes are rebuilt exactly,
 *   including messages spanning records (RecordHeader, RecordHeader, then the whole message);
 * - a protected record (outer type 23 or an InnerContent line in TLS 1.3; any record after ChangeCipherSpec in
 *   TLS 1.2) has no ciphertext in the text: it becomes a `decrypted` block holding the printed plaintext, with the
 *   outer header in `record` and the real type in `innerType`, so the layer above can show its messages as
 *   encrypted ones it did not need keys for. A record after ChangeCipherSpec whose printed content fills its
 *   length exactly was not protected after all (the TLS 1.3 HelloRetryRequest flow sends CCS before the second
 *   hello, RFC 8446 Appendix D.4), and is kept as a plain record;
 * - a record whose content OpenSSL does not print (application data) becomes `header-only`; a received
 *   ChangeCipherSpec header is completed with its only valid body, the byte 1 (RFC 5246 §7.1).
 * Everything else s_client prints (CONNECTED(…), certificate chains, session dumps) is skipped. Never throws.
 */
import { RECORD_HEADER_LENGTH } from "../tls/record";
import { ContentType, ProtocolVersion } from "../tls/registry";
import { ByteCollector, DiagnosticList, isHexOnly, lineBounds, scanHexWords, type ByteRanges, type Transcript, type TranscriptBlock } from "./transcriptTypes";
import type { TcpDir } from "./types";

/** `>>> TLS 1.3, Handshake [length 007a], ServerHello` (version, type, hex length, optional details). */
const MSG_LINE = /^(>>>|<<<)\s*(.*?)\s*\[length ([0-9A-Fa-f]{1,8})\]\s*(?:,\s*(.*?))?\s*$/;

const CONTENT_TYPES: Record<string, number> = {
  ChangeCipherSpec: ContentType.change_cipher_spec,
  Alert: ContentType.alert,
  Handshake: ContentType.handshake,
  ApplicationData: ContentType.application_data,
  Heartbeat: ContentType.heartbeat,
};

const CONTENT_TYPE_WORD = /\b(ChangeCipherSpec|Alert|Handshake|ApplicationData|Heartbeat)\b/;
/** s_client's message lines are short; longer lines are not matched against MSG_LINE (bounded regex work). */
const MAX_MSG_LINE = 512;

/** Record-layer version for a printed protocol name; TLS 1.3 records carry 0x0303 (RFC 8446 §5.1). */
function recordVersion(text: string): number {
  const m = /(SSL 3\.0|TLS 1\.([0-3]))/.exec(text);
  if (!m) return ProtocolVersion.TLSv1_2;
  if (m[1] === "SSL 3.0") return ProtocolVersion.SSLv3;
  // TLS 1.x is 0x0301 + x (RFC 8446 §B.3.1's ProtocolVersion values are consecutive).
  return Math.min(ProtocolVersion.TLSv1_0 + Number(m[2]), ProtocolVersion.TLSv1_2);
}

interface Rec {
  dir: TcpDir;
  type: number;
  version: number;
  length: number;
  header: Uint8Array;
  headerRanges: ByteRanges;
  line: number;
  endLine: number;
  /** "plain": content fills the body in order (messages may span records); "latest": content attaches here. */
  mode: "plain" | "latest";
  innerType?: number;
  content: ByteCollector;
  labels: string[];
}

interface Printed {
  dir: TcpDir;
  what: string;
  details: string;
  length: number;
  line: number;
  endLine: number;
  lengthColumn: [number, number];
  bytes: Uint8Array;
  ranges: ByteRanges;
}

export function parseOpensslMsg(text: string): Transcript {
  const diags = new DiagnosticList();
  const { starts, ends } = lineBounds(text);
  const records: Rec[] = [];
  const latest: [Rec | null, Rec | null] = [null, null];
  const afterCcs = [false, false];
  /** Plain records per direction and content type, in order, with a cursor at the first one with room. */
  const queues = new Map<number, { list: Rec[]; at: number }>();
  const plainQueue = (dir: TcpDir, type: number) => {
    let q = queues.get(dir * 256 + type);
    if (!q) queues.set(dir * 256 + type, (q = { list: [], at: 0 }));
    return q;
  };

  const onPrinted = (m: Printed) => {
    const lenErr = () =>
      diags.error(m.line, m.lengthColumn[0], m.lengthColumn[1], `[length ${m.length.toString(16).padStart(4, "0")}] but ${m.bytes.length} byte(s) printed`);
    if (m.bytes.length !== m.length) lenErr();
    const isHeader =
      m.what.includes("RecordHeader") ||
      (m.length === RECORD_HEADER_LENGTH && !/\b(Handshake|Alert|ChangeCipherSpec|ApplicationData|InnerContent|Heartbeat)\b/.test(m.what));
    if (isHeader) {
      if (m.bytes.length !== RECORD_HEADER_LENGTH) {
        diags.error(m.line, 0, 3, `a record header is 5 bytes, ${m.bytes.length} printed`);
        return;
      }
      const b = m.bytes;
      const rec: Rec = {
        dir: m.dir,
        type: b[0],
        version: (b[1] << 8) | b[2],
        length: (b[3] << 8) | b[4],
        header: b,
        headerRanges: m.ranges,
        line: m.line,
        endLine: m.endLine,
        mode: b[0] === ContentType.application_data || afterCcs[m.dir] ? "latest" : "plain",
        content: new ByteCollector(),
        labels: [],
      };
      // TLS 1.2 (RFC 5246 §7.1): records after ChangeCipherSpec are protected. Undone below for TLS 1.3's
      // compatibility CCS, whose content line names TLS 1.3 (RFC 8446 Appendix D.4).
      if (b[0] === ContentType.change_cipher_spec) afterCcs[m.dir] = true;
      records.push(rec);
      if (rec.mode === "plain") plainQueue(m.dir, rec.type).list.push(rec);
      latest[m.dir] = rec;
      return;
    }
    if (m.what.includes("InnerContent")) {
      const rec = latest[m.dir];
      if (!rec || rec.innerType !== undefined || m.bytes.length !== 1) {
        diags.error(m.line, 0, 3, rec ? "unexpected InnerContent for this record" : "InnerContent without a record header before it");
        return;
      }
      rec.innerType = m.bytes[0];
      rec.mode = "latest";
      rec.endLine = Math.max(rec.endLine, m.endLine);
      return;
    }
    const typeName = CONTENT_TYPE_WORD.exec(m.what)?.[1];
    if (typeName === undefined || !(typeName in CONTENT_TYPES)) {
      diags.warning(m.line, 0, 3, `unknown content '${m.what}': skipped`);
      return;
    }
    const type = CONTENT_TYPES[typeName];
    if (type === ContentType.change_cipher_spec && /TLS 1\.3/.test(m.what)) afterCcs[m.dir] = false;
    const label = m.details || typeName;
    const l = latest[m.dir];
    if (l && l.mode === "latest") {
      if (l.innerType !== undefined && l.innerType !== type) {
        diags.warning(m.line, 0, 3, `${typeName} printed for a record whose inner content type is ${l.innerType}`);
      }
      l.content.append(m.bytes, m.ranges);
      l.labels.push(label);
      l.endLine = Math.max(l.endLine, m.endLine);
      return;
    }
    // Plain fill: the oldest record of this direction and type with room, spilling into the next ones.
    const q = plainQueue(m.dir, type);
    // Records leave the queue's front once full (or once an InnerContent line showed they were protected), so the
    // cursor only moves forward: linear in the number of records overall.
    while (q.at < q.list.length && (q.list[q.at].mode !== "plain" || q.list[q.at].content.length >= q.list[q.at].length)) q.at++;
    if (q.at === q.list.length) {
      // No header printed for it (older OpenSSL, or output cut): rebuild a plaintext record around it.
      diags.warning(m.line, 0, 3, `no record header printed before this ${typeName}: a plaintext record header is assumed`);
      const v = recordVersion(m.what);
      const n = Math.min(m.bytes.length, 0xffff);
      const header = Uint8Array.of(type, v >> 8, v & 0xff, n >> 8, n & 0xff);
      const at = { line: new Uint32Array(5).fill(m.line), column: new Uint32Array(5) };
      const rec: Rec = {
        dir: m.dir,
        type,
        version: v,
        length: n,
        header,
        headerRanges: at,
        line: m.line,
        endLine: m.endLine,
        mode: "plain",
        content: new ByteCollector(),
        labels: [],
      };
      records.push(rec);
      q.list.push(rec);
      latest[m.dir] = rec;
    }
    q.list[q.at].labels.push(label);
    let off = 0;
    for (let i = q.at; i < q.list.length && off < m.bytes.length; i++) {
      const r = q.list[i];
      if (r.mode !== "plain") continue;
      const k = Math.min(r.length - r.content.length, m.bytes.length - off);
      for (let j = 0; j < k; j++, off++) r.content.push(m.bytes[off], m.ranges.line[off], m.ranges.column[off]);
      r.endLine = Math.max(r.endLine, m.endLine);
    }
    if (off < m.bytes.length) {
      diags.error(
        m.ranges.line[off],
        m.ranges.column[off],
        m.ranges.column[off] + 2,
        `${m.bytes.length - off} byte(s) of this ${typeName} do not fit in the records announced before it`,
      );
    }
  };

  // Line scan: a message line, then its hex lines until [length] bytes are read.
  for (let ln = 0; ln < starts.length; ln++) {
    const s = starts[ln];
    const e = ends[ln];
    const c0 = text.charCodeAt(s);
    if (c0 !== 62 && c0 !== 60) continue; // not '>' or '<': other s_client output
    const line = text.slice(s, e);
    if (!line.startsWith(">>>") && !line.startsWith("<<<")) continue;
    const mm = line.length <= MAX_MSG_LINE ? MSG_LINE.exec(line) : null;
    if (!mm) {
      diags.error(ln, 0, e - s, "unrecognized message line (expected e.g. '<<< TLS 1.2, Handshake [length 0041], ServerHello')");
      continue;
    }
    const length = parseInt(mm[3], 16);
    const lenAt = line.indexOf("[length");
    const msgLine = ln;
    const collector = new ByteCollector();
    let endLine = ln;
    let truncated = false;
    // Hex lines follow; each adds at least one byte or ends the loop, and never more lines than the text has.
    while (collector.length < length && ln + 1 < starts.length) {
      const hs = starts[ln + 1];
      let he = ends[ln + 1];
      if (!isSpaceCode(text.charCodeAt(hs))) break;
      const body = text.slice(hs, he);
      if (/\s\.\.\.\s*$/.test(body)) {
        truncated = true;
        he = hs + body.lastIndexOf("...");
      }
      if (!isHexOnly(text, hs, he)) break;
      ln++;
      endLine = ln;
      scanHexWords(text, hs, he, ln, hs, collector, diags);
      if (truncated) break;
    }
    if (truncated) diags.error(endLine, 0, ends[endLine] - starts[endLine], "OpenSSL cut this dump short ('...'): bytes are missing");
    // More hex right after a complete block is a sign of a wrong [length].
    if (ln + 1 < starts.length && isSpaceCode(text.charCodeAt(starts[ln + 1])) && isHexLine(text, starts[ln + 1], ends[ln + 1]) && collector.length >= length) {
      diags.error(ln + 1, 0, ends[ln + 1] - starts[ln + 1], `more bytes than [length ${mm[3]}] announced`);
    }
    const { bytes, byteRanges } = collector.take();
    onPrinted({
      dir: mm[1] === ">>>" ? 0 : 1,
      what: mm[2],
      details: mm[4] ?? "",
      length,
      line: msgLine,
      endLine,
      lengthColumn: [lenAt, lenAt + mm[3].length + 9],
      bytes,
      ranges: byteRanges,
    });
  }

  const blocks = records.map((r) => toBlock(r, diags));
  return { kind: "openssl-msg", version: 0, keylog: "", meta: { source: "openssl s_client -msg" }, blocks, diagnostics: diags.items };
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9;
}

/** An OpenSSL hex line: indented two-digit groups. */
function isHexLine(text: string, s: number, e: number): boolean {
  return /^\s+[0-9a-fA-F]{2}( [0-9a-fA-F]{2})*\s*$/.test(text.slice(s, e));
}

function toBlock(r: Rec, diags: DiagnosticList): TranscriptBlock {
  const record = { type: r.type, version: r.version, length: r.length };
  const base = { dir: r.dir, line: r.line, endLine: r.endLine, record, labels: r.labels };
  const { bytes: content, byteRanges: contentRanges } = r.content.take();
  const plainRecord = (body: Uint8Array, bodyRanges: ByteRanges): TranscriptBlock => {
    const all = new ByteCollector();
    all.append(r.header, r.headerRanges);
    all.append(body, bodyRanges);
    return { ...base, kind: "record", ...all.take() };
  };
  const plaintextFits = r.innerType === undefined && r.type !== ContentType.application_data && content.length === r.length;
  if (content.length > 0 && (r.mode === "plain" || plaintextFits)) {
    if (content.length < r.length) {
      diags.warning(r.line, 0, 3, `record announces ${r.length} bytes but only ${content.length} were printed`);
    }
    return plainRecord(content, contentRanges);
  }
  if (content.length > 0) {
    return { ...base, kind: "decrypted", innerType: r.innerType ?? r.type, bytes: content, byteRanges: contentRanges };
  }
  if (r.type === ContentType.change_cipher_spec && r.length === 1 && r.innerType === undefined) {
    // RFC 5246 §7.1 / RFC 8446 §5: the ChangeCipherSpec body is the single byte 1. Its position is the header's.
    return plainRecord(Uint8Array.of(1), { line: Uint32Array.of(r.headerRanges.line[0]), column: Uint32Array.of(r.headerRanges.column[0]) });
  }
  const block: TranscriptBlock = { ...base, kind: "header-only", bytes: r.header, byteRanges: r.headerRanges };
  if (r.innerType !== undefined) block.innerType = r.innerType;
  return block;
}
