// A capture opens in the custom editor (tlsHandshake.captureEditor) and renders its connections table; a
// timeline message and a Handshake Fields tree node each highlight their bytes.
"use strict";

module.exports = (t) => {
  t.test("capture opens in the custom editor with a connections table", async ({ page, wb, files, shot, perf, state }) => {
    const t0 = await wb.quickOpen(page, files.capture);
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
    const pane = await wb.viewPane(page, "Handshake Fields", 1);
    const rows = pane.locator(".monaco-list-row");
    await rows.first().waitFor({ timeout: 30000 });
    // Select the first message, expand it with the keyboard, then pick its second field (e.g. length).
    await rows.first().click();
    await page.keyboard.press("ArrowRight");
    const fields = pane.locator('.monaco-list-row[aria-level="2"]');
    await fields.first().waitFor({ timeout: 10000 });
    const target = fields.nth(Math.min(1, (await fields.count()) - 1));
    const label =
      (await target
        .locator(".label-name")
        .textContent()
        .catch(() => null)) ||
      (await target.textContent()) ||
      "";
    await target.click();
    const frame = state.timelineFrame || (await wb.frameWith(page, '[data-testid="bytes-pane"]'));
    const hl = frame.locator('[data-testid="bytes-pane"] .byte.hl');
    // The selection travels tree → extension host → webview: poll until the highlight narrows to the field.
    let n = -1;
    for (let i = 0; i < 50; i++) {
      n = await hl.count();
      if (n > 0 && (!state.hlAfterMessage || n < state.hlAfterMessage)) break;
      await wb.sleep(100);
    }
    if (n <= 0) throw new Error(`selecting field "${label.trim()}" highlights no bytes`);
    if (state.hlAfterMessage && n >= state.hlAfterMessage)
      throw new Error(`selecting field "${label.trim()}" still highlights ${n} bytes (whole message had ${state.hlAfterMessage})`);
    const infoText =
      (await frame
        .locator('[data-testid="field-info"]')
        .textContent()
        .catch(() => "")) || "";
    const fieldName = label.trim().split(/\s/)[0];
    if (fieldName && !infoText.includes(fieldName)) throw new Error(`field-info does not name "${fieldName}": ${infoText.slice(0, 200)}`);
    await shot("field-node-selected");
  });
};
