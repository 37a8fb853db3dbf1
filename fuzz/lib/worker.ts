/**
 * The fuzz loop of one target, in a worker thread (the supervisor in scripts/fuzz.ts watches it for hangs and
 * heap exhaustion, which a thread cannot catch in itself).
 *
 * Inputs run in batches with one coverage take per batch (a take costs about a millisecond, a parser run a few
 * microseconds); only a batch that reached a new block is re-run input by input to find which inputs to keep.
 * Before each run the input is copied into memory shared with the supervisor, so a run that never returns can
 * still be saved as a finding.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { Coverage } from "./coverage";
import { mutate, randomInput } from "./mutate";
import { Rng } from "./rng";
import { loadTarget, readCorpusDir, FUZZ_ROOT } from "./target";

export interface WorkerConfig {
  workerFile: string;
  target: string;
  /** Wall-clock budget in milliseconds. */
  budgetMs: number;
  seed: number;
  /** Directories whose files seed the corpus; the first is where new interesting inputs are saved (if any). */
  corpusDirs: string[];
  saveDir: string | null;
  findingsDir: string;
  /** A single run slower than this is a finding. */
  slowMs: number;
  /** End the run at the first finding (the engine's self-test). */
  stopOnFinding?: boolean;
  /** Shared with the supervisor: [0] = runs started, [1] = current input length; then the input bytes. */
  shared: SharedArrayBuffer;
  /** Replay these files once (no mutation) instead of fuzzing. */
  replay?: string[];
}

export interface WorkerStats {
  execs: number;
  blocks: number;
  features: number;
  corpus: number;
  findings: number;
  elapsedMs: number;
  slowest: number;
}

export interface FindingMessage {
  kind: "finding";
  file: string;
  signature: string;
  new: boolean;
}

const cfg = workerData as WorkerConfig;
const target = loadTarget(cfg.target);
const maxLength = target.maxLength ?? 64 * 1024;
const sharedHead = new Int32Array(cfg.shared, 0, 2);
const sharedInput = new Uint8Array(cfg.shared, 8);
const rng = new Rng(cfg.seed);
// Coverage of the project's code and of the targets themselves (their input decoding guides too); not of the
// engine, node_modules or Node's internals.
const covered = [path.resolve(FUZZ_ROOT, "..", "src") + path.sep, path.join(FUZZ_ROOT, "targets") + path.sep];
const coverage = new Coverage((url) => {
  if (!url.startsWith("file://")) return false;
  const p = decodeURIComponent(url.slice(7));
  return p.startsWith(covered[0]) || p.startsWith(covered[1]);
});

const seenBlocks = new Set<number>();
const seenFeatures = new Set<number>();
const corpus: Uint8Array[] = [];
const corpusHashes = new Set<string>();
const signatures = new Set<string>();
let execs = 0;
let findings = 0;
let slowest = 0;

const sha1 = (d: Uint8Array) => crypto.createHash("sha1").update(d).digest("hex");

function expose(input: Uint8Array): void {
  const n = Math.min(input.length, sharedInput.length);
  sharedInput.set(input.subarray(0, n));
  Atomics.store(sharedHead, 1, n);
  Atomics.add(sharedHead, 0, 1);
}

/** A finding's identity: error type, message without numbers, and the innermost project frames. */
function signatureOf(kind: string, e: unknown): string {
  if (!(e instanceof Error)) return `${kind}: ${String(e).replace(/\d+/g, "N").slice(0, 120)}`;
  const frames = (e.stack ?? "")
    .split("\n")
    .filter((l) => l.includes("/src/") || l.includes("/fuzz/targets/"))
    .slice(0, 3)
    .map((l) =>
      l
        .trim()
        .replace(/:\d+:\d+\)?$/, "")
        .replace(/^at /, ""),
    );
  return `${kind}: ${e.name}: ${e.message.replace(/\d+/g, "N").slice(0, 120)} @ ${frames.join(" < ")}`;
}

function saveFinding(kind: string, input: Uint8Array, detail: string, signature: string): void {
  findings++;
  const isNew = !signatures.has(signature);
  signatures.add(signature);
  if (!isNew) return;
  fs.mkdirSync(cfg.findingsDir, { recursive: true });
  const file = path.join(cfg.findingsDir, sha1(input));
  fs.writeFileSync(file, input);
  fs.writeFileSync(`${file}.txt`, `target: ${cfg.target}\nkind: ${kind}\nsignature: ${signature}\ninput: ${input.length} bytes\n\n${detail}\n`);
  parentPort!.postMessage({ kind: "finding", file, signature, new: isNew } satisfies FindingMessage);
}

/** One run; returns its duration. Findings are recorded here. */
function runOne(input: Uint8Array): number {
  expose(input);
  const t0 = performance.now();
  try {
    target.fuzz(input);
  } catch (e) {
    const sig = signatureOf("exception", e);
    saveFinding("exception", input, e instanceof Error ? (e.stack ?? e.message) : String(e), sig);
  }
  const dt = performance.now() - t0;
  execs++;
  if (dt > slowest) slowest = dt;
  if (dt > cfg.slowMs) saveFinding("slow", input, `one run took ${dt.toFixed(0)} ms (bound ${cfg.slowMs} ms)`, `slow: ${cfg.target}`);
  return dt;
}

/** Merges a take into what was seen; true if it held a block (or, with `features`, a feature) not seen before. */
function merge(take: { blocks: number[]; features: number[] }, features: boolean): boolean {
  let fresh = false;
  for (const b of take.blocks) {
    if (!seenBlocks.has(b)) {
      seenBlocks.add(b);
      fresh = true;
    }
  }
  if (features) {
    for (const f of take.features) {
      if (!seenFeatures.has(f)) {
        seenFeatures.add(f);
        fresh = true;
      }
    }
  }
  return fresh;
}

function hasFreshBlock(blocks: number[]): boolean {
  for (const b of blocks) if (!seenBlocks.has(b)) return true;
  return false;
}

function keep(input: Uint8Array): void {
  const h = sha1(input);
  if (corpusHashes.has(h)) return;
  corpusHashes.add(h);
  corpus.push(input);
  if (cfg.saveDir && input.length <= 256 * 1024) {
    fs.mkdirSync(cfg.saveDir, { recursive: true });
    fs.writeFileSync(path.join(cfg.saveDir, h), input);
  }
}

/** Runs one input alone (V8's counters must have just been reset by a take) and keeps it if it found anything. */
function consider(input: Uint8Array): void {
  runOne(input);
  if (merge(coverage.take(), true)) keep(input);
}

/**
 * Which inputs of a batch reached new blocks: run each half again with one take per half and descend only into
 * halves that still show something new — a few takes per discovery instead of one per input.
 */
function bisect(inputs: Uint8Array[]): void {
  if (inputs.length === 1) {
    consider(inputs[0]);
    return;
  }
  const mid = inputs.length >> 1;
  for (const half of [inputs.slice(0, mid), inputs.slice(mid)]) {
    for (const x of half) runOne(x);
    if (hasFreshBlock(coverage.take().blocks)) bisect(half);
  }
}

function stats(t0: number): WorkerStats {
  return { execs, blocks: seenBlocks.size, features: seenFeatures.size, corpus: corpus.length, findings, elapsedMs: performance.now() - t0, slowest };
}

function main(): void {
  const t0 = performance.now();
  if (cfg.replay) {
    for (const f of cfg.replay) runOne(new Uint8Array(fs.readFileSync(f)));
    parentPort!.postMessage({ kind: "done", stats: stats(t0) });
    return;
  }
  const seeds = [...(target.seeds?.() ?? []), ...cfg.corpusDirs.flatMap(readCorpusDir)];
  coverage.take();
  for (const s of seeds) consider(s.length > maxLength ? s.slice(0, maxLength) : s);
  if (corpus.length === 0) corpus.push(new Uint8Array(0));
  const deadline = t0 + cfg.budgetMs;
  const other = () => corpus[rng.below(corpus.length)];
  const opts = { maxLength, dictionary: target.dictionary, other };
  let batchSize = 16;
  let lastReport = t0;
  while (performance.now() < deadline && !(cfg.stopOnFinding && findings > 0)) {
    const batch: Uint8Array[] = [];
    const bt0 = performance.now();
    for (let i = 0; i < batchSize; i++) {
      // Favour the newest entries a little: they are where coverage is growing.
      const base = rng.chance(0.2) ? corpus[corpus.length - 1 - rng.below(Math.min(8, corpus.length))] : corpus[rng.below(corpus.length)];
      const input = rng.chance(0.002) ? randomInput(rng, maxLength) : mutate(base, rng, opts);
      runOne(input);
      batch.push(input);
    }
    const batchMs = performance.now() - bt0;
    if (hasFreshBlock(coverage.take().blocks)) bisect(batch);
    // Hit-count features are only comparable run by run: also try one input of the batch alone now and then.
    if (rng.chance(0.25)) consider(batch[rng.below(batch.length)]);
    // Aim at ~25 ms of target time per take so the take stays a small share of the work.
    batchSize = Math.max(1, Math.min(4096, Math.round((batchSize * 25) / Math.max(batchMs, 0.01))));
    const now = performance.now();
    if (now - lastReport > 5000) {
      lastReport = now;
      parentPort!.postMessage({ kind: "progress", stats: stats(t0) });
    }
  }
  parentPort!.postMessage({ kind: "done", stats: stats(t0) });
}

main();
