#!/usr/bin/env node
// Runs the extension-host tests (test/integration, mocha) inside a real VS Code 1.100 workbench and prints
// `integration: N passed, N failed`.
//   default      code-server from .code-server/ (installed on demand) + Debian Chromium via playwright-core: the
//                workbench is given extensionDevelopmentPath + extensionTestsPath in its `payload` and calls the
//                page's codeAutomationExit/codeAutomationLog when the tests end (what VS Code's smoke tests use).
//   --desktop    @vscode/test-electron (downloads VS Code: needs internet; not a dependency of this project,
//                install it yourself). On Linux wrap in xvfb-run.
// Options: --no-build  --grep=TEXT  --timeout=MS (whole run, default 240000)  --keep (keep the server profile)
//          --restricted  only test/integration/restricted.test.ts, in a workbench with workspace trust on and the
//                        test folder untrusted (restricted mode); without it, every other test file, trust off
// Module API: runIntegration(opts) -> Promise<{ passed, failed, outcomes, perf }>.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const util = require("node:util");
const { spawnSync } = require("node:child_process");
const { ROOT, codeServerEntry, startCodeServer, workbenchUrl } = require("./server");
const { launchBrowser } = require("./browser");
const { buildExtension, buildIntegrationTests } = require("./build");

// TLS_EXTENSION_PATH: load another build of the extension (e.g. a stub while debugging this runner).
const EXTENSION_PATH = process.env.TLS_EXTENSION_PATH ? path.resolve(process.env.TLS_EXTENSION_PATH) : ROOT;

function ensureCodeServer() {
  if (codeServerEntry()) return;
  const r = spawnSync("sh", [path.join(__dirname, "install-code-server.sh")], { stdio: "inherit", timeout: 15 * 60 * 1000 });
  if (r.status !== 0 || !codeServerEntry()) throw new Error("could not install code-server (scripts/vscode/install-code-server.sh)");
}

function readResult(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

async function runInCodeServer({ testsEntry, resultFile, workspace, timeoutMs, grep, keep, log, restricted }) {
  ensureCodeServer();
  const server = await startCodeServer({
    log,
    keepTmp: keep,
    workspaceTrust: !!restricted,
    env: { TLS_IT_RESULT: resultFile, ...(grep ? { TLS_IT_GREP: grep } : {}), ...(restricted ? { TLS_IT_SUITE: "restricted" } : {}) },
  });
  let browser;
  try {
    browser = await launchBrowser();
    const { page } = browser;
    let finish;
    const finished = new Promise((r) => (finish = r));
    const hostLogPath = path.join(os.tmpdir(), `tls-it-host-${process.pid}.log`);
    const hostLog = fs.createWriteStream(hostLogPath);
    await page.exposeFunction("codeAutomationLog", (type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      hostLog.write(`[${type}] ${line}\n`);
      // Our reporter's lines and measurements go to stdout; the workbench's own chatter only to the log file.
      if (/^( {2}(ok|FAIL) |PERF |mocha: )/.test(line) || process.env.SHOW_LOGS) console.log(line);
    });
    await page.exposeFunction("codeAutomationExit", (code) => finish({ code }));
    page.on("pageerror", (e) => hostLog.write(`[page error] ${e.message}\n`));
    const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: EXTENSION_PATH, extensionTestsPath: testsEntry });
    const timer = setTimeout(() => finish({ code: "timeout" }), timeoutMs);
    await page.goto(url, { timeout: 60000 });
    const { code } = await finished;
    clearTimeout(timer);
    await new Promise((r) => hostLog.end(r));
    if (code === "timeout") console.log(`integration: the run did not finish within ${timeoutMs} ms`);
    // Keep the workbench's log only when something went wrong.
    if (code === 0) fs.rmSync(hostLogPath, { force: true });
    else console.log(`workbench log: ${hostLogPath}`);
    return code;
  } finally {
    if (browser) await browser.close();
    await server.stop();
  }
}

async function runInDesktop({ testsEntry, workspace, restricted }) {
  let runTests;
  try {
    ({ runTests } = require("@vscode/test-electron"));
  } catch {
    throw new Error("--desktop needs @vscode/test-electron (npm i -D @vscode/test-electron) and internet access");
  }
  try {
    await runTests({
      extensionDevelopmentPath: EXTENSION_PATH,
      extensionTestsPath: testsEntry,
      launchArgs: [workspace, "--disable-extensions", ...(restricted ? [] : ["--disable-workspace-trust"])],
      extensionTestsEnv: restricted ? { TLS_IT_SUITE: "restricted" } : {},
    });
    return 0;
  } catch {
    return 1;
  }
}

async function runIntegration(opts = {}) {
  const log = opts.verbose ? (m) => console.log(`[integration] ${m}`) : () => {};
  if (!opts.noBuild && !buildExtension()) return { passed: 0, failed: 1, outcomes: [{ title: "build", state: "failed" }], perf: {} };
  const testsEntry = buildIntegrationTests();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "tls-it-ws-"));
  const resultFile = path.join(workspace, "..", `${path.basename(workspace)}-result.json`);
  process.env.TLS_IT_RESULT = resultFile; // for --desktop: the extension host inherits it
  try {
    const code = opts.desktop
      ? await runInDesktop({ testsEntry, workspace, restricted: opts.restricted })
      : await runInCodeServer({
          testsEntry,
          resultFile,
          workspace,
          timeoutMs: opts.timeoutMs ?? 240000,
          grep: opts.grep,
          keep: opts.keep,
          log,
          restricted: opts.restricted,
        });
    const result = readResult(resultFile) || { passed: 0, failed: 0, outcomes: [], perf: {} };
    // A run that died before mocha reported (timeout, crash in activate) counts as one failure.
    if (code !== 0 && result.failed === 0) {
      result.failed = 1;
      result.outcomes.push({ title: `test run (exit ${code})`, state: "failed" });
    }
    return result;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(resultFile, { force: true });
  }
}

module.exports = { runIntegration };

if (require.main === module) {
  const flag = (n) => process.argv.includes(`--${n}`);
  const val = (n) => (process.argv.find((a) => a.startsWith(`--${n}=`)) || "").split("=").slice(1).join("=") || undefined;
  const t0 = Date.now();
  runIntegration({
    noBuild: flag("no-build"),
    desktop: flag("desktop"),
    restricted: flag("restricted"),
    grep: val("grep"),
    keep: flag("keep"),
    verbose: flag("verbose"),
    timeoutMs: val("timeout") ? Number(val("timeout")) : undefined,
  })
    .then((r) => {
      for (const o of r.outcomes.filter((x) => x.state === "failed")) console.log(`failed: ${o.title}${o.error ? `\n  ${o.error.split("\n")[0]}` : ""}`);
      if (Object.keys(r.perf || {}).length) {
        console.log("measurements (ms):");
        for (const [k, v] of Object.entries(r.perf)) console.log(`  ${k.padEnd(24)} ${Math.round(v)}`);
      }
      console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      console.log(`INTEGRATION_RESULT ${JSON.stringify({ passed: r.passed, failed: r.failed, perf: r.perf })}`);
      console.log(`${r.passed} passed, ${r.failed} failed`);
      process.exit(r.failed ? 1 : 0);
    })
    .catch((e) => {
      console.error(e);
      console.log("0 passed, 1 failed");
      process.exit(2);
    });
}
