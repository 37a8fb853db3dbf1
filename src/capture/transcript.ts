/**
 * Transcripts: text files holding the bytes of one TLS connection — the project's `.tlstrace` format
 * (docs/transcript-format.md) and OpenSSL `s_client -msg` output (./opensslMsg). Both become a `Transcript`
 * (blocks of bytes per direction, each located in the text) that `transcriptStreams` feeds to the TLS layer
 * through the same StreamSink a capture uses.
 */
import { TRANSCRIPT_HEADER } from "./transcriptParse";
import { lineBounds, type TranscriptKind } from "./transcriptTypes";

export { parseTranscript, TRANSCRIPT_HEADER, TRANSCRIPT_VERSION, META_KEYWORDS } from "./transcriptParse";
export { writeTranscript, WRITER_COMMENT, type TranscriptWriteInput } from "./transcriptWrite";
export { transcriptStreams, wrapRecords, UNKNOWN_CLIENT, UNKNOWN_SERVER, type ProtectedRecord, type TranscriptSink } from "./transcriptStreams";
export { parseEndpoint, formatEndpoint } from "./transcriptEndpoint";
export { parseOpensslMsg } from "./opensslMsg";
export {
  blockLines,
  bytePosition,
  frameAtLine,
  lineOfFrame,
  MAX_DIAGNOSTICS,
  type ByteRanges,
  type RecordHeaderInfo,
  type Transcript,
  type TranscriptBlock,
  type TranscriptBlockKind,
  type TranscriptDiagnostic,
  type TranscriptKind,
} from "./transcriptTypes";

/** How far detection looks: s_client prints a few lines (CONNECTED(…), depth=…) before its first message. */
const DETECT_LINES = 200;
const DETECT_CHARS = 64 * 1024;

const OPENSSL_MSG_LINE = /^(>>>|<<<) .*\[length [0-9A-Fa-f]+\]/;

/**
 * Which transcript a text is: `.tlstrace` when its first non-blank, non-comment line is the header; OpenSSL
 * `-msg` output when one of its first lines is a `>>>`/`<<<` message line; otherwise null.
 */
export function detectTranscriptKind(text: string): TranscriptKind | null {
  const head = text.length > DETECT_CHARS ? text.slice(0, DETECT_CHARS) : text;
  const { starts, ends } = lineBounds(head);
  let firstSignificant = true;
  for (let ln = 0; ln < starts.length && ln < DETECT_LINES; ln++) {
    const line = head.slice(starts[ln], ends[ln]);
    if (OPENSSL_MSG_LINE.test(line)) return "openssl-msg";
    const content = line.replace(/#.*/, "").trim();
    if (!content) continue;
    if (firstSignificant) {
      firstSignificant = false;
      if (content.split(/\s+/)[0].toLowerCase() === TRANSCRIPT_HEADER) return "tlstrace";
    }
  }
  return null;
}
