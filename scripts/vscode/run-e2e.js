#!/usr/bin/env node
// `npm run test:e2e`: drives the real VS Code workbench (code-server + Debian Chromium through playwright-core)
// with the extension loaded from source, through test/e2e/*.spec.js. Each spec module exports
// `(t) => { t.test(name, async (ctx) => {...}, { timeout }) }`; tests run in file order in one workbench session.
// Prints one line per test, the measurements, `E2E_RESULT {"passed":N,"failed":M}` and `N passed, N failed`.
// Options: --no-build  --grep=TEXT  --headed-shots (screenshot after every test)  --keep
// Env: E2E_BIG=0 skips the 1 GB capture check; TLS_EXTENSION_PATH loads another extension build.
// Module API: runE2E(opts) -> Promise<{ passed, failed, results, perf }>.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { ROOT, codeServerEntry, startCodeServer, workbenchUrl } = require("./server");
const { launchBrowser } = require("./browser");
const { buildExtension } = require("./build");

const EXTENSION_PATH = process.env.TLS_EXTENSION_PATH ? path.resolve(process.env.TLS_EXTENSION_PATH) : ROOT;
const SPECS = path.join(ROOT, "test/e2e");
const SHOTS = path.join(ROOT, "test-results/screenshots");
const BIG_CAPTURE = process.env.E2E_BIG_CAPTURE || "/tmp/tls-bench/hs_1g.pcap";

function ensureCodeServer() {
  if (codeServerEntry()) return;
  const r = spawnSync("sh", [path.join(__dirname, "install-code-server.sh")], { stdio: "inherit", timeout: 15 * 60 * 1000 });
  if (r.status !== 0 || !codeServerEntry()) throw new Error("could not install code-server (scripts/vscode/install-code-server.sh)");
}

function firstExisting(...candidates) {
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  return undefined;
}

function listDir(dir, re) {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => re.test(f))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/**
 * A throw-away workspace holding copies of the fixtures the specs open (the repository's own files first; the
 * shared fixture set only as a developer fallback). Returns file names relative to the workspace.
 */
function prepareWorkspace() {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), "tls-e2e-ws-"));
  const shared = path.resolve(ROOT, "../shared/fixtures");
  const names = {};
  const copy = (src, key, dest = path.basename(src)) => {
    if (!src) return;
    fs.copyFileSync(src, path.join(ws, dest));
    const keylog = src.replace(/\.(pcapng|pcap|cap)$/, ".keylog");
    if (keylog !== src && fs.existsSync(keylog)) fs.copyFileSync(keylog, path.join(ws, dest.replace(/\.(pcapng|pcap|cap)$/, ".keylog")));
    if (key) names[key] = dest;
  };
  const hostileDir = path.join(ROOT, "test/fixtures/hostile");
  copy(path.join(hostileDir, "hostile.pcap"), "hostile");
  names.hostileStrings = JSON.parse(fs.readFileSync(path.join(hostileDir, "hostile.json"), "utf8"));
  // File names and transcript comments are hostile input too: the same capture under a name holding markup, and
  // a transcript whose name, comments and `source` line hold script.
  names.hostileFileName = "<img src=x onerror=alert(5)>.pcap";
  fs.copyFileSync(path.join(hostileDir, "hostile.pcap"), path.join(ws, names.hostileFileName));
  names.hostileTranscript = "<svg onload=alert(7)>.tlstrace";
  const trace = fs
    .readFileSync(path.join(ROOT, "samples", "tls13-x25519.tlstrace"), "utf8")
    .replace(/^source .*$/m, "source <script>alert(8)</script>")
    .replace(/^tls-transcript 1$/m, "# <script>alert(6)</script>\ntls-transcript 1 # <img src=x onerror=alert(9)>");
  fs.writeFileSync(path.join(ws, names.hostileTranscript), trace);
  // A handshake refused with unknown_ca (its key log beside it): the diagnoses spec.
  copy(path.join(ROOT, "test/fixtures/diagnoses/tls13-alert-unknown-ca.pcap"), "diagnoses");
  // QUIC: ngtcp2's client and server with a Retry (its key log beside it), and a Version Negotiation.
  const quicDir = path.join(ROOT, "test/fixtures/quic");
  copy(path.join(quicDir, "ngtcp2-retry.pcap"), "quic");
  copy(path.join(quicDir, "ngtcp2-vn.pcap"), "quicVn");
  const samples = path.join(ROOT, "samples");
  copy(
    firstExisting(...listDir(samples, /tls1[23].*\.pcap(ng)?$/), ...listDir(samples, /\.pcap(ng)?$/), path.join(shared, "tls12-ecdhe-rsa-aes128gcm.pcap")),
    "capture",
  );
  copy(
    firstExisting(...listDir(samples, /\.openssl-msg\.txt$/), ...listDir(samples, /\.tlstrace$/), path.join(shared, "tls13-openssl-s_client.openssl-msg.txt")),
    "transcript",
  );
  if (process.env.E2E_BIG !== "0" && fs.existsSync(BIG_CAPTURE)) {
    // A symlink: the 1 GB file is not copied; VS Code's file search follows links.
    fs.mkdirSync(path.join(ws, "big"));
    fs.symlinkSync(BIG_CAPTURE, path.join(ws, "big", path.basename(BIG_CAPTURE)));
    names.big = path.basename(BIG_CAPTURE);
    try {
      names.bigInfo = JSON.parse(fs.readFileSync(`${BIG_CAPTURE}.json`, "utf8"));
    } catch {
      /* optional */
    }
  }
  return { ws, names };
}

function loadSpecs(grep) {
  const tests = [];
  for (const file of listDir(SPECS, /\.spec\.js$/)) {
    const register = require(file);
    const t = { test: (name, fn, opts = {}) => tests.push({ file: path.basename(file), name, fn, timeout: opts.timeout ?? 60000 }) };
    register(t);
  }
  return grep ? tests.filter((x) => `${x.file} ${x.name}`.includes(grep)) : tests;
}

async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, rej) => {
    timer = setTimeout(() => rej(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runE2E(opts = {}) {
  const results = [];
  const perf = {};
  const record = (name, ok, ms, error) => {
    results.push({ name, ok, ms, error });
    console.log(`${ok ? "  ok  " : "  FAIL"} ${name} (${ms} ms)${error ? `\n        ${String(error).split("\n").slice(0, 4).join("\n        ")}` : ""}`);
  };
  if (!opts.noBuild && !buildExtension()) {
    record("build extension", false, 0, "node esbuild.mjs failed");
    return summarize(results, perf);
  }
  ensureCodeServer();
  fs.mkdirSync(SHOTS, { recursive: true });
  const { ws, names } = prepareWorkspace();
  const server = await startCodeServer({ keepTmp: opts.keep, settings: { "workbench.editor.enablePreview": false } });
  let browser;
  try {
    browser = await launchBrowser();
    const { page } = browser;
    const dialogs = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    const url = workbenchUrl(server, { folder: ws, extensionDevelopmentPath: EXTENSION_PATH });
    const wb = require(path.join(SPECS, "workbench.js"));
    const t0 = Date.now();
    try {
      const t = await wb.openWorkbench(page, url);
      perf["workbench.interactive"] = t.interactiveMs;
      record("workbench opens with the extension loaded", true, Date.now() - t0);
    } catch (e) {
      record("workbench opens with the extension loaded", false, Date.now() - t0, e.message);
      await page.screenshot({ path: path.join(SHOTS, "FAIL-workbench.png") }).catch(() => {});
      return summarize(results, perf);
    }
    const ctx = {
      page,
      wb,
      ws,
      files: names,
      root: ROOT,
      dialogs,
      pageErrors,
      shot: (name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) }).catch(() => {}),
      perf: (name, ms) => {
        perf[name] = Math.round(ms);
      },
      log: (m) => console.log(`        ${m}`),
      state: {}, // specs share what they learn (e.g. the frame of the open panel)
    };
    for (const test of loadSpecs(opts.grep)) {
      const start = Date.now();
      const label = `${test.file.replace(/\.spec\.js$/, "")}: ${test.name}`;
      try {
        const r = await withTimeout(
          Promise.resolve().then(() => test.fn(ctx)),
          test.timeout,
          label,
        );
        if (r === "skip") {
          console.log(`  skip ${label}`);
          continue;
        }
        record(label, true, Date.now() - start);
        if (opts.shotsAlways) await ctx.shot(label.replace(/[^\w.-]+/g, "_"));
      } catch (e) {
        record(label, false, Date.now() - start, e && e.message ? e.message : e);
        await ctx.shot(`FAIL-${label.replace(/[^\w.-]+/g, "_")}`);
        await page.keyboard.press("Escape").catch(() => {});
      }
    }
    if (dialogs.length) record("no alert()/confirm() dialog was opened by page content", false, 0, dialogs.join(" | "));
  } finally {
    if (browser) await browser.close();
    await server.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
  return summarize(results, perf);
}

function summarize(results, perf) {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  return { passed, failed, results, perf };
}

module.exports = { runE2E, prepareWorkspace };

if (require.main === module) {
  const flag = (n) => process.argv.includes(`--${n}`);
  const val = (n) => (process.argv.find((a) => a.startsWith(`--${n}=`)) || "").split("=").slice(1).join("=") || undefined;
  const t0 = Date.now();
  const hardStop = setTimeout(
    () => {
      console.log("e2e: overall timeout (20 min)\n0 passed, 1 failed");
      process.exit(3);
    },
    20 * 60 * 1000,
  );
  hardStop.unref();
  runE2E({ noBuild: flag("no-build"), grep: val("grep"), keep: flag("keep"), shotsAlways: flag("shots") })
    .then((r) => {
      console.log("\nmeasurements (ms):");
      for (const [k, v] of Object.entries(r.perf)) console.log(`  ${k.padEnd(34)} ${v}`);
      console.log(`screenshots: ${path.relative(process.cwd(), SHOTS) || SHOTS}`);
      console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      console.log(`E2E_RESULT ${JSON.stringify({ passed: r.passed, failed: r.failed, perf: r.perf })}`);
      console.log(`${r.passed} passed, ${r.failed} failed`);
      process.exit(r.failed ? 1 : 0);
    })
    .catch((e) => {
      console.error(e);
      console.log(`E2E_RESULT {"passed":0,"failed":1}\n0 passed, 1 failed`);
      process.exit(2);
    });
}
