/**
 * The decoding thread of a two-thread inspection (see pipelineInspect.ts): replays the framing log batches it is
 * sent into FramedInspection and writes the JSON document to standard output itself (dist/decoder.js, built from
 * decoderMain.ts).
 */
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { replayFraming } from "../inspect/framingWire";
import { FramedInspection } from "../inspect/framedInspect";
import { JsonDocumentWriter } from "../inspect/json";
import { JsonByteWriter } from "../inspect/jsonBytes";
import type { CaptureModel, LocatedError } from "../model";
import { Output } from "./output";

export interface DecoderJob {
  role: "tls-handshake-inspect-decoder";
  summary: boolean;
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
  // The document starts with the first event, so a file the reader rejects leaves no output behind.
  let writer: JsonDocumentWriter | undefined;
  let inspection: FramedInspection | undefined;
  const start = () => {
    writer ??= new JsonDocumentWriter(new JsonByteWriter((b) => out.writeBytes(b)), job.summary);
    inspection ??= new FramedInspection(job.summary ? "summary" : "json", (c) => writer!.connection(c));
    return inspection;
  };
  port.on("message", (m: ToDecoder) => {
    try {
      if (m.kind === "batch") {
        replayFraming(new Uint8Array(m.buffer, 0, m.length), start());
        Atomics.add(control, 0, 1);
        Atomics.notify(control, 0);
      } else {
        start();
        writer!.end(m.input, m.errors);
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
