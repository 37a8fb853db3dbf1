/**
 * Transcripts (src/capture/transcript.ts): the fuzz bytes as text (UTF-8, as inspect reads it) through kind
 * detection, both parsers (`.tlstrace` and OpenSSL `-msg`) and the stream feed into a checking StreamSink.
 * Checked: diagnostics bounded and located inside the text; blocks delivered under the sink contract.
 */
import { detectTranscriptKind, MAX_DIAGNOSTICS, parseOpensslMsg, parseTranscript, transcriptStreams, type Transcript } from "../../src/capture/transcript";
import { CheckingStreamSink, check, streamSink } from "../lib/support";
import { ascii } from "../lib/target";

export const maxLength = 32 * 1024;

export const dictionary = [
  "tls-transcript 1\n",
  ">>> ",
  "<<< ",
  "TLS 1.2, Handshake [length 0004], ClientHello\n",
  "TLS 1.3, RecordHeader [length 0005]\n",
  "[length 0010]",
  "client ",
  "server ",
  "c> ",
  "s> ",
  "record ",
  "handshake ",
  "keylog CLIENT_RANDOM ",
  "# ",
  "\n",
  "    ",
  "16 03 03 00 04 ",
  "01 00 00 00\n",
  "sni ",
  "alpn ",
  "title ",
  "127.0.0.1:443",
  "[::1]:443",
  "decrypted",
  "header-only",
  ">>> ??? [length 0005]",
  "Inner Content Type",
  "ChangeCipherSpec",
  "Alert",
  "ApplicationData",
  "0123456789abcdef",
].map(ascii);

function checkTranscript(t: Transcript, lines: number): void {
  check(t.diagnostics.length <= MAX_DIAGNOSTICS + 1, `${t.diagnostics.length} diagnostics`);
  for (const d of t.diagnostics) check(d.line >= 0 && d.line <= lines, `diagnostic on line ${d.line} of ${lines}`);
  const sink = new CheckingStreamSink();
  transcriptStreams(t, streamSink(sink));
  check(sink.open.size === 0, "transcript connection left open");
}

export function fuzz(data: Uint8Array): void {
  const text = new TextDecoder().decode(data);
  let lines = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  detectTranscriptKind(text);
  checkTranscript(parseTranscript(text), lines);
  checkTranscript(parseOpensslMsg(text), lines);
}
