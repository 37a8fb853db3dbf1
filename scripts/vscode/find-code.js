#!/usr/bin/env node
// Which VS Code to run the extension in: the desktop `code` if it is on PATH, else our code-server install.
// As a module: findCode() -> { kind: "desktop", bin } | { kind: "code-server", entry } | undefined.
// As a script: prints "desktop <path>" or "code-server <entry.js>", exit 1 if neither is available.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { codeServerEntry } = require("./server");

function onPath(name) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

function findCode() {
  // A `code` that is itself code-server's remote CLI (inside a code-server terminal) cannot open a dev host.
  const bin = process.env.TLS_NO_DESKTOP_CODE ? undefined : onPath("code");
  if (bin && !/code-server|remote-cli/.test(fs.realpathSync(bin))) return { kind: "desktop", bin };
  const entry = codeServerEntry();
  return entry ? { kind: "code-server", entry } : undefined;
}

module.exports = { findCode, onPath };

if (require.main === module) {
  const c = findCode();
  if (!c) {
    console.error("no VS Code found: install code-server with scripts/vscode/install-code-server.sh");
    process.exit(1);
  }
  console.log(c.kind === "desktop" ? `desktop ${c.bin}` : `code-server ${c.entry}`);
}
