/**
 * The decoding thread of a two-thread inspection (see pipelineInspect.ts): replays the framing log batches it is
 * sent into FramedInspection and writes the JSON document — or the readable text — to standard output itself
 * (dist/decoder.js, built from decoderMain.ts).
 */
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { replayFraming } from "../inspect/framingWire";
import { FramedInspection } from "../inspect/framedInspect";
import { JsonDocumentWriter } from "../inspect/json";
import { JsonByteWriter } from "../inspect/jsonBytes";
import type { CaptureModel, ConnectionModel, LocatedError } from "../model";
import { COLOUR, PLAIN } from "./colour";
import type { Lang } from "./lang";
import { Output } from "./output";
import { connectionBytes, errorsText, treeBytes } from "./textOutput";

export interface DecoderJob {
  role: "tls-handshake-inspect-decoder";
  summary: boolean;
  /** The readable text instead of a JSON document (`inspect FILE` without --json/--summary). */
  text?: { depth: number; colour: boolean; brief: boolean; lang: Lang };
  /** Keys, when given (then the reading thread passes application data's fragments too). */
  keylog?: string;
  rsaKeys?: string[];
  /** Int32 [batches consumed, decoder failed]. */
  control: SharedArrayBuffer;
}

export type ToDecoder = { kind: "batch"; buffer: ArrayBuffer; length: number } | { kind: "end"; input: CaptureModel["input"]; errors: LocatedError[] };
export type FromDecoder = { kind: "done" } | { kind: "fail"; message: string };

/** Run the decoder when this thread was started as one. Returns true if it was. */
export function runDecoderIfWorker(): boolean {
  if (isMainThread || !workerData || (workerData as DecoderJob).role !== "tls-handshake-inspect-decoder") return false;
  const job = workerData as DecoderJob;
  const port = parentPort!;
  const control = new Int32Array(job.control);
  const out = new Output(1);
  if (job.text) return runTextDecoder(job, job.text, port, control, out);
  // The document starts with the first event, so a file the reader rejects leaves no output behind.
  let writer: JsonDocumentWriter | undefined;
  let inspection: FramedInspection | undefined;
  const start = () => {
    writer ??= new JsonDocumentWriter(new JsonByteWriter((b) => out.writeBytes(b)), job.summary);
    inspection ??= new FramedInspection(job.summary ? "summary" : "json", (c) => writer!.connection(c), { keylog: job.keylog, rsaKeys: job.rsaKeys });
    return inspection;
  };
  return serveBatches(
    port,
    control,
    (batch) => replayFraming(batch, start()),
    (m) => {
      start();
      writer!.end(m.input, m.errors);
    },
  );
}

/**
 * The decoding thread's side of the framing-log exchange, shared by the JSON and text decoders: each batch is
 * replayed and counted as consumed (the reader waits on that count), the end is written and answered with done,
 * and a failure is flagged in `control` (so a reader waiting for room wakes) and reported.
 */
function serveBatches(
  port: NonNullable<typeof parentPort>,
  control: Int32Array,
  onBatch: (batch: Uint8Array) => void,
  onEnd: (m: Extract<ToDecoder, { kind: "end" }>) => void,
): true {
  port.on("message", (m: ToDecoder) => {
    try {
      if (m.kind === "batch") {
        onBatch(new Uint8Array(m.buffer, 0, m.length));
        Atomics.add(control, 0, 1);
        Atomics.notify(control, 0);
      } else {
        onEnd(m);
        port.postMessage({ kind: "done" } satisfies FromDecoder);
      }
    } catch (e) {
      Atomics.store(control, 1, 1);
      Atomics.notify(control, 0);
      port.postMessage({ kind: "fail", message: (e as Error).stack ?? String(e) } satisfies FromDecoder);
    }
  });
  return true;
}

/** The text decoder: each connection written as text when it ends (see inspectCommand's one-thread text path). */
function runTextDecoder(job: DecoderJob, text: NonNullable<DecoderJob["text"]>, port: NonNullable<typeof parentPort>, control: Int32Array, out: Output): true {
  const style = text.colour ? COLOUR : PLAIN;
  const opts = { fieldsDepth: text.depth, style, lang: text.lang };
  let count = 0;
  const inspection = new FramedInspection<Uint8Array>(
    text.brief ? "fields" : "full",
    (bytes) => {
      out.writeBuffered(bytes);
      // The first connection shows at once; after it, output goes in large writes.
      if (count++ === 0) out.flush();
    },
    {
      keylog: job.keylog,
      rsaKeys: job.rsaKeys,
      keepBytes: false,
      treeText: (tree) => treeBytes(tree, opts),
      // QUIC connections cross as their text already (see pipelineInspect.ts).
      prepare: (c: ConnectionModel) => (c.json !== undefined ? Buffer.from(c.json, "utf8") : connectionBytes(c, opts)),
    },
  );
  return serveBatches(
    port,
    control,
    (batch) => replayFraming(batch, inspection),
    (m) => {
      out.write(`${m.input.path}: ${m.input.format}, ${m.input.packets} packet(s), ${count} TLS connection(s)\n`);
      out.write(errorsText(m.errors, style));
      out.flush();
    },
  );
}
