// Peer-controlled strings (SNI, ALPN, certificate subject) holding HTML and script must render as text.
// The capture comes from real OpenSSL peers: scripts/make-hostile-capture.sh → test/fixtures/hostile/.
"use strict";

async function assertNothingInjected(page, wb) {
  for (const f of page.frames()) {
    const found = await wb.injectedMarkup(f).catch(() => []);
    if (found.length) throw new Error(`injected markup in ${f.url().slice(0, 80)}: ${found.join(", ")}`);
  }
}

module.exports = (t) => {
  t.test("hostile SNI and ALPN appear as text in the connections table", async ({ page, wb, files, shot, state }) => {
    const h = files.hostileStrings;
    await wb.closeAllEditors(page);
    await wb.quickOpen(page, files.hostile);
    const frame = await wb.frameWith(page, '[data-testid="connections-table"]', { timeout: 40000 });
    const table = frame.locator('[data-testid="connections-table"]');
    await frame
      .locator('[data-testid="connection-row"]')
      .nth(h.connections - 1)
      .waitFor({ timeout: 30000 });
    const text = await table.textContent();
    if (!text.includes(h.sni)) throw new Error(`SNI literal missing from table text: ${text.slice(0, 300)}`);
    if (!text.includes(h.alpnSelected)) throw new Error(`ALPN literal missing from table text: ${text.slice(0, 300)}`);
    await assertNothingInjected(page, wb);
    state.hostileFrame = frame;
    await shot("hostile-capture");
  });

  t.test("hostile certificate subject appears as text in the field details", async ({ page, wb, files, shot, state }) => {
    const h = files.hostileStrings;
    const frame = state.hostileFrame || (await wb.frameWith(page, '[data-testid="connections-table"]'));
    await frame.locator('[data-testid="connection-row"]').first().click(); // connection 0: TLS 1.2, certificate in clear
    const cert = frame
      .locator('[data-testid="timeline-message"]')
      .filter({ hasText: /Certificate(?!Verify|Request)/ })
      .first();
    await cert.waitFor({ timeout: 15000 });
    await cert.click();
    const info = frame.locator('[data-testid="field-info"]');
    // Either the literal CN or its RFC 4514 §2.4 form (which escapes < and > with a backslash) — both are text.
    const rfc4514 = h.subjectCN.replace(/([\\"+,;<>])/g, "\\$1");
    const deadline = Date.now() + 15000;
    let text = "";
    while (Date.now() < deadline) {
      text = (await info.textContent().catch(() => "")) || "";
      if (text.includes(h.subjectCN) || text.includes(rfc4514)) break;
      await wb.sleep(200);
    }
    await shot("hostile-certificate");
    if (!text.includes(h.subjectCN) && !text.includes(rfc4514)) throw new Error(`subject CN not shown as text; field-info: ${text.slice(0, 300)}`);
    await assertNothingInjected(page, wb);
    // The same strings in VS Code's own tree (plain-text labels/descriptions).
    await wb.openSideBar(page);
    const rows = await wb.viewRows(page, "Connections", 0);
    await rows.first().waitFor({ timeout: 10000 });
    const all = (await rows.allTextContents()).join("\n") + ((await rows.first().getAttribute("aria-label")) || "");
    if (!all.includes(h.sni)) throw new Error(`SNI not shown in the Connections tree: ${all.slice(0, 300)}`);
    await assertNothingInjected(page, wb);
  });

  t.test("a capture file name holding markup appears as text in the editor", async ({ page, wb, files, shot }) => {
    await wb.closeAllEditors(page);
    await wb.quickOpen(page, "onerror=alert(5)");
    const frame = await wb.frameWith(page, '[data-testid="connections-table"]', { timeout: 40000 });
    await frame.locator('[data-testid="connection-row"]').first().waitFor({ timeout: 30000 });
    const title =
      (await frame
        .locator(".doc-title, h1, header")
        .first()
        .textContent()
        .catch(() => "")) || "";
    const body = await frame.evaluate(() => document.body.innerText);
    if (!body.includes(files.hostileFileName)) throw new Error(`file name not shown as text: ${title} / ${body.slice(0, 200)}`);
    await assertNothingInjected(page, wb);
    await shot("hostile-file-name");
  });

  t.test("a transcript whose name and comments hold script shows them as text (editor, lenses, timeline)", async ({ page, wb, files, shot }) => {
    await wb.closeAllEditors(page);
    await wb.quickOpen(page, "onload=alert(7)");
    const lens = page.locator(".codelens-decoration a", { hasText: /Show in timeline/ }).first();
    await lens.waitFor({ timeout: 30000 });
    // The editor shows the comment literally (Monaco renders text, never markup).
    const lines = (await page.locator(".view-lines").first().textContent()) || "";
    if (!lines.replace(/\u00a0/g, " ").includes("<script>alert(6)</script>")) throw new Error(`comment not shown literally: ${lines.slice(0, 200)}`);
    await lens.click();
    const frame = await wb.frameWith(page, '[data-testid="timeline-message"]', { timeout: 30000 });
    const body = await frame.evaluate(() => document.body.innerText);
    if (!body.includes(files.hostileTranscript)) throw new Error(`transcript name not shown as text in the panel: ${body.slice(0, 200)}`);
    await assertNothingInjected(page, wb);
    await shot("hostile-transcript");
  });
};
