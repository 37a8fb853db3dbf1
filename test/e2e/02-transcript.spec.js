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

  t.test(
    "Explain lens opens the note in English, then in Korean after switching the notes language",
    async ({ page, wb, files, shot, log }) => {
      if (!files.transcript) return "skip";
      const noteText = async (re) => {
        const deadline = Date.now() + 30000;
        for (;;) {
          for (const f of page.frames()) {
            const text = await f.evaluate(() => document.querySelector(".markdown-body, body")?.innerText ?? "").catch(() => "");
            if (re.test(text) && (await wb.frameShown(f))) return text;
          }
          if (Date.now() > deadline) throw new Error(`no note preview matching ${re}`);
          await wb.sleep(200);
        }
      };
      const explain = async () => {
        await wb.closeAllEditors(page);
        await wb.quickOpen(page, files.transcript);
        const lens = page.locator(".codelens-decoration a", { hasText: /Explain ClientHello/ }).first();
        await lens.waitFor({ timeout: 30000 });
        await lens.click();
      };
      await explain();
      const en = await noteText(/RFC 8446/);
      log(`English note: ${en.split("\n")[0]}`);
      await shot("note-en");
      await wb.runCommand(page, "TLS: Switch Notes Language");
      await explain();
      // Hangul syllables: the Korean note is shown (its RFC citations stay in Latin letters).
      const ko = await noteText(/[\uac00-\ud7a3]{4}/);
      log(`Korean note: ${ko.split("\n")[0]}`);
      await shot("note-ko");
      await wb.runCommand(page, "TLS: Switch Notes Language"); // back to English for the tests that follow
    },
    { timeout: 120000 },
  );
};
