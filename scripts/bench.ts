/**
 * `npm run bench`: measured side by side with tshark on the same files, as ratios (a benchmark, not a test).
 * Makes the captures with ../shared/bench/gen_all.sh when missing (BENCH_DIR, default /tmp/tls-bench).
 * Each command runs once (the 1 GB tshark runs take ~40 s each); times are wall-clock, RSS is the peak (GNU time).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
const benchDir = process.env.BENCH_DIR ?? "/tmp/tls-bench";
const quick = process.argv.includes("--quick");
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

function timed(cmd: string[]): Measure {
  const file = cmd.find((a) => a.endsWith(".pcap"));
  if (file) warm(file);
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", ...cmd], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", timeout: 20 * 60 * 1000, maxBuffer: 1 << 26 });
  const last = (r.stderr ?? "").trim().split("\n").pop() ?? "";
  const [sec, kb] = last.split(" ").map(Number);
  return { seconds: sec, rssMB: kb / 1024, ok: r.status === 0 };
}

function ensureCaptures(): void {
  const need = ["hs_100m.pcap", "hs_1g.pcap", "bulk_1g.pcap"].filter((f) => !fs.existsSync(path.join(benchDir, f)));
  if (!need.length) return;
  const gen = path.resolve(root, "../shared/bench/gen_all.sh");
  if (!fs.existsSync(gen)) throw new Error(`missing ${need.join(", ")} in ${benchDir} and no ../shared/bench/gen_all.sh to make them`);
  console.log(`making benchmark captures in ${benchDir} (about a minute)...`);
  const r = spawnSync("bash", [gen], { stdio: "inherit", env: { ...process.env, BENCH_DIR: benchDir } });
  if (r.status !== 0) throw new Error("gen_all.sh failed");
}

function row(label: string, ours: Measure, theirs: Measure | null, sizeBytes: number): string {
  const mbps = (m: Measure) => (sizeBytes / 1e6 / m.seconds).toFixed(1);
  const ratio = theirs ? (theirs.seconds / ours.seconds).toFixed(1) + "x" : "-";
  const t = theirs ? `${theirs.seconds.toFixed(2)} s ${mbps(theirs)} MB/s ${theirs.rssMB.toFixed(0)} MB` : "-";
  return `| ${label} | ${ours.seconds.toFixed(2)} s ${mbps(ours)} MB/s ${ours.rssMB.toFixed(0)} MB | ${t} | ${ratio} |`;
}

function main(): void {
  if (!fs.existsSync(cli)) throw new Error("build first: npm run build");
  ensureCaptures();
  const lines = ["| work | tls-handshake (time, throughput, peak RSS) | tshark | speed-up |", "|---|---|---|---|"];
  const fields = (f: string) => ["tshark", "-r", f, "-Y", "tls.handshake", "-T", "fields", "-e", "tcp.stream", "-e", "tls.handshake.type"];
  const files = quick ? ["hs_100m.pcap"] : ["hs_100m.pcap", "hs_1g.pcap", "bulk_1g.pcap"];
  for (const name of files) {
    const f = path.join(benchDir, name);
    const size = fs.statSync(f).size;
    const ours = timed(["node", cli, "inspect", f, "--summary"]);
    const theirs = process.env.SKIP_TSHARK ? null : timed(fields(f));
    lines.push(row(`inspect --summary vs tshark fields, ${name}`, ours, theirs, size));
    console.log(lines[lines.length - 1]);
  }
  {
    const f = path.join(benchDir, "hs_100m.pcap");
    const size = fs.statSync(f).size;
    const ours = timed(["node", cli, "inspect", f, "--json"]);
    const theirs = process.env.SKIP_TSHARK ? null : timed(["tshark", "-r", f, "-Y", "tls.handshake", "-T", "json"]);
    lines.push(row("inspect --json vs tshark -T json, hs_100m.pcap", ours, theirs, size));
    console.log(lines[lines.length - 1]);
  }
  // The engine benchmark runs as an esbuild bundle, like the shipped code (tsx's per-function name helpers
  // would slow the JS primitives several-fold and skew the ratios).
  const extra = path.join(root, "scripts/bench-engine.ts");
  // out/ (not dist/, whose bundles go into the VSIX).
  const bundled = path.join(root, "out/bench-engine.js");
  const b = spawnSync(path.join(root, "node_modules/.bin/esbuild"), [extra, "--bundle", "--platform=node", "--format=cjs", "--target=node20", `--outfile=${bundled}`, "--log-level=warning"], { stdio: "inherit", cwd: root });
  if (b.status === 0) {
    const r = spawnSync(process.execPath, [bundled], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", cwd: path.join(root, "scripts") });
    lines.push("", r.stdout ?? "");
  }
  console.log("\n" + lines.join("\n"));
}

main();
