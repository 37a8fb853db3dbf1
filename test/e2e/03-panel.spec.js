// F1 → "TLS: Open Handshake Panel" opens the panel webview; measures the time to its first paint.
"use strict";

module.exports = (t) => {
  t.test("F1 → TLS: Open Handshake Panel paints the panel", async ({ page, wb, shot, perf, state }) => {
    await wb.closeAllEditors(page);
    const t0 = await wb.runCommand(page, "TLS: Open Handshake Panel");
    const frame = await wb.frameWith(page, '[data-testid="timeline"], [data-testid="simulate-form"], [data-testid="bytes-pane"]', {
      timeout: 30000,
      visible: false,
    });
    perf("panel.firstPaint", Date.now() - t0);
    const title = page.locator(".tabs-container .tab", { hasText: "TLS Handshake" });
    await title.first().waitFor({ timeout: 10000 });
    state.panelFrame = frame;
    await shot("panel");
  });
};
