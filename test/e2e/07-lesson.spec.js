// The guided lessons: the walkthrough starts the TLS 1.2 route; each route is stepped to its end in English and in
// Korean (the notes language), with the answer revealed on each step and screenshots of the steps worth seeing;
// one step jumps to the same message in a real capture.
"use strict";

const net = require("node:net");
const path = require("node:path");
const { spawn } = require("node:child_process");

/** A free loopback port (bound and released). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The panel's frame once it shows lesson step `n` (1-based) of a route, with that step's note loaded. */
async function lessonAt(wb, page, n) {
  const frame = await wb.frameWith(page, '[data-testid="lesson-count"]', { timeout: 30000 });
  const deadline = Date.now() + 20000;
  for (;;) {
    const el = frame.locator('[data-testid="lesson-count"]');
    const count = await el.innerText().catch(() => "");
    const index = await el.getAttribute("data-index").catch(() => null);
    const note = await frame.$('[data-testid="lesson"] [data-testid="note"] .note-title');
    if (index === String(n) && note) return { frame, count: Number(await el.getAttribute("data-count")) };
    if (Date.now() > deadline) throw new Error(`lesson did not reach step ${n} (shows "${count}")`);
    await wb.sleep(150);
  }
}

/**
 * Steps the shown route from its first step to its end: reveals each answer, checks the timeline follows, takes
 * a screenshot of each step. Returns the number of steps.
 */
async function stepRoute(wb, page, shot, prefix, log) {
  let { frame, count } = await lessonAt(wb, page, 1);
  const total = count;
  if (total < 8) throw new Error(`a route of ${total} steps`);
  let lastTitle = "";
  for (let i = 1; i <= total; i++) {
    ({ frame } = await lessonAt(wb, page, i));
    const title = await frame.locator('[data-testid="lesson-title"]').innerText();
    if (title === lastTitle) throw new Error(`step ${i} has the previous step's title "${title}"`);
    lastTitle = title;
    const question = await frame.locator('[data-testid="lesson-question"]').innerText();
    if (!question.trim()) throw new Error(`step ${i}: no question`);
    await frame.locator('[data-testid="lesson-reveal"]').click();
    await frame.locator('[data-testid="lesson-answer"]').waitFor({ state: "visible", timeout: 5000 });
    // The timeline is stepped with the lesson: a selected message row or a highlighted secret.
    const followed = await frame.evaluate(() => !!document.querySelector(".tl-row.selected, .ks-node.current, [aria-selected='true']"));
    if (!followed) log(`step ${i}: nothing selected in the timeline or key schedule`);
    // The card as a student first sees it (the click above scrolled it to the answer).
    await frame.evaluate(() => {
      const card = document.querySelector(".lesson-card");
      if (card) card.scrollTop = 0;
    });
    await wb.sleep(300);
    await shot(`${prefix}-${String(i).padStart(2, "0")}`);
    if (i < total) await frame.locator('[data-testid="lesson-next"]').click();
  }
  await frame.locator('[data-testid="lesson-done"]').waitFor({ timeout: 5000 });
  return total;
}

/** Hides the primary side bar (the lesson wants the panel's width) and returns how to put it back. */
async function wideEditor(page, wb) {
  const sidebar = page.locator(".monaco-workbench .part.sidebar");
  if (!(await sidebar.isVisible().catch(() => false))) return async () => {};
  await wb.runCommand(page, "View: Toggle Primary Side Bar Visibility");
  await wb.sleep(300);
  return async () => {
    if (!(await sidebar.isVisible().catch(() => false))) await wb.runCommand(page, "View: Toggle Primary Side Bar Visibility");
  };
}

module.exports = (t) => {
  t.test(
    "walkthrough: the study walkthrough lists the lessons and starts the TLS 1.2 route",
    async ({ page, wb, shot }) => {
      await wb.closeAllEditors(page);
      await wb.runCommand(page, "Welcome: Open Walkthrough");
      const input = page.locator(".quick-input-widget input");
      await input.waitFor({ timeout: 15000 });
      await input.fill("Learn the HTTPS handshake");
      await page.locator(".quick-input-list .monaco-list-row", { hasText: "Learn the HTTPS handshake" }).first().waitFor({ timeout: 15000 });
      await page.keyboard.press("Enter");
      const start = page.getByText("Start the TLS 1.2 lesson", { exact: true }).first();
      await start.waitFor({ timeout: 20000 });
      await shot("walkthrough-en");
      await start.click();
      await lessonAt(wb, page, 1);
      await shot("lesson12-en-start");
    },
    { timeout: 90000 },
  );

  t.test(
    "lesson: both routes stepped to the end in English, one step shown in a real capture",
    async ({ page, wb, shot, log }) => {
      // (The walkthrough test left the TLS 1.2 route at step 1; start it fresh from the command either way.)
      const restore = await wideEditor(page, wb);
      try {
        await wb.runCommand(page, "TLS: Start Lesson");
        await page.locator(".quick-input-list .monaco-list-row", { hasText: "TLS 1.2" }).first().waitFor({ timeout: 15000 });
        await page.locator(".quick-input-list .monaco-list-row", { hasText: "TLS 1.2" }).first().click();
        const n12 = await stepRoute(wb, page, shot, "lesson12-en", log);
        log(`TLS 1.2 route: ${n12} steps`);
        let { frame } = await lessonAt(wb, page, n12);
        await frame.locator('[data-testid="lesson-other"]').click();
        const n13 = await stepRoute(wb, page, shot, "lesson13-en", log);
        log(`TLS 1.3 route: ${n13} steps`);
        // Back to step 1 of TLS 1.3 and into the real capture of the same message.
        ({ frame } = await lessonAt(wb, page, n13));
        for (let i = n13; i > 1; i--) {
          await frame.locator('[data-testid="lesson-back"]').click();
          ({ frame } = await lessonAt(wb, page, i - 1));
        }
        await frame.locator('[data-testid="lesson-capture"]').click();
        const cap = await wb.frameWith(page, 'body[data-mode="editor"] [data-testid="timeline-message"]', { timeout: 30000 });
        const deadline = Date.now() + 15000;
        for (;;) {
          const sel = await cap.evaluate(() => document.querySelector(".fi-name")?.textContent ?? "");
          if (/ClientHello/.test(sel)) break;
          if (Date.now() > deadline) throw new Error(`the capture did not open at ClientHello (shows "${sel}")`);
          await wb.sleep(200);
        }
        await shot("lesson13-en-capture");
      } finally {
        await restore();
      }
    },
    { timeout: 240000 },
  );

  t.test(
    "lesson: both routes stepped to the end in Korean",
    async ({ page, wb, shot, log }) => {
      await wb.closeAllEditors(page);
      await wb.runCommand(page, "TLS: Switch Notes Language");
      const restore = await wideEditor(page, wb);
      try {
        await wb.runCommand(page, "TLS: Start Lesson");
        const row = page.locator(".quick-input-list .monaco-list-row", { hasText: "TLS 1.2" }).first();
        await row.waitFor({ timeout: 15000 });
        await row.click();
        const { frame } = await lessonAt(wb, page, 1);
        const title = await frame.locator('[data-testid="lesson-count"]').innerText();
        // (lessonAt's count is the route's length; the line itself must be Korean.)
        if (!/단계/.test(title)) throw new Error(`the lesson is not in Korean: "${title}"`);
        const n12 = await stepRoute(wb, page, shot, "lesson12-ko", log);
        const last = await lessonAt(wb, page, n12);
        await last.frame.locator('[data-testid="lesson-other"]').click();
        const n13 = await stepRoute(wb, page, shot, "lesson13-ko", log);
        log(`Korean routes: ${n12} + ${n13} steps`);
        const end = await lessonAt(wb, page, n13);
        await end.frame.locator('[data-testid="lesson-exit"]').click();
        await end.frame.locator('[data-testid="lesson"]').waitFor({ state: "hidden", timeout: 10000 });
      } finally {
        await restore();
        await wb.runCommand(page, "TLS: Switch Notes Language"); // back to English for the tests that follow
      }
    },
    { timeout: 240000 },
  );

  t.test(
    "lesson: a step seen live — connect to a local tls-handshake serve from the lesson",
    async ({ page, wb, shot }) => {
      const port = await freePort();
      const cli = path.resolve(__dirname, "../../dist/cli.js");
      const server = spawn(process.execPath, [cli, "serve", "--host", "127.0.0.1", "--port", String(port), "--max-connections", "2"], { stdio: "ignore" });
      try {
        await wb.sleep(1500);
        await wb.runCommand(page, "TLS: Start Lesson");
        const row = page.locator(".quick-input-list .monaco-list-row", { hasText: "TLS 1.3" }).first();
        await row.waitFor({ timeout: 15000 });
        await row.click();
        const { frame } = await lessonAt(wb, page, 1);
        await frame.locator('[data-testid="lesson-live"]').click();
        const input = page.locator(".quick-input-widget input");
        await input.waitFor({ timeout: 15000 });
        await input.fill(`127.0.0.1:${port}`);
        await page.keyboard.press("Enter");
        const deadline = Date.now() + 30000;
        for (;;) {
          const title = await frame.evaluate(() => document.querySelector(".doc-title")?.textContent ?? "");
          const lesson = await frame.$('[data-testid="lesson"]:not([hidden])');
          if (title.includes(String(port)) && lesson) break;
          if (Date.now() > deadline) throw new Error(`the live connection did not show in the lesson (title "${title}")`);
          await wb.sleep(200);
        }
        await wb.sleep(400);
        await shot("lesson13-en-live");
        await frame.locator('[data-testid="lesson-close"]').click();
        await frame.locator('[data-testid="lesson"]').waitFor({ state: "hidden", timeout: 10000 });
      } finally {
        server.kill();
      }
    },
    { timeout: 90000 },
  );
};
