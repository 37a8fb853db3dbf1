// Diagnoses in the capture editor: a real handshake refused with unknown_ca (test/fixtures/diagnoses) — the table
// marks the connection, the diagnoses stand above the timeline, "Show evidence" selects the message and highlights
// the field, and the Problems panel lists them for the file.
"use strict";

module.exports = (t) => {
  t.test("diagnoses above the timeline, linked to their evidence", async ({ page, wb, files, shot, state }) => {
    await wb.closeAllEditors(page);
    await wb.quickOpen(page, files.diagnoses);
    const frame = await wb.frameWith(page, '[data-testid="connection-diagnosis-mark"]', { timeout: 40000 });
    await frame.locator('[data-testid="connection-row"]').first().click();
    const rejected = frame.locator('[data-testid="diagnosis"][data-code="certificate-rejected"]');
    await rejected.waitFor({ timeout: 20000 });
    const text = await frame.locator('[data-testid="diagnoses"]').textContent();
    if (!/unknown_ca/.test(text)) throw new Error(`diagnoses do not explain the alert: ${text.slice(0, 300)}`);
    await shot("diagnoses-pane");
    // The name mismatch cites the ClientHello's server_name: its evidence selects that message and field.
    await frame.locator('[data-testid="diagnosis"][data-code="certificate-name-mismatch"] [data-testid="diagnosis-evidence"]').click();
    const info = frame.locator('[data-testid="field-info"]');
    const deadline = Date.now() + 15000;
    let shown = "";
    while (Date.now() < deadline) {
      shown = (await info.textContent().catch(() => "")) || "";
      if (/server_name|ClientHello/.test(shown)) break;
      await wb.sleep(200);
    }
    await shot("diagnoses-evidence");
    if (!/server_name|ClientHello/.test(shown)) throw new Error(`evidence not selected; field-info: ${shown.slice(0, 300)}`);
    state.diagnosesFrame = frame;
  });

  t.test("the capture's diagnoses in the Problems panel", async ({ page, wb, shot }) => {
    await wb.runCommand(page, "View: Toggle Problems");
    const panel = page.locator(".markers-panel");
    await panel.waitFor({ timeout: 20000 });
    const deadline = Date.now() + 20000;
    let text = "";
    while (Date.now() < deadline) {
      text = (await panel.textContent().catch(() => "")) || "";
      if (text.includes("certificate-rejected")) break;
      await wb.sleep(300);
    }
    await shot("diagnoses-problems");
    if (!text.includes("certificate-rejected")) throw new Error(`Problems panel: ${text.slice(0, 400)}`);
  });
};
