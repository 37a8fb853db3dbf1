/**
 * `npm run bench`: measured side by side with tshark on the same files, as ratios (a benchmark, not a test).
 * Makes the captures with ../shared/bench/gen_all.sh when missing (BENCH_DIR, default /tmp/tls-bench).
 * tshark runs once per file (a 1 GB run takes a minute); tls-handshake, whose runs take about a second and so vary
 * more in relative terms, runs five times and the median is reported. Times are wall-clock, RSS is the peak (GNU
 * time). The last column compares with the anchors issue 2 names (tshark measured on the machine that set the
 * targets), for when this machine's tshark is slower or faster than that one.
 *
 * Flags: --quick (hs_100m only), --write-readme (the README's speed table, between its bench markers, is replaced
 * by this run's). BENCH_RUNS sets the runs per median (default 5); SKIP_TSHARK leaves tshark out.
 */
import { spawn, spawnSync } from "node:child_process";
import * as os from "node:os";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
const benchDir = process.env.BENCH_DIR ?? "/tmp/tls-bench";
const quick = process.argv.includes("--quick");
const writeReadme = process.argv.includes("--write-readme");
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const cli = path.join(root, "dist/cli.js");

interface Measure {
  seconds: number;
  rssMB: number;
  ok: boolean;
}

/** Read the file once so both tools start from a warm page cache (the machine cannot cache all three GB files). */
function warm(file: string): void {
  spawnSync("cat", [file], { stdio: ["ignore", "ignore", "ignore"] });
}

function timed(cmd: string[], warmFirst = true): Measure {
  const file = cmd.find((a) => a.endsWith(".pcap"));
  if (file && warmFirst) warm(file);
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", ...cmd], {
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
    timeout: 20 * 60 * 1000,
    maxBuffer: 1 << 26,
  });
  const last = (r.stderr ?? "").trim().split("\n").pop() ?? "";
  const [sec, kb] = last.split(" ").map(Number);
  return { seconds: sec, rssMB: kb / 1024, ok: r.status === 0 };
}

/** The median (by time) of `n` runs. */
function median(n: number, cmd: string[]): Measure {
  // The first run's warm-up leaves the file in the page cache for the others.
  const runs = Array.from({ length: n }, (_, i) => timed(cmd, i === 0)).sort((a, b) => a.seconds - b.seconds);
  return { ...runs[n >> 1], ok: runs.every((r) => r.ok) };
}

/** tshark's times on the machine that set issue 2's targets (seconds). */
const ANCHORS: Record<string, number> = {
  "fields hs_100m.pcap": 3.75,
  "fields hs_1g.pcap": 39,
  "json hs_100m.pcap": 14.6,
};

function ensureCaptures(): void {
  const need = ["hs_100m.pcap", "hs_1g.pcap", "bulk_1g.pcap"].filter((f) => !fs.existsSync(path.join(benchDir, f)));
  if (!need.length) return;
  const gen = path.resolve(root, "../shared/bench/gen_all.sh");
  if (!fs.existsSync(gen)) throw new Error(`missing ${need.join(", ")} in ${benchDir} and no ../shared/bench/gen_all.sh to make them`);
  console.log(`making benchmark captures in ${benchDir} (about a minute)...`);
  const r = spawnSync("bash", [gen], { stdio: "inherit", env: { ...process.env, BENCH_DIR: benchDir } });
  if (r.status !== 0) throw new Error("gen_all.sh failed");
}

/** Seconds from start until the command's first byte on standard output (the first connection of the text tree). */
function firstOutput(cmd: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ["ignore", "pipe", "ignore"] });
    let first: number | undefined;
    const timer = setTimeout(() => child.kill(), 10 * 60 * 1000);
    child.stdout.on("data", () => {
      if (first === undefined) {
        first = Number(process.hrtime.bigint() - t0) / 1e9;
        // Only the start is measured: the rest of the run is the timed rows' business.
        child.kill();
      }
    });
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      if (first === undefined) reject(new Error(`no output from ${cmd.join(" ")}`));
      else resolve(first);
    });
  });
}

function row(label: string, ours: Measure, theirs: Measure | null, sizeBytes: number, anchor?: number, target?: number): string {
  const mbps = (m: Measure) => (sizeBytes / 1e6 / m.seconds).toFixed(1);
  const ratio = theirs ? theirs.seconds / ours.seconds : undefined;
  const r =
    ratio === undefined ? "-" : `${ratio.toFixed(1)}x${target ? (ratio >= target ? ` (target ${target}x: met)` : ` (target ${target}x: not met)`) : ""}`;
  const t = theirs ? `${theirs.seconds.toFixed(2)} s ${mbps(theirs)} MB/s ${theirs.rssMB.toFixed(0)} MB` : "-";
  const a = anchor ? `${(anchor / ours.seconds).toFixed(1)}x (${anchor} s)` : "-";
  return `| ${label} | ${ours.seconds.toFixed(2)} s ${mbps(ours)} MB/s ${ours.rssMB.toFixed(0)} MB${ours.ok ? "" : " FAILED"} | ${t} | ${r} | ${a} |`;
}

const loadNow = () => os.loadavg()[0].toFixed(1);

/** Replace the README's speed table (between its bench markers) with this run's. */
function updateReadme(table: string[], notes: string[]): void {
  const file = path.join(root, "README.md");
  const text = fs.readFileSync(file, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`README.md has no ${start} ... ${end} markers`);
  const body = [start, "", ...table, "", ...notes, "", end].join("\n");
  fs.writeFileSync(file, text.slice(0, i) + body + text.slice(j + end.length));
  console.log("README.md: speed table replaced");
}

async function main(): Promise<void> {
  if (!fs.existsSync(cli)) throw new Error("build first: npm run build");
  ensureCaptures();
  const loadAtStart = loadNow();
  const lines = [
    `| work | tls-handshake (median of ${RUNS}: time, throughput, peak RSS) | tshark, same run | speed-up (same run) | vs issue 2's anchor |`,
    "|---|---|---|---|---|",
  ];
  const notes: string[] = [];
  const tsharkRun = (cmd: string[]) => (process.env.SKIP_TSHARK ? null : timed(cmd));
  const keyed = (f: string) => f.replace(/\.pcap$/, ".keylog");
  const keyedFields = (f: string) => [
    "tshark",
    "-o",
    `tls.keylog_file:${keyed(f)}`,
    "-r",
    f,
    "-Y",
    "tls.handshake",
    "-T",
    "fields",
    "-e",
    "tcp.stream",
    "-e",
    "tls.handshake.type",
  ];
  const push = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  {
    // The readable tree, the first command a user types, against tshark's verbose TLS decode.
    const f = path.join(benchDir, "hs_100m.pcap");
    const size = fs.statSync(f).size;
    const ours = median(RUNS, ["node", cli, "inspect", f]);
    const theirs = tsharkRun(["tshark", "-r", f, "-Y", "tls.handshake", "-O", "tls", "-V"]);
    push(row("inspect (text tree) vs tshark -O tls -V, hs_100m.pcap", ours, theirs, size, undefined, 10));
    const firsts = [];
    for (let i = 0; i < RUNS; i++) firsts.push(await firstOutput(["node", cli, "inspect", f]));
    firsts.sort((a, b) => a - b);
    notes.push(`First connection of the text tree on standard output after ${firsts[firsts.length >> 1].toFixed(2)} s (median of ${RUNS}; target 0.2 s).`);
  }
  if (!quick) {
    // Memory of the text tree on the 1 GB capture (one run: it takes a while).
    const f = path.join(benchDir, "hs_1g.pcap");
    const ours = timed(["node", cli, "inspect", f]);
    notes.push(
      `The text tree of hs_1g.pcap: ${ours.seconds.toFixed(1)} s, peak RSS ${ours.rssMB.toFixed(0)} MB (target at most 300 MB)${ours.ok ? "" : " FAILED"}.`,
    );
    console.log(notes[notes.length - 1]);
  }
  const fields = (f: string) => ["tshark", "-r", f, "-Y", "tls.handshake", "-T", "fields", "-e", "tcp.stream", "-e", "tls.handshake.type"];
  const files = quick ? ["hs_100m.pcap"] : ["hs_100m.pcap", "hs_1g.pcap", "bulk_1g.pcap"];
  for (const name of files) {
    const f = path.join(benchDir, name);
    const size = fs.statSync(f).size;
    const ours = median(RUNS, ["node", cli, "inspect", f, "--summary"]);
    const theirs = tsharkRun(fields(f));
    push(row(`inspect --summary vs tshark fields, ${name}`, ours, theirs, size, ANCHORS[`fields ${name}`], name === "hs_1g.pcap" ? 75 : undefined));
  }
  {
    const f = path.join(benchDir, "hs_100m.pcap");
    const size = fs.statSync(f).size;
    const ours = median(RUNS, ["node", cli, "inspect", f, "--json"]);
    const theirs = tsharkRun(["tshark", "-r", f, "-Y", "tls.handshake", "-T", "json"]);
    push(row("inspect --json vs tshark -T json, hs_100m.pcap", ours, theirs, size, ANCHORS["json hs_100m.pcap"], 30));
  }
  {
    // Every handshake decrypted and every Finished verified, against tshark with the same key log.
    const f = path.join(benchDir, "hs_100m.pcap");
    const size = fs.statSync(f).size;
    const ours = median(RUNS, ["node", cli, "inspect", f, "--json", "--keylog", keyed(f)]);
    push(row("inspect --json --keylog vs tshark fields with the key log, hs_100m.pcap", ours, tsharkRun(keyedFields(f)), size, undefined, 5));
  }
  if (!quick) {
    // Application data decrypted and every tag checked.
    const f = path.join(benchDir, "bulk_1g.pcap");
    const size = fs.statSync(f).size;
    const ours = median(RUNS, ["node", cli, "inspect", f, "--summary", "--keylog", keyed(f)]);
    push(row("inspect --summary --keylog vs tshark fields with the key log, bulk_1g.pcap", ours, tsharkRun(keyedFields(f)), size, undefined, 30));
    notes.push(`bulk_1g.pcap decrypted at ${(size / 1e9 / ours.seconds).toFixed(2)} GB/s (target 1 GB/s).`);
  }
  {
    // QUIC: a capture scaled from the recorded QUIC handshakes (scripts/make-quic-bench.ts), against tshark's
    // fields of the same messages (its QUIC dissector finds the connections by heuristic, decrypting the Initials).
    const f = path.join(benchDir, "quic_100m.pcap");
    if (!fs.existsSync(f)) {
      const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/make-quic-bench.ts"), f, "--target-bytes", "1e8"], {
        stdio: "inherit",
        cwd: root,
      });
      if (r.status !== 0) throw new Error("make-quic-bench failed");
    }
    const size = fs.statSync(f).size;
    const ours = median(RUNS, ["node", cli, "inspect", f, "--summary"]);
    const quicFields = ["tshark", "-r", f, "-Y", "tls.handshake", "-T", "fields", "-e", "quic.connection.number", "-e", "tls.handshake.type"];
    // Issue 12's target: at least 20x tshark, memory flat in the file's size.
    push(row("inspect --summary vs tshark fields, quic_100m.pcap (QUIC)", ours, tsharkRun(quicFields), size, undefined, 20));
  }
  const cpus = os.cpus().length;
  notes.unshift(
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus} core(s); load average ${loadAtStart} at the start, ${loadNow()} at the end ` +
      "(other work on the machine slows both tools; the same-run ratio is what compares them).",
  );
  const table = lines.slice();
  // The engine benchmark runs as an esbuild bundle, like the shipped code (tsx's per-function name helpers
  // would slow the JS primitives several-fold and skew the ratios).
  const extra = path.join(root, "scripts/bench-engine.ts");
  // out/ (not dist/, whose bundles go into the VSIX).
  const bundled = path.join(root, "out/bench-engine.js");
  const b = spawnSync(
    path.join(root, "node_modules/.bin/esbuild"),
    [extra, "--bundle", "--platform=node", "--format=cjs", "--target=node20", `--outfile=${bundled}`, "--log-level=warning"],
    { stdio: "inherit", cwd: root },
  );
  if (b.status === 0) {
    const r = spawnSync(process.execPath, [bundled], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", cwd: path.join(root, "scripts") });
    lines.push("", r.stdout ?? "");
  }
  console.log("\n" + lines.join("\n") + "\n\n" + notes.join("\n"));
  if (writeReadme) updateReadme(table, notes);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
