/**
 * Coverage-guided fuzzing of every parser (`npm run fuzz -- [--seconds N] [--target NAME]... [--jobs J]`).
 *
 * Why a loop of our own instead of jazzer.js or jsfuzz: jazzer.js 4's prebuilt fuzzer needs a newer glibc than
 * Debian 12 and 2.x downloads its binary at install time; jsfuzz instruments through istanbul and needs a
 * bundling step for TypeScript. V8 already counts blocks when precise coverage is on, so fuzz/lib reads those
 * counts through node:inspector — no instrumentation, no dependency, the project's TypeScript run as-is by tsx.
 *
 * Each target runs in a worker thread for N seconds (default 60). This supervisor catches what the worker cannot
 * report itself: a run that does not return within --hang-seconds (the worker is terminated, the input saved
 * from shared memory) and a heap past --heap-mb (the worker dies out of memory, same). Findings go to
 * fuzz/findings/<target>/<sha1> with the stack in <sha1>.txt; the grown corpus persists under
 * $TMPDIR/tls-handshake-fuzz/<target>/ (the committed seeds in fuzz/corpus/ stay small).
 *
 * Options: --seconds N, --target NAME (repeatable), --jobs J (targets in parallel, default 1), --seed S,
 * --hang-seconds H (default 10), --slow-ms M (default 2000), --heap-mb MB (default 1024), --corpus-dir DIR,
 * --findings-dir DIR, --stop-on-finding, --replay FILE... (run files once through --target and report).
 * Exit status: 0 no findings, 1 findings, 2 usage error.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { FUZZ_ROOT, TARGETS, targetFile } from "../fuzz/lib/target";
import type { WorkerConfig, WorkerStats } from "../fuzz/lib/worker";

interface Args {
  seconds: number;
  targets: string[];
  jobs: number;
  seed: number;
  hangSeconds: number;
  slowMs: number;
  heapMb: number;
  corpusDir: string;
  findingsDir: string;
  stopOnFinding: boolean;
  replay: string[];
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    seconds: 60,
    targets: [],
    jobs: 1,
    seed: Date.now() & 0x7fffffff,
    hangSeconds: 10,
    slowMs: 2000,
    heapMb: 1024,
    corpusDir: path.join(os.tmpdir(), "tls-handshake-fuzz"),
    findingsDir: path.join(FUZZ_ROOT, "findings"),
    stopOnFinding: false,
    replay: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${k} needs a value`);
      return argv[++i];
    };
    if (k === "--seconds") a.seconds = Number(v());
    else if (k === "--target") a.targets.push(...v().split(","));
    else if (k === "--jobs") a.jobs = Math.max(1, Number(v()));
    else if (k === "--seed") a.seed = Number(v());
    else if (k === "--hang-seconds") a.hangSeconds = Number(v());
    else if (k === "--slow-ms") a.slowMs = Number(v());
    else if (k === "--heap-mb") a.heapMb = Number(v());
    else if (k === "--corpus-dir") a.corpusDir = path.resolve(v());
    else if (k === "--findings-dir") a.findingsDir = path.resolve(v());
    else if (k === "--stop-on-finding") a.stopOnFinding = true;
    else if (k === "--replay") while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) a.replay.push(path.resolve(argv[++i]));
    else if (k === "--help" || k === "-h") {
      console.log(fs.readFileSync(__filename, "utf8").split("*/")[0]);
      process.exit(0);
    } else throw new Error(`unknown option ${k}`);
  }
  if (!(a.seconds > 0)) throw new Error("--seconds must be positive");
  // Besides the listed targets, any module in fuzz/targets/ can be named (the engine's self-test is one).
  for (const t of a.targets) if (!/^[\w-]+$/.test(t) || !fs.existsSync(targetFile(t))) throw new Error(`unknown target ${t}; targets: ${TARGETS.join(", ")}`);
  if (a.targets.length === 0) a.targets = [...TARGETS].filter((t) => fs.existsSync(targetFile(t)));
  return a;
}

interface Result {
  target: string;
  stats: WorkerStats;
  findings: string[];
  restarts: number;
}

const SHARED_INPUT_BYTES = 1 << 20;

function sha1(d: Uint8Array): string {
  return createHash("sha1").update(d).digest("hex");
}

/** Runs one target for its budget, restarting the worker after a hang or out-of-memory finding. */
async function runTarget(name: string, args: Args): Promise<Result> {
  const findingsDir = path.join(args.findingsDir, name);
  const result: Result = {
    target: name,
    stats: { execs: 0, blocks: 0, features: 0, corpus: 0, findings: 0, elapsedMs: 0, slowest: 0 },
    findings: [],
    restarts: 0,
  };
  const start = Date.now();
  const budgetMs = args.seconds * 1000;
  let seed = args.seed ^ hashName(name);
  for (let attempt = 0; attempt < 20; attempt++) {
    const left = budgetMs - (Date.now() - start);
    if (left < 500 && attempt > 0) break;
    const shared = new SharedArrayBuffer(8 + SHARED_INPUT_BYTES);
    const cfg: WorkerConfig = {
      workerFile: path.join(FUZZ_ROOT, "lib", "worker.ts"),
      target: name,
      budgetMs: args.replay.length ? 0 : left,
      seed: seed++,
      corpusDirs: [path.join(FUZZ_ROOT, "corpus", name), path.join(args.corpusDir, name)],
      saveDir: path.join(args.corpusDir, name),
      findingsDir,
      slowMs: args.slowMs,
      stopOnFinding: args.stopOnFinding,
      shared,
      replay: args.replay.length ? args.replay : undefined,
    };
    const outcome = await new Promise<{ stats?: WorkerStats; crash?: string }>((resolve) => {
      const w = new Worker(path.join(FUZZ_ROOT, "lib", "boot.cjs"), {
        workerData: cfg,
        resourceLimits: { maxOldGenerationSizeMb: args.heapMb },
        stdout: false,
        stderr: false,
      });
      const head = new Int32Array(shared, 0, 2);
      let lastCount = -1;
      let lastChange = Date.now();
      let last: WorkerStats | undefined;
      let settled = false;
      const finish = (o: { stats?: WorkerStats; crash?: string }) => {
        if (settled) return;
        settled = true;
        clearInterval(timer);
        resolve(o);
      };
      const timer = setInterval(() => {
        const c = Atomics.load(head, 0);
        if (c !== lastCount) {
          lastCount = c;
          lastChange = Date.now();
        } else if (c > 0 && Date.now() - lastChange > args.hangSeconds * 1000) {
          saveSupervisorFinding(findingsDir, name, "hang", shared, `no run finished within ${args.hangSeconds} s`, result);
          void w.terminate();
          finish({ stats: last, crash: "hang" });
        }
      }, 250);
      w.on("message", (m: { kind: string; stats?: WorkerStats; file?: string; signature?: string }) => {
        if (m.kind === "finding" && m.file) {
          result.findings.push(m.file);
          console.log(`  [${name}] finding: ${m.signature} -> ${path.relative(process.cwd(), m.file)}`);
        } else if (m.stats) {
          last = m.stats;
          if (m.kind === "progress") printStats(name, m.stats, "  …");
          if (m.kind === "done") finish({ stats: m.stats });
        }
      });
      w.on("error", (e: Error & { code?: string }) => {
        const kind = e.code === "ERR_WORKER_OUT_OF_MEMORY" ? "heap" : "worker-error";
        if (kind === "heap") saveSupervisorFinding(findingsDir, name, "heap", shared, `heap grew past ${args.heapMb} MB: ${e.message}`, result);
        else console.error(`  [${name}] worker failed: ${e.stack ?? e.message}`);
        finish({ stats: last, crash: kind });
      });
      w.on("exit", () => finish({ stats: last, crash: last ? undefined : "exit" }));
    });
    if (outcome.stats) accumulate(result.stats, outcome.stats);
    // A terminated worker's last progress report is behind: the shared run counter is exact.
    if (outcome.crash) result.stats.execs += Math.max(0, Atomics.load(new Int32Array(shared, 0, 1), 0) - (outcome.stats?.execs ?? 0));
    if (args.stopOnFinding && result.findings.length) break;
    if (!outcome.crash || outcome.crash === "worker-error" || outcome.crash === "exit" || args.replay.length) break;
    result.restarts++;
  }
  result.stats.elapsedMs = Date.now() - start;
  return result;
}

function accumulate(into: WorkerStats, s: WorkerStats): void {
  into.execs += s.execs;
  into.blocks = Math.max(into.blocks, s.blocks);
  into.features = Math.max(into.features, s.features);
  into.corpus = Math.max(into.corpus, s.corpus);
  into.findings += s.findings;
  into.slowest = Math.max(into.slowest, s.slowest);
}

function saveSupervisorFinding(dir: string, target: string, kind: string, shared: SharedArrayBuffer, detail: string, result: Result): void {
  const n = new Int32Array(shared, 0, 2)[1];
  const input = new Uint8Array(shared, 8, n).slice();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, sha1(input));
  fs.writeFileSync(file, input);
  fs.writeFileSync(`${file}.txt`, `target: ${target}\nkind: ${kind}\ninput: ${input.length} bytes\n\n${detail}\n`);
  result.findings.push(file);
  result.stats.findings++;
  console.log(`  [${target}] finding: ${kind} -> ${path.relative(process.cwd(), file)}`);
}

function hashName(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function printStats(name: string, s: WorkerStats, prefix = ""): void {
  const secs = s.elapsedMs / 1000;
  console.log(
    `${prefix}${name.padEnd(12)} execs ${String(s.execs).padStart(10)}  ${String(Math.round(s.execs / Math.max(secs, 0.001))).padStart(7)}/s  ` +
      `blocks ${String(s.blocks).padStart(5)}  features ${String(s.features).padStart(6)}  corpus ${String(s.corpus).padStart(5)}  ` +
      `findings ${s.findings}  slowest ${s.slowest.toFixed(1)} ms`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  console.log(`fuzz: ${args.targets.join(", ")}; ${args.replay.length ? "replay" : `${args.seconds} s each`}, seed ${args.seed}, jobs ${args.jobs}`);
  const queue = [...args.targets];
  const results: Result[] = [];
  await Promise.all(
    Array.from({ length: Math.min(args.jobs, queue.length) }, async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) {
        const r = await runTarget(t, args);
        printStats(t, r.stats);
        results.push(r);
      }
    }),
  );
  console.log("\nsummary");
  for (const r of results.sort((x, y) => args.targets.indexOf(x.target) - args.targets.indexOf(y.target))) printStats(r.target, r.stats, "  ");
  const total = results.reduce((n, r) => n + r.findings.length, 0);
  console.log(total ? `\n${total} distinct finding(s) saved under ${path.relative(process.cwd(), args.findingsDir) || "."}/` : "\nno findings");
  process.exitCode = total ? 1 : 0;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 2;
});
