// Set-up shared by `npm start` and `npm test` on a fresh clone: install the npm dependencies from the lock file
// when they are missing, and (for tests, as root on Debian) the Debian packages the tests drive as real peers.
// Idempotent and quiet when everything is already there.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");

function ensureNodeModules() {
  if (fs.existsSync(path.join(ROOT, "node_modules/.bin/esbuild")) && fs.existsSync(path.join(ROOT, "node_modules/@noble/curves"))) return;
  console.log("installing npm dependencies (npm ci)…");
  const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: ROOT, stdio: "inherit", timeout: 15 * 60 * 1000 });
  if (r.status !== 0) throw new Error("npm ci failed");
}

const TEST_PACKAGES = {
  openssl: "openssl",
  curl: "curl",
  tshark: "tshark",
  chromium: "chromium",
  rg: "ripgrep",
  python3: "python3",
  // ngtcp2's example QUIC client and server (test/tools/record-quic.sh).
  gtlsclient: "ngtcp2-client",
  gtlsserver: "ngtcp2-server",
  tcpdump: "tcpdump",
  // The interop matrix's other real peers (test/interop).
  "gnutls-serv": "gnutls-bin",
  nginx: "nginx-light",
  tinyproxy: "tinyproxy",
};

function ensureTestPackages() {
  const missing = Object.entries(TEST_PACKAGES)
    .filter(([cmd]) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status !== 0)
    .map(([, pkg]) => pkg);
  if (!missing.length) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (!isRoot || !hasApt) {
    console.log(`note: missing ${missing.join(", ")}; install them (Debian: sudo apt-get install ${missing.join(" ")}) for the interop and UI tests`);
    return;
  }
  console.log(`installing Debian packages: ${missing.join(" ")}…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env, timeout: 10 * 60 * 1000 });
  spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing, "libkrb5-dev"], { stdio: "inherit", env, timeout: 20 * 60 * 1000 });
}

module.exports = { ensureNodeModules, ensureTestPackages };
