// A capture opens in the custom editor (tlsHandshake.captureEditor) and renders its connections table; a
// timeline message and a Handshake Fields tree node each highlight their bytes.
"use strict";

module.exports = (t) => {
  t.test("capture opens in the custom editor with a connections table", async ({ page, wb, files, shot, perf, state }) => {
    const t0 = Date.now();
    await wb.quickOpen(page, files.capture);
    const frame = await wb.frameWith(page, '[data-testid="connections-table"]', { timeout: 60000 });
    await frame.locator('[data-testid="connection-row"]').first().waitFor();
    perf("capture.open.small", Date.now() - t0);
    const rows = await frame.locator('[data-testid="connection-row"]').count();
    if (rows < 1) throw new Error("no connection rows");
    state.captureFrame = frame;
    await shot("capture-editor");
  });

  t.test("a timeline message highlights its bytes", async ({ page, wb, shot, state }) => {
    // The timeline may live in the capture editor or open in the panel after choosing a connection.
    const cf = state.captureFrame;
    if (cf && !(await cf.$('[data-testid="timeline-message"]'))) {
      const row = cf.locator('[data-testid="connection-row"]').first();
      await row.click();
      if (!(await wb.frameWith(page, '[data-testid="timeline-message"]', { timeout: 3000 }).catch(() => null))) await row.dblclick();
    }
    const frame = await wb.frameWith(page, '[data-testid="timeline-message"]', { timeout: 30000 });
    const msg = frame.locator('[data-testid="timeline-message"][data-index="0"]');
    await msg.click();
    await frame.locator('[data-testid="bytes-pane"] .byte.hl').first().waitFor({ timeout: 10000 });
    const n = await frame.locator('[data-testid="bytes-pane"] .byte.hl').count();
    if (n < 4) throw new Error(`only ${n} highlighted bytes for a whole handshake message`);
    state.timelineFrame = frame;
    state.hlAfterMessage = n;
    await shot("timeline-message-selected");
  });

  t.test("a Handshake Fields tree node highlights its bytes", async ({ page, wb, shot, state }) => {
    await wb.openSideBar(page);
    const rows = await wb.viewRows(page, "Handshake Fields");
    await rows.first().waitFor({ timeout: 30000 });
    // Expand the first message and pick its second child (a field inside the message, e.g. legacy_version).
    const first = rows.first();
    if ((await first.getAttribute("aria-expanded")) === "false") await first.locator(".monaco-tl-twistie").click();
    const count = await rows.count();
    const target = rows.nth(Math.min(2, count - 1));
    const label = (await target.textContent()) || "";
    await target.click();
    const frame = state.timelineFrame || (await wb.frameWith(page, '[data-testid="bytes-pane"]'));
    const hl = frame.locator('[data-testid="bytes-pane"] .byte.hl');
    await hl.first().waitFor({ timeout: 10000 });
    const n = await hl.count();
    if (state.hlAfterMessage && n >= state.hlAfterMessage) throw new Error(`selecting field "${label.trim()}" still highlights ${n} bytes (whole message had ${state.hlAfterMessage})`);
    await shot("field-node-selected");
  });
};
