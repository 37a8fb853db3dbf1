/**
 * `inspect --json/--summary` on large captures using every core: each worker thread runs the whole capture
 * pipeline over the file but decodes only its share of the connections (id mod N), and the main thread merges
 * the workers' already-serialised connections back into id order. TCP reassembly needs every packet of a
 * connection, so each worker reads the whole file; the TLS work, which dominates, is divided.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { inspectStream } from "../inspect/inspect";
import { connectionText } from "../inspect/json";
import type { CaptureModel, LocatedError } from "../inspect/model";

interface ShardJob {
  role: "tls-handshake-inspect-shard";
  file: string;
  keylog?: string;
  summary: boolean;
  count: number;
  index: number;
}

type ShardMessage =
  | { kind: "batch"; items: [number, string][] }
  | { kind: "end"; input: CaptureModel["input"]; errors: LocatedError[] }
  | { kind: "fail"; message: string };

const BATCH_CHARS = 1 << 18;

/** Worker side: run when this bundle is started as a shard. Returns true if it was. */
export function runShardIfWorker(): boolean {
  if (isMainThread || !workerData || (workerData as ShardJob).role !== "tls-handshake-inspect-shard") return false;
  const job = workerData as ShardJob;
  const port = parentPort!;
  let items: [number, string][] = [];
  let size = 0;
  const flush = () => {
    if (!items.length) return;
    port.postMessage({ kind: "batch", items } satisfies ShardMessage);
    items = [];
    size = 0;
  };
  try {
    const r = inspectStream(job.file, job.file, {
      keylog: job.keylog,
      detail: job.summary ? "summary" : "json",
      shard: { count: job.count, index: job.index },
      onConnection: (c) => {
        const text = connectionText(c, job.summary);
        items.push([c.id, text]);
        size += text.length;
        if (size >= BATCH_CHARS) flush();
      },
    });
    flush();
    port.postMessage({ kind: "end", input: r.input, errors: r.errors } satisfies ShardMessage);
  } catch (e) {
    port.postMessage({ kind: "fail", message: (e as Error).message } satisfies ShardMessage);
  }
  return true;
}

/**
 * Main side: start `count` shards over `file` and call `onConnection(text)` in id order; resolves with the
 * capture's input and errors (from shard 0: every shard reads the same packets).
 */
export function inspectInParallel(
  file: string,
  opts: { keylog?: string; summary: boolean; count: number },
  onConnection: (text: string) => void,
): Promise<{ input: CaptureModel["input"]; errors: LocatedError[] }> {
  return new Promise((resolve, reject) => {
    const queues: [number, string][][] = [];
    const heads: number[] = [];
    const done: boolean[] = [];
    let result: { input: CaptureModel["input"]; errors: LocatedError[] } | undefined;
    let failed = false;
    const workers: Worker[] = [];

    // Emit while every shard that may still hold a smaller id has something queued (or has ended).
    const drain = () => {
      for (;;) {
        let best = -1;
        for (let k = 0; k < opts.count; k++) {
          if (heads[k] < queues[k].length) {
            if (best < 0 || queues[k][heads[k]][0] < queues[best][heads[best]][0]) best = k;
          } else if (!done[k]) {
            return; // shard k may still produce a smaller id
          }
        }
        if (best < 0) return;
        onConnection(queues[best][heads[best]++][1]);
        if (heads[best] > 4096) {
          queues[best] = queues[best].slice(heads[best]);
          heads[best] = 0;
        }
      }
    };

    for (let k = 0; k < opts.count; k++) {
      queues.push([]);
      heads.push(0);
      done.push(false);
      const job: ShardJob = { role: "tls-handshake-inspect-shard", file, keylog: opts.keylog, summary: opts.summary, count: opts.count, index: k };
      const w = new Worker(__filename, { workerData: job });
      workers.push(w);
      w.on("message", (m: ShardMessage) => {
        if (failed) return;
        if (m.kind === "batch") {
          for (const it of m.items) queues[k].push(it);
        } else if (m.kind === "end") {
          done[k] = true;
          if (k === 0) result = { input: m.input, errors: m.errors };
        } else {
          failed = true;
          for (const other of workers) void other.terminate();
          reject(new Error(m.message));
          return;
        }
        drain();
        if (done.every(Boolean) && result) resolve(result);
      });
      w.on("error", (e) => {
        if (failed) return;
        failed = true;
        for (const other of workers) void other.terminate();
        reject(e);
      });
    }
  });
}
