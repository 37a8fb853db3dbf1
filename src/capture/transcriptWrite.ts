/**
 * Writer of canonical `.tlstrace` text (docs/transcript-format.md): header, a comment naming the tool, endpoints,
 * informative lines, key-log lines, then one block per record — a `# comment` line above it, 16 bytes per line,
 * lower-case hex, continuation lines indented so the hex columns line up. `parseTranscript` reads it back to the
 * same records.
 */
import { formatEndpoint } from "./transcriptEndpoint";
import { TRANSCRIPT_HEADER, TRANSCRIPT_VERSION } from "./transcriptParse";
import type { TcpDir, TcpEndpoint } from "./types";

export interface TranscriptWriteInput {
  client?: TcpEndpoint;
  server?: TcpEndpoint;
  sni?: string;
  /** Other informative lines (`alpn`, `title`, `source`). */
  meta?: Partial<Record<"alpn" | "title" | "source", string>>;
  records: { dir: TcpDir; bytes: Uint8Array; comment?: string }[];
  /** NSS key log text; its comment and blank lines are left out. */
  keylog?: string;
}

export const WRITER_COMMENT = "# written by TLS Handshake Explorer";
const BYTES_PER_LINE = 16;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** One line of free text: no line breaks, and no '#' (which would start a comment and cut the value). */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
  const printable = s.replace(/[\u0000-\u001f\u007f#]+/g, " ");
  return printable.replace(/\s+/g, " ").trim();
}

export function writeTranscript(input: TranscriptWriteInput): string {
  const out: string[] = [`${TRANSCRIPT_HEADER} ${TRANSCRIPT_VERSION}`, WRITER_COMMENT];
  if (input.client) out.push(`client ${formatEndpoint(input.client)}`);
  if (input.server) out.push(`server ${formatEndpoint(input.server)}`);
  if (input.sni && oneLine(input.sni)) out.push(`sni ${oneLine(input.sni)}`);
  for (const [k, v] of Object.entries(input.meta ?? {})) if (v && oneLine(v)) out.push(`${k} ${oneLine(v)}`);
  for (const raw of (input.keylog ?? "").split(/\r?\n/)) {
    const line = raw.trim();
    if (line && !line.startsWith("#")) out.push(`keylog ${line.split(/\s+/).join(" ")}`);
  }
  for (const r of input.records) {
    out.push("");
    if (r.comment && oneLine(r.comment)) out.push(`# ${oneLine(r.comment)}`);
    const mark = r.dir === 0 ? ">" : "<";
    if (r.bytes.length === 0) {
      out.push(mark);
      continue;
    }
    for (let off = 0; off < r.bytes.length; off += BYTES_PER_LINE) {
      const row: string[] = [];
      const end = Math.min(off + BYTES_PER_LINE, r.bytes.length);
      for (let i = off; i < end; i++) row.push(HEX[r.bytes[i]]);
      out.push(`${off === 0 ? mark : " "} ${row.join(" ")}`);
    }
  }
  return out.join("\n") + "\n";
}
