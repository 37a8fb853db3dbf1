/**
 * Worker thread (dist/inspectWorker.js) that inspects one capture off the extension host's main thread, so the
 * workbench stays responsive while a large file is read. It posts progress, the connections in batches, then the
 * capture-level summary.
 *
 * Full detail (message bytes and field trees) costs over ten times a summary pass, and memory. So: a file up to
 * FULL_PASS_LIMIT is inspected once in full detail, keeping the first `maxConnections` connections in full and the
 * rest as summaries; a larger file gets a summary pass (the table appears quickly), then a background full pass
 * that stops after the first `maxConnections` connections. The host cancels by terminating the worker.
 */
import * as fs from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { inspectStream } from "../inspect/inspect";
import type { ConnectionModel } from "../model";
import { FULL_PASS_LIMIT, type WorkerJob, type WorkerReply } from "./inspectWorkerTypes";

/** Drops what only the detailed views need (message bytes, trees and fields, record bytes). */
function toSummary(c: ConnectionModel): ConnectionModel {
  return {
    ...c,
    messages: c.messages.map(({ raw: _raw, tree: _tree, fields: _fields, ...m }) => m),
    records: c.records.map((r) => {
      const { raw: _raw, ...rest } = r as typeof r & { raw?: Uint8Array };
      return rest;
    }),
  };
}

function batcher(post: (list: ConnectionModel[]) => void) {
  let batch: ConnectionModel[] = [];
  let last = Date.now();
  const flush = () => {
    if (batch.length) post(batch);
    batch = [];
    last = Date.now();
  };
  return {
    add(c: ConnectionModel) {
      batch.push(c);
      if (batch.length >= 500 || Date.now() - last > 250) flush();
    },
    flush,
  };
}

/** How long the background full-detail pass waits after the summary pass (see run). */
const DETAIL_PASS_DELAY_MS = 1500;

function run(job: WorkerJob): void {
  const port = parentPort!;
  const post = (m: WorkerReply) => port.postMessage(m);
  const size = job.bytes?.length ?? job.size ?? fs.statSync(job.path).size;
  const background = size > FULL_PASS_LIMIT;
  const input = job.bytes ?? job.path;
  let lastProgress = 0;
  const out = batcher((connections) => post({ type: "connections", connections }));
  try {
    let count = 0;
    const summary = inspectStream(input, job.name, {
      keylog: job.keylog,
      detail: background ? "summary" : "full",
      onProgress(done, total) {
        const now = Date.now();
        // At most ~10 progress messages a second.
        if (now - lastProgress >= 100) {
          lastProgress = now;
          post({ type: "progress", done, total });
        }
        return true;
      },
      onConnection(c) {
        out.add(background || count < job.maxConnections ? c : toSummary(c));
        count++;
      },
    });
    out.flush();
    post({ type: "done", input: summary.input, errors: summary.errors.slice(0, 10000), background });
  } catch (e) {
    out.flush();
    post({ type: "error", message: e instanceof Error ? e.message : String(e) });
    return;
  }
  if (!background) return;
  // The host is now sending the whole connection list to the page; the background pass waits a moment so its
  // batches (message bytes and field trees, the heavier messages) do not queue in front of that.
  setTimeout(() => detailPass(job, input), DETAIL_PASS_DELAY_MS);
}

/** Background pass: the first maxConnections connections again, in full detail; then stop reading. */
function detailPass(job: WorkerJob, input: string | Uint8Array): void {
  const port = parentPort!;
  const post = (m: WorkerReply) => port.postMessage(m);
  const detail = batcher((connections) => post({ type: "detail", connections }));
  let kept = 0;
  try {
    inspectStream(input, job.name, {
      keylog: job.keylog,
      detail: "full",
      onProgress: () => kept < job.maxConnections,
      onConnection(c) {
        // After the stop, still-open connections are flushed truncated: they are past the limit, so dropped.
        if (kept >= job.maxConnections) return;
        detail.add(c);
        kept++;
      },
    });
  } catch {
    // The summaries stay; nothing more to add.
  }
  detail.flush();
  post({ type: "detailDone" });
}

if (parentPort) run(workerData as WorkerJob);
