/**
 * `inspect --json/--summary` of a large capture on two threads: this thread reads the file, reassembles TCP and
 * frames the TLS records (RecordFramer); a worker thread decodes the handshakes and writes the document
 * (FramedInspection). The two halves cost about the same on a handshake-heavy capture, so they overlap almost
 * entirely; what crosses is a framing log of the records' headers and their non-application-data fragments, in
 * transferred batches, with a bound on the batches in flight so memory stays flat.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as v8 from "node:v8";
import { Worker } from "node:worker_threads";
import { readTcpStreams } from "../capture/pipeline";
import { FramingWriter } from "../inspect/framingWire";
import { RecordFramer } from "../inspect/framer";
import { CaptureErrors } from "../inspect/inspect";
import type { DecoderJob, FromDecoder, ToDecoder } from "./decoderThread";
import type { ConnectionModel } from "../model";

/**
 * The decoding thread's script: dist/decoder.js beside the CLI bundle, holding only what decoding needs (it starts
 * sooner than the whole CLI would). Run from source there is none, and inspection stays on one thread.
 */
export function decoderScript(): string | undefined {
  const p = path.join(__dirname, "decoder.js");
  return fs.existsSync(p) ? p : undefined;
}

export interface PipelineOptions {
  /** The readable text instead of a document (see DecoderJob.text), with QUIC connections made into text here. */
  text?: DecoderJob["text"];
  quicText?(c: ConnectionModel): string;
  keylog?: string;
  rsaKeys?: string[];
}

/** Batches read but not yet decoded, at most (1 MiB each). */
const MAX_IN_FLIGHT = 16;
/**
 * The decoder's young generation (MiB per semi-space). Its connections live a few thousand packets — longer than
 * V8's default nursery lasts — so with the default most of them are copied and promoted before they die; a
 * larger nursery lets them die young (measured on a 97k-connection capture: 17 scavenges instead of 55, the
 * decoder 12% faster). V8 reads these flags when an isolate is created: set just before the worker starts.
 */
const DECODER_SEMI_SPACE_MB = 32;

/** How long the reader waits for the decoder to take one batch before giving up (ms). */
const STALL_LIMIT_MS = 120_000;

/**
 * Reader side: inspect `file` (a capture without keys) with the decoder writing the document to standard
 * output. Throws what readTcpStreams throws (NotACaptureError) before anything is written.
 */
export async function inspectPipelined(file: string, summary: boolean, script: string, opts: PipelineOptions = {}): Promise<void> {
  const control = new Int32Array(new SharedArrayBuffer(8));
  v8.setFlagsFromString(`--min-semi-space-size=${DECODER_SEMI_SPACE_MB}`);
  v8.setFlagsFromString(`--max-semi-space-size=${DECODER_SEMI_SPACE_MB}`);
  const job: DecoderJob = {
    role: "tls-handshake-inspect-decoder",
    summary,
    control: control.buffer,
    text: opts.text,
    keylog: opts.keylog,
    rsaKeys: opts.rsaKeys,
  };
  const worker = new Worker(script, { workerData: job });
  const finished = new Promise<void>((resolve, reject) => {
    worker.on("message", (m: FromDecoder) => (m.kind === "done" ? resolve() : reject(new Error(`decoder thread: ${m.message}`))));
    worker.on("error", reject);
    worker.on("exit", (code) => reject(new Error(`decoder thread exited (${code})`)));
  });
  // If reading fails, the worker is ended below and this rejects with nobody left to wait for it.
  finished.catch(() => {});
  let sent = 0;
  const log = new FramingWriter((batch) => {
    // Wait while the decoder is MAX_IN_FLIGHT batches behind; Atomics.wait wakes on its notify after each batch.
    for (let waited = 0; sent - Atomics.load(control, 0) >= MAX_IN_FLIGHT; waited += 50) {
      if (Atomics.load(control, 1) !== 0 || waited > STALL_LIMIT_MS) throw new Error("the decoder thread stopped taking batches");
      Atomics.wait(control, 0, Atomics.load(control, 0), 50);
    }
    worker.postMessage({ kind: "batch", buffer: batch.buffer as ArrayBuffer, length: batch.length } satisfies ToDecoder, [batch.buffer as ArrayBuffer]);
    sent++;
  });
  const errors = new CaptureErrors();
  try {
    const text = opts.text;
    const framer = new RecordFramer(log, (e) => errors.add(e), summary, {
      keylog: opts.keylog,
      rsaKeys: opts.rsaKeys,
      // The text decoder writes QUIC connections as they cross: as text, made here from their field trees.
      ...(text && opts.quicText ? { quicDetail: text.brief ? "fields" : "full", serialise: opts.quicText } : {}),
    });
    const info = readTcpStreams(file, framer);
    framer.finish(info.packets);
    log.flush();
    worker.postMessage({ kind: "end", input: { path: file, format: info.format, packets: info.packets }, errors: errors.finish() } satisfies ToDecoder);
    await finished;
  } finally {
    void worker.terminate();
  }
}
