// A QUIC capture (ngtcp2's client and server on 127.0.0.1, a Retry, its key log beside it) opens in the capture
// editor: the table names the transport, the timeline draws the packets under their keys with the handshake
// messages they carried, and the bytes pane shows a packet as captured and decrypted, its fields highlighted.
"use strict";

async function rowTexts(locator) {
  return (await locator.allTextContents()).map((s) => s.replace(/\s+/g, " ").trim());
}

module.exports = (t) => {
  t.test("a QUIC capture lists its connection with its transport", async ({ page, wb, files, shot, state }) => {
    await wb.closeAllEditors(page);
    await wb.quickOpen(page, files.quic);
    const frame = await wb.frameWith(page, '[data-testid="connection-transport"]', { timeout: 60000 });
    const transport = (await frame.locator('[data-testid="connection-transport"]').first().textContent()) || "";
    if (!/QUIC v1/.test(transport)) throw new Error(`transport column says "${transport}"`);
    await frame.locator('[data-testid="connection-row"]').first().click();
    await frame.locator('[data-testid="timeline-packet"]').first().waitFor({ timeout: 30000 });
    state.quicFrame = frame;
    await shot("quic-capture");
  });

  t.test("the timeline draws QUIC packets, their key phases, the Retry and the messages they carried", async ({ shot, state }) => {
    const frame = state.quicFrame;
    const types = await frame.locator('[data-testid="timeline-packet"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-type")));
    for (const want of ["Initial", "Retry", "Handshake", "1-RTT"]) if (!types.includes(want)) throw new Error(`no ${want} packet row: ${types.join(", ")}`);
    const labels = await rowTexts(frame.locator(".tl-svg .phase-label"));
    for (const want of ["Initial keys", "Handshake keys", "1-RTT keys"])
      if (!labels.some((l) => l.includes(want))) throw new Error(`no "${want}" phase: ${labels.join(" | ")}`);
    const retry = (await frame.locator('[data-testid="timeline-packet"][data-type="Retry"]').first().textContent()) || "";
    if (!/integrity ✓/.test(retry)) throw new Error(`Retry row: ${retry}`);
    const msgs = await rowTexts(frame.locator('[data-testid="timeline-message"]'));
    for (const want of ["ClientHello", "ServerHello", "EncryptedExtensions", "Certificate", "Finished"])
      if (!msgs.some((m) => m.startsWith(want))) throw new Error(`no ${want} row: ${msgs.join(" | ")}`);
    const finished = frame.locator('[data-testid="timeline-message"]').filter({ hasText: /^Finished/ });
    if (!/✓/.test((await finished.first().textContent()) || "")) throw new Error("Finished not marked verified");
    await shot("quic-timeline");
  });

  t.test("a QUIC packet shows its protected bytes and its decrypted frames", async ({ shot, state }) => {
    const frame = state.quicFrame;
    await frame.locator('[data-testid="timeline-packet"][data-type="Initial"]').first().click();
    const pane = frame.locator('[data-testid="bytes-pane"]');
    await frame.locator('[data-testid="packet-views"]').waitFor({ timeout: 10000 });
    // Decrypted first: the header without protection, then the frames (1200 bytes less the 16-byte tag).
    await pane.locator(".byte").nth(1183).waitFor({ timeout: 10000 });
    const decrypted = await pane.locator(".byte").count();
    if (decrypted !== 1184) throw new Error(`decrypted view has ${decrypted} bytes, expected 1184`);
    const tree = frame.locator('[data-testid="fields-tree"]');
    await tree.getByText("payload", { exact: false }).first().click();
    await frame.locator('[data-testid="field-info"]').getByText("payload").first().waitFor({ timeout: 10000 });
    const hl = await pane.locator(".byte.hl").count();
    if (hl !== 1184 - 48) throw new Error(`payload highlights ${hl} bytes, expected ${1184 - 48}`);
    await shot("quic-packet-decrypted");
    await frame.locator('[data-testid="packet-view-protected"]').click();
    await pane.locator(".byte").nth(1199).waitFor({ timeout: 10000 });
    const sealed = await pane.locator(".byte").count();
    if (sealed !== 1200) throw new Error(`protected view has ${sealed} bytes, expected 1200`);
    const info = (await tree.textContent()) || "";
    if (!/protected_payload/.test(info) || !/aead_tag/.test(info)) throw new Error(`protected tree: ${info.slice(0, 300)}`);
    await shot("quic-packet-protected");
  });

  t.test("the ClientHello carried in QUIC shows quic_transport_parameters parameter by parameter", async ({ page, shot, state }) => {
    const frame = state.quicFrame;
    await frame.locator('[data-testid="timeline-message"][data-index="0"]').click();
    await frame.locator('[data-testid="bytes-pane"] .byte.hl').first().waitFor({ timeout: 10000 });
    const tree = frame.locator('[data-testid="fields-tree"]');
    const row = (re) => tree.locator("li[role=treeitem] > div").filter({ hasText: re }).first();
    // Keyboard through the tree (WAI-ARIA: ArrowRight expands): extensions › quic_transport_parameters › extension_data.
    await row(/^\W*extensions/).click();
    await page.keyboard.press("ArrowRight");
    await row(/^\W*quic_transport_parameters/).click();
    await page.keyboard.press("ArrowRight");
    await row(/^\W*extension_data/).click();
    await page.keyboard.press("ArrowRight");
    const param = row(/initial_max_stream_data_bidi_local/);
    await param.waitFor({ timeout: 10000 });
    await param.click();
    await page.keyboard.press("ArrowRight");
    const text = (await frame.locator('[data-testid="field-info"]').textContent()) || "";
    if (!/transport_parameter/.test(text) || !/RFC 9000 §18/.test(text)) throw new Error(`field-info: ${text.slice(0, 300)}`);
    const hl = await frame.locator('[data-testid="bytes-pane"] .byte.hl').count();
    if (hl < 3 || hl > 12) throw new Error(`a transport parameter highlights ${hl} bytes`);
    await shot("quic-transport-parameters");
  });

  t.test("a Version Negotiation shows in the QUIC timeline", async ({ page, wb, files, shot }) => {
    await wb.closeAllEditors(page);
    await wb.quickOpen(page, files.quicVn);
    const frame = await wb.frameWith(page, '[data-testid="connection-transport"]', { timeout: 60000 });
    await frame.locator('[data-testid="connection-row"]').first().click();
    const vn = frame.locator('[data-testid="timeline-packet"][data-type="VersionNegotiation"]');
    await vn.first().waitFor({ timeout: 30000 });
    const text = (await vn.first().textContent()) || "";
    if (!/Version Negotiation · QUIC v1 \(\+1 reserved\)/.test(text)) throw new Error(`VN row: ${text}`);
    await vn.first().click();
    const tree = (await frame.locator('[data-testid="fields-tree"]').textContent()) || "";
    if (!/supported_version/.test(tree)) throw new Error(`VN tree: ${tree.slice(0, 300)}`);
    await shot("quic-version-negotiation");
  });
};
