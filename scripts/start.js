#!/usr/bin/env node
// `npm start`: build the extension, then open samples/ in a VS Code with the extension loaded from source.
//   desktop `code` on PATH  → code --extensionDevelopmentPath=<repo> <repo>/samples (returns at once)
//   otherwise               → code-server (installed into .code-server/ on first use) on 127.0.0.1:8080, or a free
//                             port if 8080 is taken; prints the URL and serves until Ctrl-C, then stops it.
// Options: --port=N  --no-build  --code-server (skip the desktop check)
"use strict";
require("./bootstrap").ensureNodeModules();
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { findCode } = require("./vscode/find-code");
const { ROOT, codeServerEntry, freePort, portInUse, startCodeServer, workbenchUrl } = require("./vscode/server");
const { buildExtension } = require("./vscode/build");

const flag = (n) => process.argv.includes(`--${n}`);
const val = (n) => (process.argv.find((a) => a.startsWith(`--${n}=`)) || "").split("=").slice(1).join("=") || undefined;
const SAMPLES = path.join(ROOT, "samples");

async function main() {
  if (!flag("no-build")) {
    process.stdout.write("building the extension (node esbuild.mjs)… ");
    if (!buildExtension()) process.exit(1);
    console.log("done");
  }
  const folder = fs.existsSync(SAMPLES) ? SAMPLES : ROOT;
  const found = flag("code-server") ? undefined : findCode();
  if (found && found.kind === "desktop") {
    console.log(`opening ${folder} in VS Code (${found.bin}) with the extension loaded from ${ROOT}`);
    const r = spawnSync(found.bin, [`--extensionDevelopmentPath=${ROOT}`, folder], { stdio: "inherit", timeout: 60000 });
    process.exit(r.status ?? 0);
  }
  if (!codeServerEntry()) {
    console.log("VS Code desktop not found; installing code-server into .code-server/ (once, about a minute)…");
    const r = spawnSync("sh", [path.join(__dirname, "vscode/install-code-server.sh")], { stdio: "inherit", timeout: 15 * 60 * 1000 });
    if (r.status !== 0 || !codeServerEntry()) {
      console.error("code-server install failed");
      process.exit(1);
    }
  }
  let port = Number(val("port") || process.env.PORT || 8080);
  if (await portInUse(port)) {
    const alt = await freePort();
    console.log(`port ${port} is in use; using ${alt}`);
    port = alt;
  }
  const server = await startCodeServer({ port, keepTmp: false });
  const url = workbenchUrl(server, { folder, extensionDevelopmentPath: ROOT });
  console.log(`\nVS Code (code-server ${require(path.join(path.dirname(codeServerEntry()), "../../package.json")).version}) with TLS Handshake Explorer:`);
  console.log(`  ${url}\n`);
  console.log(`Open that URL in a browser on this machine (it listens on 127.0.0.1 only). Server log: ${server.logFile}`);
  console.log("Ctrl-C stops it. After changing code: `npm run build` (or `npm run watch`), then reload the window.");
  let stopping = false;
  const stop = async (sig) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${sig}: stopping code-server (pid ${server.pid})…`);
    await server.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  // Keep running while the server does; if it dies, say so and exit.
  const timer = setInterval(() => {
    try {
      process.kill(server.pid, 0);
    } catch {
      clearInterval(timer);
      console.error("code-server exited; see its log above");
      process.exit(1);
    }
  }, 2000);
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
