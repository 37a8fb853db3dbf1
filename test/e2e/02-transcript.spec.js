// A transcript (tls-transcript language) shows "Explain …" code lenses above its handshake messages.
"use strict";

module.exports = (t) => {
  t.test("transcript shows Explain code lenses", async ({ page, wb, files, shot }) => {
    if (!files.transcript) return "skip";
    await wb.quickOpen(page, files.transcript);
    const lens = page.locator(".codelens-decoration", { hasText: /Explain/ }).first();
    await lens.waitFor({ timeout: 30000 });
    const text = await page.locator(".codelens-decoration").allTextContents();
    if (!text.some((x) => /ClientHello/.test(x))) throw new Error(`no ClientHello lens in: ${text.slice(0, 5).join(" / ")}`);
    await shot("transcript-codelens");
  });
};
