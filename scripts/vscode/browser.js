// Launches Debian's Chromium through playwright-core (no browser download) with a fresh profile, flags that keep
// it off the network, and helpers for VS Code's web workbench DOM.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** @returns {Promise<{ctx: import('playwright-core').BrowserContext, page: import('playwright-core').Page, close: () => Promise<void>}>} */
async function launchBrowser(opts = {}) {
  const { chromium } = require("playwright-core");
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium (or set CHROMIUM_PATH)`);
  const udd = fs.mkdtempSync(path.join(os.tmpdir(), "tls-chromium-"));
  const ctx = await chromium.launchPersistentContext(udd, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: opts.viewport || { width: 1440, height: 900 },
    args: FLAGS,
    timeout: 60000,
    // Chromium keeps crash-report state under $XDG_CONFIG_HOME even with a user-data-dir: keep it in the temp dir.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(udd, ".config"), XDG_CACHE_HOME: path.join(udd, ".cache") },
  });
  ctx.setDefaultTimeout(opts.defaultTimeout || 30000);
  const page = ctx.pages()[0] || (await ctx.newPage());
  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    await Promise.race([ctx.close().catch(() => {}), new Promise((r) => setTimeout(r, 15000))]);
    fs.rmSync(udd, { recursive: true, force: true, maxRetries: 3 });
  }
  return { ctx, page, close };
}

module.exports = { launchBrowser, CHROMIUM, FLAGS };
