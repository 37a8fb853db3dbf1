// Helpers for driving VS Code's web workbench (code-server 4.100 = VS Code 1.100) with playwright-core.
// DOM facts used here: quick input `.quick-input-widget`, list rows `.monaco-list-row`, code lenses
// `.codelens-decoration`, webviews = `iframe.webview.ready` (host) > `iframe#active-frame` (the extension's html).
"use strict";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Opens the workbench and waits until it is interactive (status bar + explorer rows). Returns timings. */
async function openWorkbench(page, url) {
  const t0 = Date.now();
  await page.goto(url, { timeout: 60000 });
  await page.locator(".monaco-workbench").waitFor({ timeout: 60000 });
  const dom = Date.now() - t0;
  await page.locator(".monaco-workbench .part.statusbar").waitFor({ timeout: 60000 });
  await page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ timeout: 60000 });
  return { domMs: dom, interactiveMs: Date.now() - t0 };
}

async function focusWorkbench(page) {
  await page.keyboard.press("Escape").catch(() => {});
  await page
    .locator(".monaco-workbench .part.statusbar")
    .click({ position: { x: 5, y: 5 } })
    .catch(() => {});
}

/** F1, type the command's full title ("TLS: Open Handshake Panel"), Enter. Returns when Enter was pressed (ms). */
async function runCommand(page, title, { timeout = 30000 } = {}) {
  await focusWorkbench(page);
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ timeout });
  await input.fill(">" + title);
  const row = page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first();
  await row.waitFor({ timeout });
  const pressedAt = Date.now();
  await page.keyboard.press("Enter");
  return pressedAt;
}

/** Ctrl+P, type a file name, Enter. */
async function quickOpen(page, file, { timeout = 30000 } = {}) {
  await focusWorkbench(page);
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ timeout });
  await input.fill(file);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: file }).first().waitFor({ timeout });
  const pressedAt = Date.now();
  await page.keyboard.press("Enter");
  return pressedAt;
}

async function closeAllEditors(page) {
  await runCommand(page, "View: Close All Editors").catch(() => {});
  await sleep(300);
}

/** The document of the visible webview (custom editor or panel) with the given DOM hook. */
function webviewWith(page, selector) {
  return page.frameLocator("iframe.webview.ready >> visible=true").frameLocator("#active-frame").locator(selector);
}

/** Every webview's inner document currently loaded (Playwright Frame objects). */
function webviewFrames(page) {
  return page
    .frames()
    .filter((f) => /\/fake\.html|index\.html.*purpose=webview|vscode-webview|webview/.test(f.url()) && f.parentFrame() && f.parentFrame().parentFrame());
}

/** True if a frame and every iframe holding it are visible (VS Code hides inactive webviews, it keeps them). */
async function frameShown(frame) {
  for (let f = frame, depth = 0; f && f.parentFrame() && depth < 8; f = f.parentFrame(), depth++) {
    const el = await f.frameElement().catch(() => null);
    if (!el || !(await el.isVisible().catch(() => false))) return false;
  }
  return true;
}

/**
 * Polls every frame of the page for one whose document has `selector`; returns that Frame. With `visible`
 * (default) the element and the frame holding it must be on screen, so a hidden editor's webview is skipped.
 */
async function frameWith(page, selector, { timeout = 30000, visible = true } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const f of page.frames()) {
      try {
        const els = await f.$$(selector);
        if (!els.length) continue;
        if (!visible) return f;
        let shown = false;
        for (const el of els.slice(0, 50))
          if (await el.isVisible()) {
            shown = true;
            break;
          }
        if (shown && (await frameShown(f))) return f;
      } catch {
        /* frame navigated */
      }
    }
    if (Date.now() > deadline) throw new Error(`no ${visible ? "visible " : ""}frame shows ${selector} within ${timeout} ms; ${await describeWebviews(page)}`);
    await sleep(100);
  }
}

/** One line about the webview iframes on the page, for failure messages. */
async function describeWebviews(page) {
  const hosts = await page
    .locator("iframe.webview")
    .evaluateAll((els) =>
      els.map((e) => `${e.className.replace(/\s+/g, ".")}${getComputedStyle(e.parentElement || e).visibility === "hidden" ? "(hidden)" : ""}`),
    )
    .catch(() => []);
  const inner = [];
  for (const f of page.frames()) {
    if (!f.parentFrame() || !f.parentFrame().parentFrame()) continue;
    const ids = await f
      .evaluate(() => [...new Set([...document.querySelectorAll("[data-testid]")].map((e) => e.getAttribute("data-testid")))].slice(0, 8).join(","))
      .catch(() => "?");
    inner.push(`[${ids || "empty"}]`);
  }
  return `webview hosts: ${hosts.join(" ") || "none"}; documents: ${inner.join(" ") || "none"}`;
}

/** Opens the "TLS Handshake" activity-bar container (idempotent). */
async function openSideBar(page, title = "TLS Handshake") {
  const link = page.locator(`.activitybar .action-item a[aria-label^="${title}"]`).first();
  await link.waitFor({ timeout: 30000 });
  const item = page.locator(".activitybar .action-item", { has: page.locator(`a[aria-label^="${title}"]`) }).first();
  if (!/\bchecked\b/.test((await item.getAttribute("class")) || "")) await link.click();
  await page.locator(".part.sidebar .pane").first().waitFor({ timeout: 30000 });
}

/**
 * Rows of one view pane of the open side bar container. Panes are found by title when the header shows it, else
 * by position (`index`: contribution order), since a view's header may show only its description.
 */
async function viewPane(page, paneTitle, index) {
  await page.locator(".part.sidebar .pane").first().waitFor({ timeout: 30000 });
  const byTitle = page.locator(".part.sidebar .pane", { has: page.locator(".pane-header .title", { hasText: paneTitle }) });
  const pane = (await byTitle.count()) ? byTitle.first() : page.locator(".part.sidebar .pane").nth(index ?? 0);
  const header = pane.locator(".pane-header");
  if ((await header.getAttribute("aria-expanded")) !== "true") await header.click();
  return pane;
}

async function viewRows(page, paneTitle, index) {
  return (await viewPane(page, paneTitle, index)).locator(".monaco-list-row");
}

/** Checks a frame for elements or attributes that hostile strings could have injected. */
async function injectedMarkup(frame) {
  return frame.evaluate(() => {
    const found = [];
    for (const el of document.querySelectorAll("*")) {
      for (const a of el.attributes) if (/^on/i.test(a.name)) found.push(`<${el.tagName.toLowerCase()} ${a.name}>`);
      if (el.tagName === "SCRIPT" && /alert\(/.test(el.textContent || "")) found.push("<script>alert(...)");
      if (el.tagName === "IMG" && el.getAttribute("src") === "x") found.push("<img src=x>");
      if (el.tagName.toLowerCase() === "svg" && el.hasAttribute("onload")) found.push("<svg onload>");
    }
    return found;
  });
}

module.exports = {
  sleep,
  openWorkbench,
  focusWorkbench,
  runCommand,
  quickOpen,
  closeAllEditors,
  webviewWith,
  webviewFrames,
  frameWith,
  frameShown,
  openSideBar,
  describeWebviews,
  viewPane,
  viewRows,
  injectedMarkup,
};
