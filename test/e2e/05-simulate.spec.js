// "TLS: Simulate Handshake…" runs the handshake engine; the panel lists the steps and Next/Prev walk them.
"use strict";

async function snapshot(frame) {
  // Everything the panel shows (timeline, step bar, key schedule, details): a step must change some of it.
  return frame.evaluate(() => document.body.innerHTML);
}

module.exports = (t) => {
  t.test(
    "simulate a handshake and step through it",
    async ({ page, wb, shot, perf }) => {
      await wb.closeAllEditors(page);
      const t0 = Date.now();
      await wb.runCommand(page, "TLS: Simulate Handshake");
      // Accept the defaults of any quick pick / input box the command asks (bounded).
      for (let i = 0; i < 8; i++) {
        await wb.sleep(400);
        const qi = page.locator(".quick-input-widget");
        if (!(await qi.isVisible().catch(() => false))) break;
        await page.keyboard.press("Enter");
      }
      const frame = await wb.frameWith(page, '[data-testid="simulate-form"], [data-testid="timeline-message"]', { timeout: 30000 });
      if (await frame.$('[data-testid="simulate-run"]')) {
        if (!(await frame.$('[data-testid="timeline-message"]'))) await frame.locator('[data-testid="simulate-run"]').click();
      }
      await frame.locator('[data-testid="timeline-message"]').first().waitFor({ timeout: 30000 });
      perf("simulate.firstMessage", Date.now() - t0);
      const messages = await frame.locator('[data-testid="timeline-message"]').count();
      if (messages < 4) throw new Error(`a simulated handshake with ${messages} messages`);
      await shot("simulate-start");
      const next = frame.locator('[data-testid="step-next"]');
      const prev = frame.locator('[data-testid="step-prev"]');
      await next.waitFor({ timeout: 10000 });
      const s0 = await snapshot(frame);
      await next.click();
      await next.click();
      let s2 = s0;
      for (let i = 0; i < 20 && s2 === s0; i++) {
        await wb.sleep(100);
        s2 = await snapshot(frame);
      }
      if (s2 === s0) throw new Error("step-next changed nothing in the panel");
      await shot("simulate-stepped");
      await prev.click();
      let s1 = s2;
      for (let i = 0; i < 20 && s1 === s2; i++) {
        await wb.sleep(100);
        s1 = await snapshot(frame);
      }
      if (s1 === s2) throw new Error("step-prev changed nothing");
      // The step buttons are icon-only: their codicons must really be drawn (a vscode-icon finds the stylesheet by
      // the id "vscode-codicon-stylesheet"; without it the buttons are blank squares).
      const glyph = await next.evaluate((b) => {
        const icon = b.shadowRoot && b.shadowRoot.querySelector("vscode-icon");
        const span = icon && icon.shadowRoot && icon.shadowRoot.querySelector(".codicon");
        return span ? getComputedStyle(span, "::before").content : "no icon element";
      });
      if (!glyph || glyph === "none" || glyph === "normal" || glyph === "no icon element") throw new Error(`step-next shows no codicon glyph (${glyph})`);
    },
    { timeout: 90000 },
  );

  t.test(
    "simulate X25519MLKEM768: the key schedule draws the (EC)DHE input as ML-KEM ‖ X25519",
    async ({ page, wb, shot }) => {
      await wb.closeAllEditors(page);
      await wb.runCommand(page, "TLS: Simulate Handshake");
      // Pick the post-quantum item of the version quick pick (bounded wait for it).
      const row = page.locator(".quick-input-list .monaco-list-row", { hasText: "X25519MLKEM768" }).first();
      await row.waitFor({ timeout: 30000 });
      await row.click();
      const frame = await wb.frameWith(page, '[data-testid="timeline-message"]', { timeout: 30000 });
      const tab = frame.locator("vscode-tab-header", { hasText: /Key schedule|키 스케줄/ }).first();
      await tab.waitFor({ timeout: 30000 });
      await tab.click();
      const bar = frame.locator(".ks-concat").first();
      await bar.waitFor({ timeout: 30000 });
      const parts = await bar.locator(".ks-part-name").allTextContents();
      if (parts.join(" ‖ ") !== "ML-KEM-768 shared secret ‖ x25519 shared secret") throw new Error(`concatenation parts: ${parts.join(" | ")}`);
      await bar.scrollIntoViewIfNeeded();
      await shot("simulate-hybrid-key-schedule");
    },
    { timeout: 90000 },
  );
};
