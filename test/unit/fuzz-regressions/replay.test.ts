/**
 * Replays every input that ever made a fuzz target fail (test/fixtures/fuzz-regressions/<target>/) and every
 * committed seed (fuzz/corpus/<target>/, plus the seeds a target computes) through its target: each must return
 * normally within the fuzzer's time bound. Keeps the targets themselves working as the code under them changes.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { FUZZ_ROOT, loadTarget, readCorpusDir, TARGETS } from "../../../fuzz/lib/target";

const REGRESSIONS = path.resolve(__dirname, "../../fixtures/fuzz-regressions");
/** The fuzzer's bound for one run (scripts/fuzz.ts --slow-ms); CI gets twice that. */
const BOUND_MS = 4000;

function runAll(target: string, inputs: { name: string; data: Uint8Array }[]): void {
  const t = loadTarget(target);
  for (const { name, data } of inputs) {
    const t0 = performance.now();
    assert.doesNotThrow(() => t.fuzz(data), `${target}: ${name}`);
    const dt = performance.now() - t0;
    assert.ok(dt < BOUND_MS, `${target}: ${name} took ${dt.toFixed(0)} ms`);
  }
}

for (const target of TARGETS) {
  test(`fuzz target ${target}: committed seeds run clean`, () => {
    const t = loadTarget(target);
    const seeds = [...(t.seeds?.() ?? []), ...readCorpusDir(path.join(FUZZ_ROOT, "corpus", target))];
    assert.ok(seeds.length > 0, `${target} has no seeds`);
    runAll(
      target,
      seeds.map((data, i) => ({ name: `seed ${i}`, data })),
    );
  });
}

const dirs = fs.existsSync(REGRESSIONS) ? fs.readdirSync(REGRESSIONS).filter((d) => fs.statSync(path.join(REGRESSIONS, d)).isDirectory()) : [];
for (const target of dirs) {
  test(`fuzz regressions for ${target}: every past finding now returns normally`, () => {
    assert.ok((TARGETS as readonly string[]).includes(target), `${target} is not a fuzz target`);
    const dir = path.join(REGRESSIONS, target);
    const files = fs.readdirSync(dir).filter((f) => !f.endsWith(".md") && !f.endsWith(".txt"));
    runAll(
      target,
      files.map((f) => ({ name: f, data: new Uint8Array(fs.readFileSync(path.join(dir, f))) })),
    );
  });
}
