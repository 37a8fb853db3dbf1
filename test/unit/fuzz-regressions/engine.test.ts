/**
 * The fuzz engine itself (scripts/fuzz.ts, fuzz/lib): coverage feedback finds a 4-byte magic compared byte by
 * byte within seconds (blind mutation would need ~2^32 tries), the supervisor saves a run that never returns,
 * and the mutators respect their length bound.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mutate } from "../../../fuzz/lib/mutate";
import { Rng } from "../../../fuzz/lib/rng";

const ROOT = path.resolve(__dirname, "../../..");

function fuzzCli(args: string[], env: Record<string, string> = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fuzz-engine-"));
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "scripts/fuzz.ts", "--corpus-dir", path.join(tmp, "corpus"), "--findings-dir", path.join(tmp, "findings"), ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, ...env },
    },
  );
  const dir = path.join(tmp, "findings", "selftest");
  const reports = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".txt"))
        .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
    : [];
  fs.rmSync(tmp, { recursive: true, force: true });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}`, reports };
}

test("coverage feedback finds a byte-by-byte 4-byte magic within seconds", () => {
  const t0 = Date.now();
  const r = fuzzCli(["--target", "selftest", "--seconds", "60", "--stop-on-finding", "--seed", "1"]);
  const secs = (Date.now() - t0) / 1000;
  assert.equal(r.status, 1, r.out);
  assert.equal(r.reports.length, 1, r.out);
  assert.match(r.reports[0], /kind: exception/);
  assert.match(r.reports[0], /magic reached/);
  assert.ok(secs < 45, `took ${secs.toFixed(1)} s`);
});

for (const [word, kind, opts] of [
  ["HANG", "hang", ["--hang-seconds", "1"]],
  ["HEAP", "heap", ["--heap-mb", "96"]],
] as const) {
  test(`a run that ${kind === "hang" ? "never returns" : "exhausts the heap"} is saved as a ${kind} finding with its input`, () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "fuzz-trap-"));
    const input = path.join(tmp, "input");
    fs.writeFileSync(input, word);
    const r = fuzzCli(["--target", "selftest", ...opts, "--replay", input], { FUZZ_SELFTEST_TRAPS: "1" });
    fs.rmSync(tmp, { recursive: true, force: true });
    assert.equal(r.status, 1, r.out);
    assert.equal(r.reports.length, 1, r.out);
    assert.match(r.reports[0], new RegExp(`kind: ${kind}`));
    assert.match(r.reports[0], /input: 4 bytes/);
  });
}

test("mutations stay within maxLength and are reproducible from the seed", () => {
  const base = Uint8Array.from({ length: 100 }, (_, i) => i);
  const a = new Rng(42);
  const b = new Rng(42);
  for (let i = 0; i < 5000; i++) {
    const x = mutate(base, a, { maxLength: 128, dictionary: [Uint8Array.of(1, 2, 3)], other: () => base });
    const y = mutate(base, b, { maxLength: 128, dictionary: [Uint8Array.of(1, 2, 3)], other: () => base });
    assert.ok(x.length <= 128);
    assert.deepEqual(x, y);
  }
});
