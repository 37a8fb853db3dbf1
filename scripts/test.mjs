#!/usr/bin/env node
// The project's test command (`npm test`): type-check and build, unit tests (node:test over tsx), then the
// extension tests in a real VS Code workbench (code-server) and the Playwright e2e suite. Ends with the plain
// `N passed, N failed` line CI reads.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
{
  const { createRequire } = await import("node:module");
  const boot = createRequire(import.meta.url)("./bootstrap.js");
  boot.ensureNodeModules();
  boot.ensureTestPackages();
}
const only = process.argv[2]; // optional: "unit" | "interop" | "vscode"
let passed = 0;
let failed = 0;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: opts.capture ? ["ignore", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
    timeout: opts.timeout ?? 30 * 60 * 1000,
    env: { ...process.env, ...opts.env },
  });
  if (opts.capture && r.stdout) process.stdout.write(r.stdout);
  return r;
}

function listTests(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".test.ts")) out.push(path.relative(root, p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

function step(name, fn) {
  process.stdout.write(`\n=== ${name} ===\n`);
  fn();
}

step("type-check, lint and build", () => {
  const tsc = run("npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]);
  if (tsc.status === 0) passed++;
  else {
    failed++;
    console.log("type-check: FAILED");
  }
  if (fs.existsSync(path.join(root, "webview-ui/tsconfig.json"))) {
    const w = run("npx", ["tsc", "-p", "webview-ui/tsconfig.json", "--noEmit"]);
    if (w.status === 0) passed++;
    else {
      failed++;
      console.log("webview type-check: FAILED");
    }
  }
  // Lint (typescript-eslint and the layer rule of eslint/layers.mjs) and formatting (Prettier) are checks like the others.
  const lint = run("npx", ["eslint", "."]);
  if (lint.status === 0) passed++;
  else {
    failed++;
    console.log("lint: FAILED (npm run lint)");
  }
  const fmt = run("npx", ["prettier", "--check", ".", "--log-level", "warn"]);
  if (fmt.status === 0) passed++;
  else {
    failed++;
    console.log("format: FAILED (npm run format)");
  }
  const b = run("node", ["esbuild.mjs"]);
  if (b.status === 0) passed++;
  else {
    failed++;
    console.log("build: FAILED");
  }
});

if (!only || only === "unit") {
  step("unit tests (node:test)", () => {
    // Unit tests per layer, then the oracle comparisons (every fixture against tshark's decode of the same bytes).
    const files = [...listTests(path.join(root, "test/unit")), ...listTests(path.join(root, "test/oracle"))];
    const r = run(process.execPath, ["--import", "tsx", "--test", "--test-reporter=tap", ...files], { capture: true });
    const p = /^# pass (\d+)/m.exec(r.stdout ?? "");
    const f = /^# fail (\d+)/m.exec(r.stdout ?? "");
    if (!p || !f) {
      failed++;
      console.log("unit tests: no summary from node:test");
    } else {
      passed += Number(p[1]);
      failed += Number(f[1]);
    }
  });
}

if (!only || only === "interop") {
  // The interop matrix (test/interop): real peers on 127.0.0.1, every cell appending its line to
  // test-results/interop/cells.jsonl (emptied here first); scripts/interop-table.mjs makes the README's table of it.
  step("interop matrix (real peers)", () => {
    const files = listTests(path.join(root, "test/interop"));
    fs.mkdirSync(path.join(root, "test-results/interop"), { recursive: true });
    fs.writeFileSync(path.join(root, "test-results/interop/cells.jsonl"), "");
    const r = run(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=3", "--test-reporter=tap", ...files], { capture: true });
    const p = /^# pass (\d+)/m.exec(r.stdout ?? "");
    const f = /^# fail (\d+)/m.exec(r.stdout ?? "");
    if (!p || !f) {
      failed++;
      console.log("interop: no summary from node:test");
    } else {
      passed += Number(p[1]);
      failed += Number(f[1]);
    }
  });
}

if ((!only || only === "vscode") && !process.env.SKIP_VSCODE_TESTS) {
  for (const [name, script, ...args] of [
    ["extension tests in code-server", "scripts/vscode/run-integration.js"],
    ["restricted-mode extension tests (untrusted workspace)", "scripts/vscode/run-integration.js", "--restricted", "--no-build"],
    ["end-to-end UI tests (Playwright)", "scripts/vscode/run-e2e.js"],
  ]) {
    if (!fs.existsSync(path.join(root, script))) continue;
    step(name, () => {
      const r = run(process.execPath, [script, ...args], { capture: true });
      const m = /^(?:\w+: )?(\d+) passed, (\d+) failed/m.exec(r.stdout ?? "");
      if (m) {
        passed += Number(m[1]);
        failed += Number(m[2]);
        if (r.status !== 0 && Number(m[2]) === 0) failed++;
      } else {
        failed++;
        console.log(`${name}: no result line (exit ${r.status})`);
      }
    });
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
