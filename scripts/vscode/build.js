// Builds what the VS Code runs need: the extension (the project's esbuild.mjs -> dist/) and the extension-host
// tests (test/integration/*.ts -> out/integration/*.js, one bundle per file, `vscode` and mocha left external).
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { ROOT } = require("./server");

/** Runs `node esbuild.mjs`; returns true on success. */
function buildExtension({ quiet = true } = {}) {
  const script = path.join(ROOT, "esbuild.mjs");
  if (!fs.existsSync(script)) {
    console.error("build: esbuild.mjs not found; using whatever is in dist/");
    return fs.existsSync(path.join(ROOT, "dist/extension.js"));
  }
  const r = spawnSync(process.execPath, [script], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 5 * 60 * 1000,
    stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
  });
  if (r.status !== 0) {
    if (quiet) process.stderr.write(`${r.stdout || ""}${r.stderr || ""}`);
    console.error(`build: node esbuild.mjs failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ""})`);
    return false;
  }
  return true;
}

/** Compiles test/integration/*.ts into out/integration/. Returns the path of the mocha entry (index.js). */
function buildIntegrationTests() {
  const esbuild = require("esbuild");
  const src = path.join(ROOT, "test/integration");
  const outdir = path.join(ROOT, "out/integration");
  fs.rmSync(outdir, { recursive: true, force: true });
  const entryPoints = fs
    .readdirSync(src)
    .filter((f) => f === "index.ts" || f.endsWith(".test.ts"))
    .map((f) => path.join(src, f));
  esbuild.buildSync({
    entryPoints,
    outdir,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["vscode", "mocha", "mocha/*"],
    sourcemap: "inline",
    logLevel: "warning",
  });
  return path.join(outdir, "index.js");
}

module.exports = { buildExtension, buildIntegrationTests };
