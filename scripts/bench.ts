/**
 * `npm run bench`: measured side by side with tshark on the same files, as ratios (a benchmark, not a test).
 * Makes the captures with ../shared/bench/gen_all.sh when missing (BENCH_DIR, default /tmp/tls-bench).
 * tshark runs once per file (a 1 GB run takes a minute); tls-handshake, whose runs take about a second and so vary
 * more in relative terms, runs five times and the median is reported. Times are wall-clock, RSS is the peak (GNU
 * time). The last column compares with the anchors issue 2 names (tshark measured on the machine that set the
 * targets), for when this machine's tshark is slower or faster than that one.
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

function row(label: string, ours: Measure, theirs: Measure | null, sizeBytes: number, anchor?: number): string {
  const mbps = (m: Measure) => (sizeBytes / 1e6 / m.seconds).toFixed(1);
  const ratio = theirs ? (theirs.seconds / ours.seconds).toFixed(1) + "x" : "-";
  const t = theirs ? `${theirs.seconds.toFixed(2)} s ${mbps(theirs)} MB/s ${theirs.rssMB.toFixed(0)} MB` : "-";
  const a = anchor ? `${(anchor / ours.seconds).toFixed(1)}x (${anchor} s)` : "-";
  return `| ${label} | ${ours.seconds.toFixed(2)} s ${mbps(ours)} MB/s ${ours.rssMB.toFixed(0)} MB${ours.ok ? "" : " FAILED"} | ${t} | ${ratio} | ${a} |`;
}

function main(): void {
  if (!fs.existsSync(cli)) throw new Error("build first: npm run build");
  ensureCaptures();
  const lines = [
    "| work | tls-handshake (median of 5: time, throughput, peak RSS) | tshark, same run | speed-up | vs issue 2's anchor |",
    "|---|---|---|---|---|",
  ];
  const fields = (f: string) => ["tshark", "-r", f, "-Y", "tls.handshake", "-T", "fields", "-e", "tcp.stream", "-e", "tls.handshake.type"];
  const files = quick ? ["hs_100m.pcap"] : ["hs_100m.pcap", "hs_1g.pcap", "bulk_1g.pcap"];
  for (const name of files) {
    const f = path.join(benchDir, name);
    const size = fs.statSync(f).size;
    const ours = median(5, ["node", cli, "inspect", f, "--summary"]);
    const theirs = process.env.SKIP_TSHARK ? null : timed(fields(f));
    lines.push(row(`inspect --summary vs tshark fields, ${name}`, ours, theirs, size, ANCHORS[`fields ${name}`]));
    console.log(lines[lines.length - 1]);
  }
  {
    const f = path.join(benchDir, "hs_100m.pcap");
    const size = fs.statSync(f).size;
    const ours = median(5, ["node", cli, "inspect", f, "--json"]);
    const theirs = process.env.SKIP_TSHARK ? null : timed(["tshark", "-r", f, "-Y", "tls.handshake", "-T", "json"]);
    lines.push(row("inspect --json vs tshark -T json, hs_100m.pcap", ours, theirs, size, ANCHORS["json hs_100m.pcap"]));
    console.log(lines[lines.length - 1]);
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
    const ours = median(5, ["node", cli, "inspect", f, "--summary"]);
    const quicFields = ["tshark", "-r", f, "-Y", "tls.handshake", "-T", "fields", "-e", "quic.connection.number", "-e", "tls.handshake.type"];
    const theirs = process.env.SKIP_TSHARK ? null : timed(quicFields);
    lines.push(row("inspect --summary vs tshark fields, quic_100m.pcap (QUIC)", ours, theirs, size));
    console.log(lines[lines.length - 1]);
  }
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
  console.log("\n" + lines.join("\n"));
}

main();
