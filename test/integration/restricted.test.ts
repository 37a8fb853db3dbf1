// Extension-host tests for restricted mode: run by run-integration.js --restricted in a workbench where workspace
// trust is on and the test folder is not trusted (index.ts runs only this file then, and only then). What the
// manifest promises ("supported": "limited"): captures, transcripts and simulations work; nothing reaches the
// network and no key log is read from a path that workspace or user settings name.
import * as assert from "node:assert/strict";
import * as net from "node:net";
import * as path from "node:path";
import * as vscode from "vscode";
import { ExtensionApi, REPO, activateExtension, codeLenses, openCaptureWithKeyLogSetting, sleep, waitFor } from "./helpers";

describe("TLS Handshake Explorer in restricted mode (untrusted workspace)", function () {
  let api: ExtensionApi = {};

  before(async function () {
    this.timeout(60000);
    api = (await activateExtension()).api;
  });

  it("runs in an untrusted workspace (otherwise these tests prove nothing)", function () {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(vscode.extensions.getExtension("tls-handshake-explorer.tls-handshake-explorer")?.isActive, true);
  });

  it("opens a capture and decodes its connections", async function () {
    const capture = vscode.Uri.file(path.join(REPO, "samples", "tls12-ecdhe-rsa-aes128gcm.pcap"));
    await vscode.commands.executeCommand("vscode.openWith", capture, "tlsHandshake.captureEditor");
    const active = api._test?.activeDocument as () => { key: string; connections: number; decrypted: number } | undefined;
    const d = await waitFor("capture inspected", () => {
      const x = active();
      return x && x.key === capture.toString() && x.connections > 0 ? x : undefined;
    });
    // Its sibling .keylog is next to the capture the user opened: that one is still used.
    assert.equal(d.decrypted, d.connections);
  });

  it("ignores tlsHandshake.keyLogPath (a settings-named file is not read)", async function () {
    const d = await openCaptureWithKeyLogSetting(api, "tls13-x25519-aes128gcm");
    assert.equal(d.decrypted, 0, `decrypted ${d.decrypted} of ${d.connections}`);
  });

  it("gives a transcript its language and Explain code lenses", async function () {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(REPO, "samples", "tls13-x25519.tlstrace")));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, "tls-transcript");
    const lenses = await codeLenses(doc);
    assert.match(lenses.map((l) => l.command?.title ?? "").join("\n"), /ClientHello/);
  });

  it("simulates a handshake (no network needed)", async function () {
    await vscode.commands.executeCommand("tlsHandshake.simulate", { version: "1.3" });
    const state = api._test?.panelState as () => { steps?: number };
    await waitFor("simulation steps in the panel", () => (state().steps ?? 0) > 0, 30000);
  });

  it("refuses Connect to Host: no TCP connection is opened", async function () {
    let accepted = 0;
    const server = net.createServer((s) => {
      accepted++;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      await vscode.commands.executeCommand("tlsHandshake.connect", `127.0.0.1:${port}`);
      await sleep(1500);
      assert.equal(accepted, 0, "the extension connected from an untrusted workspace");
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
