// Starts and stops a private code-server (VS Code 1.100 web workbench + Node extension host) for the extension
// tests and `npm start`. Every wait is bounded; the server runs in its own process group so stop() can end the
// extension host and file watchers it spawned, and nothing else.
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "../..");
const CODE_SERVER_DIR = process.env.CODE_SERVER_DIR || path.join(ROOT, ".code-server");
const ENTRY = path.join(CODE_SERVER_DIR, "node_modules/code-server/out/node/entry.js");

function codeServerEntry() {
  return fs.existsSync(ENTRY) ? ENTRY : undefined;
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
function freePort(host = "127.0.0.1") {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, host, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** True if something already listens on host:port. */
function portInUse(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    const done = (v) => {
      sock.destroy();
      resolve(v);
    };
    sock.setTimeout(1000, () => done(false));
    sock.on("connect", () => done(true));
    sock.on("error", () => done(false));
  });
}

function httpGet(url, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => {
        if (body.length < 4 * 1024 * 1024) body += d;
      });
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${url}: timeout`)));
    req.on("error", reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts code-server on 127.0.0.1.
 * @param {object} [opts]
 * @param {number} [opts.port]          fixed port (default: a free one)
 * @param {string} [opts.folder]        folder to open on the command line (the URL can still pick another)
 * @param {number} [opts.timeoutMs]     how long to wait for /healthz (default 60 s)
 * @param {string[]} [opts.extraArgs]
 * @param {Record<string,string>} [opts.env]   extra environment (the extension host inherits it)
 * @param {boolean} [opts.keepTmp] keep the temp profile (and server.log) after stop()
 * @param {object} [opts.settings]  user settings.json for this private profile
 * @param {boolean} [opts.workspaceTrust] turn workspace trust on (default off): folders open in restricted mode,
 *   without the startup prompt
 * @param {(msg: string) => void} [opts.log]
 * @returns {Promise<{pid:number, port:number, base:string, authority:string, tmp:string, logFile:string,
 *   stop:() => Promise<void>}>}
 */
async function startCodeServer(opts = {}) {
  const entry = codeServerEntry();
  if (!entry) throw new Error(`code-server is not installed in ${CODE_SERVER_DIR}; run scripts/vscode/install-code-server.sh`);
  const log = opts.log || (() => {});
  const host = "127.0.0.1";
  const port = opts.port ?? (await freePort(host));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tls-cs-"));
  for (const d of ["ud", "ext", "xdg-config", "xdg-data", "xdg-cache"]) fs.mkdirSync(path.join(tmp, d));
  // A quiet profile: no marketplace or update traffic, no welcome page, no trust prompt.
  const settings = {
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "update.mode": "none",
    "telemetry.telemetryLevel": "off",
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "security.workspace.trust.enabled": !!opts.workspaceTrust,
    "git.enabled": false,
    // With trust on: no modal at startup, so the folder simply opens untrusted (restricted mode).
    "security.workspace.trust.startupPrompt": "never",
    "security.workspace.trust.untrustedFiles": "open",
    "chat.disableAIFeatures": true,
    "workbench.enableExperiments": false,
    ...(opts.settings || {}),
  };
  fs.mkdirSync(path.join(tmp, "ud", "User"), { recursive: true });
  fs.writeFileSync(path.join(tmp, "ud", "User", "settings.json"), JSON.stringify(settings, null, 2));
  const logFile = path.join(tmp, "server.log");
  const out = fs.openSync(logFile, "a");
  const args = [
    entry,
    "--config",
    "/dev/null",
    "--bind-addr",
    `${host}:${port}`,
    "--auth",
    "none",
    "--user-data-dir",
    path.join(tmp, "ud"),
    "--extensions-dir",
    path.join(tmp, "ext"),
    "--disable-telemetry",
    "--disable-update-check",
    ...(opts.workspaceTrust ? [] : ["--disable-workspace-trust"]),
    "--disable-getting-started-override",
    "--ignore-last-opened",
    ...(opts.extraArgs || []),
    ...(opts.folder ? [opts.folder] : []),
  ];
  // Private XDG dirs: code-server writes its config and logs under them, never into the user's home.
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ["ignore", out, out],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(tmp, "xdg-config"),
      XDG_DATA_HOME: path.join(tmp, "xdg-data"),
      XDG_CACHE_HOME: path.join(tmp, "xdg-cache"),
      ...(opts.env || {}),
    },
  });
  fs.closeSync(out);
  let exited = null;
  child.on("exit", (code, signal) => {
    exited = { code, signal };
  });
  const pid = child.pid;

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    process.removeListener("exit", onExit);
    if (exited) return;
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      /* already gone */
    }
    for (let i = 0; i < 50 && !exited; i++) await sleep(100);
    if (!exited) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    if (!opts.keepTmp) fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  }
  // Last resort if the caller crashes: a synchronous kill of the group we started.
  const onExit = () => {
    if (!exited) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  };
  process.on("exit", onExit);

  const base = `http://${host}:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60000);
  for (;;) {
    if (exited) throw new Error(`code-server exited (${JSON.stringify(exited)}); log: ${tail(logFile)}`);
    try {
      const r = await httpGet(`${base}/healthz`, 2000);
      if (r.status === 200) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer /healthz within ${opts.timeoutMs ?? 60000} ms; log: ${tail(logFile)}`);
    }
    await sleep(150);
  }
  // The remote authority the workbench uses for vscode-remote:// URIs is in the page's data-settings.
  let authority = "remote";
  try {
    const html = (await httpGet(`${base}/`, 10000)).body;
    const m = /data-settings="([^"]*)"/.exec(html);
    if (m) authority = JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&amp;/g, "&")).remoteAuthority || authority;
  } catch (e) {
    log(`could not read remoteAuthority, assuming "remote": ${e.message}`);
  }
  log(`code-server ${base} pid ${pid} (log ${logFile})`);
  return { pid, port, base, authority, tmp, logFile, stop };
}

function tail(file, n = 2000) {
  try {
    const s = fs.readFileSync(file, "utf8");
    return s.slice(-n);
  } catch {
    return "(no log)";
  }
}

/**
 * Builds the workbench URL: opens `folder` (or `workspace`) with the extension loaded from source and, for
 * extension-host tests, the mocha entry point.
 * @param {{base:string, authority:string}} server
 * @param {{folder?:string, extensionDevelopmentPath?:string, extensionTestsPath?:string}} o
 */
function workbenchUrl(server, o = {}) {
  const remote = (p) => `vscode-remote://${server.authority}${path.resolve(p)}`;
  const payload = [];
  if (o.extensionDevelopmentPath) payload.push(["extensionDevelopmentPath", remote(o.extensionDevelopmentPath)]);
  if (o.extensionTestsPath) payload.push(["extensionTestsPath", remote(o.extensionTestsPath)]);
  const q = [];
  if (o.folder) q.push(`folder=${encodeURIComponent(path.resolve(o.folder))}`);
  if (payload.length) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.base}/${q.length ? "?" + q.join("&") : ""}`;
}

module.exports = { ROOT, CODE_SERVER_DIR, codeServerEntry, freePort, portInUse, httpGet, startCodeServer, workbenchUrl, sleep };
