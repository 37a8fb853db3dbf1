// Extension-host tests: run inside a real VS Code 1.100 workbench (code-server, or desktop VS Code through
// @vscode/test-electron) with the extension loaded from source. They exercise the contributions through VS Code's
// own command, tab, code-lens and hover APIs, and the tree views through the providers the extension exposes on
// activate()'s `_test` object.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  CONTRACT_COMMANDS,
  ExtensionApi,
  REPO,
  activateExtension,
  childrenOf,
  codeLenses,
  findTab,
  fixture,
  hoverText,
  openCaptureWithKeyLogSetting,
  recordPerf,
  waitFor,
  walkTree,
} from "./helpers";

const hostileDir = path.join(REPO, "test/fixtures/hostile");
const hostile = JSON.parse(fs.readFileSync(path.join(hostileDir, "hostile.json"), "utf8")) as {
  port: number;
  connections: number;
  sni: string;
  alpnSelected: string;
  subjectCN: string;
};

describe("TLS Handshake Explorer in VS Code", function () {
  let api: ExtensionApi = {};

  before(async function () {
    this.timeout(60000);
    const r = await activateExtension();
    api = r.api;
    recordPerf("activation.wall", r.wallMs);
    if (typeof api._test?.activationMs === "number") recordPerf("activation.self", api._test.activationMs);
  });

  it("activates and exposes its test API", function () {
    const ext = vscode.extensions.getExtension(`tls-handshake-explorer.tls-handshake-explorer`)!;
    assert.equal(ext.isActive, true);
    assert.ok(api._test, "activate() should return { _test: { ... } } for the tests");
  });

  it("registers every command of the contract", async function () {
    const all = new Set(await vscode.commands.getCommands(true));
    const missing = CONTRACT_COMMANDS.filter((c) => !all.has(c));
    assert.deepEqual(missing, [], `missing commands: ${missing.join(", ")}`);
  });

  it("contributes the views, custom editor, panel command titles and transcript language", function () {
    const pkg = vscode.extensions.getExtension(`tls-handshake-explorer.tls-handshake-explorer`)!.packageJSON;
    const c = pkg.contributes ?? {};
    const viewIds = Object.values(c.views ?? {})
      .flat()
      .map((v) => (v as { id: string }).id);
    assert.ok(viewIds.includes("tlsHandshake.connections"), "view tlsHandshake.connections");
    assert.ok(viewIds.includes("tlsHandshake.fields"), "view tlsHandshake.fields");
    const editors = (c.customEditors ?? []).map((e: { viewType: string }) => e.viewType);
    assert.ok(editors.includes("tlsHandshake.captureEditor"), "custom editor tlsHandshake.captureEditor");
    const langs = (c.languages ?? []).map((l: { id: string }) => l.id);
    assert.ok(langs.includes("tls-transcript"), "language tls-transcript");
    const open = (c.commands ?? []).find((x: { command: string }) => x.command === "tlsHandshake.openPanel");
    assert.equal(open?.title, "Open Handshake Panel");
    assert.equal(open?.category, "TLS");
  });

  describe("capture with hostile strings (test/fixtures/hostile)", function () {
    const capture = vscode.Uri.file(path.join(hostileDir, "hostile.pcap"));

    it("opens in the custom editor", async function () {
      const t0 = Date.now();
      await vscode.commands.executeCommand("vscode.openWith", capture, "tlsHandshake.captureEditor");
      const tab = await waitFor("capture editor tab", () =>
        findTab((i) => i instanceof vscode.TabInputCustom && i.viewType === "tlsHandshake.captureEditor" && i.uri.fsPath === capture.fsPath),
      );
      assert.ok(tab.isActive);
      recordPerf("openCapture.small", Date.now() - t0);
    });

    it("Connections tree lists both connections of the capture", async function () {
      const nodes = await waitFor("connections in the tree", async () => {
        const n = (await walkTree(api, "connections", 2)).filter((x) => x.text.includes(`:${hostile.port}`) || x.text.includes(hostile.sni));
        return n.length >= hostile.connections ? n : undefined;
      });
      // The connection rows are the deepest level that mentions the server port or the SNI.
      const depth = Math.max(...nodes.map((n) => n.depth));
      const rows = nodes.filter((n) => n.depth === depth);
      assert.equal(rows.length, hostile.connections, rows.map((r) => r.text).join("\n"));
      assert.ok(
        rows.some((r) => r.text.includes(hostile.sni)),
        "the SNI appears as given (no escaping in a TreeItem)",
      );
    });

    it("Handshake Fields tree shows the messages and their fields", async function () {
      if (api._test?.selectConnection) await api._test.selectConnection(0);
      const top = await waitFor("handshake messages in the fields tree", async () => {
        const n = await walkTree(api, "fields", 1);
        return n.some((x) => /ClientHello/.test(x.label)) ? n : undefined;
      });
      const labels = top.map((n) => n.label).join("\n");
      for (const m of ["ClientHello", "ServerHello", "Certificate"]) assert.match(labels, new RegExp(m), `${m} in:\n${labels}`);
      const ch = top.find((n) => /ClientHello/.test(n.label))!;
      const kids = await childrenOf(api, "fields", ch.element);
      assert.ok(
        kids.some((k) => /cipher.?suites/i.test(k.text)),
        `ClientHello children: ${kids.map((k) => k.label).join(", ")}`,
      );
      // Explain on a field opens its own note, at its section (src/tls/fieldNotes.ts): random → random-nonce.
      const random = kids.find((k) => k.label === "random");
      assert.ok(random, `no random field among ${kids.map((k) => k.label).join(", ")}`);
      await vscode.commands.executeCommand("tlsHandshake.explain", random.element);
      const noteState = api._test?.noteState as () => { ready: boolean; note?: string; section?: number };
      const shown = await waitFor("the note view at the random's section", () => {
        const st = noteState();
        return st.ready && st.note === "random-nonce" && typeof st.section === "number" ? st : undefined;
      });
      assert.equal(shown.note, "random-nonce");
    });
  });

  it("the tlsHandshake.keyLogPath setting decrypts a capture in a trusted workspace", async function () {
    // The counterpart of restricted.test.ts, where the same setting must be ignored.
    assert.equal(vscode.workspace.isTrusted, true);
    const d = await openCaptureWithKeyLogSetting(api, "tls13-x25519-aes128gcm");
    assert.equal(d.decrypted, d.connections, `decrypted ${d.decrypted} of ${d.connections}`);
  });

  it("opens the handshake panel", async function () {
    const t0 = Date.now();
    await vscode.commands.executeCommand("tlsHandshake.openPanel");
    const tab = await waitFor("handshake panel tab", () => findTab((i) => i instanceof vscode.TabInputWebview && i.viewType.endsWith("tlsHandshake.panel")));
    assert.equal(tab.label, "TLS Handshake");
    recordPerf("openPanel.command", Date.now() - t0);
    // The webview loaded its script and said "ready" (the round trip through the message protocol works).
    const state = api._test?.panelState as undefined | (() => { open: boolean; ready: boolean });
    if (state) {
      await waitFor("panel webview ready", () => state().ready, 20000);
      recordPerf("openPanel.ready", Date.now() - t0);
    }
  });

  it("Explain opens an explanatory note (the note view)", async function () {
    const index = JSON.parse(fs.readFileSync(path.join(REPO, "media/notes/index.json"), "utf8")) as { notes: { id: string }[] };
    const id = index.notes[0].id;
    await vscode.commands.executeCommand("tlsHandshake.explain", id);
    await waitFor(`note view of note ${id}`, () => findTab((i) => i instanceof vscode.TabInputWebview && /tlsHandshake\.note/.test(i.viewType)), 20000);
  });

  it("TLS: Start Lesson opens the panel in lesson mode", async function () {
    this.timeout(30000);
    await vscode.commands.executeCommand("tlsHandshake.startLesson", "tls13");
    const state = api._test?.panelState as () => { ready: boolean; lastPosted: string[]; steps?: number };
    await waitFor(
      "the panel posted a lesson step and its note",
      () => {
        const st = state();
        return st.ready && st.lastPosted.includes("lesson") && st.lastPosted.includes("note") && (st.steps ?? 0) > 0 ? st : undefined;
      },
      20000,
    );
  });

  describe("transcript (OpenSSL s_client -msg)", function () {
    const file = fixture("tls13-openssl-s_client.openssl-msg.txt") ?? fixture("tls12-openssl-s_client.openssl-msg.txt");
    let doc: vscode.TextDocument;

    before(async function () {
      if (!file) this.skip();
      doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file!));
      await vscode.window.showTextDocument(doc);
    });

    it("gets the tls-transcript language", function () {
      assert.equal(doc.languageId, "tls-transcript");
    });

    it("offers Explain code lenses on handshake messages", async function () {
      const lenses = await codeLenses(doc);
      const titles = lenses.map((l) => l.command?.title ?? "").join("\n");
      assert.match(titles, /Explain/i, titles);
      assert.match(titles, /ClientHello/, titles);
      // Running the lens's own command opens the note about that message.
      const lens = lenses.find((l) => /Explain/i.test(l.command?.title ?? "") && l.command?.command);
      await vscode.commands.executeCommand("workbench.action.closeAllEditors");
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand(lens!.command!.command, ...(lens!.command!.arguments ?? []));
      await waitFor("note opened by the code lens", () => findTab((i) => i instanceof vscode.TabInputWebview && /tlsHandshake\.note/.test(i.viewType)), 20000);
    });

    it("hover on a hex byte names the field", async function () {
      // First body line of the ClientHello: "01 00 01 34 03 03 ..." — bytes 4–5 are legacy_version (RFC 8446 §4.1.2).
      const header = (() => {
        for (let i = 0; i < doc.lineCount; i++) if (/Handshake.*ClientHello/.test(doc.lineAt(i).text)) return i;
        return -1;
      })();
      assert.ok(header >= 0, "ClientHello header line");
      const line = doc.lineAt(header + 1).text;
      const m = /^(\s*)(?:[0-9a-f]{2} ){4}/.exec(line);
      assert.ok(m, `hex line: ${line}`);
      const col = m[0].length; // start of the 5th byte
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", doc.uri, new vscode.Position(header + 1, col + 1));
      const text = hoverText(hovers);
      assert.match(text, /version/i, `hover: ${text}`);
      const first = await vscode.commands.executeCommand<vscode.Hover[]>(
        "vscode.executeHoverProvider",
        doc.uri,
        new vscode.Position(header + 1, m[1].length + 1),
      );
      assert.match(hoverText(first), /msg_type|handshake.?type|ClientHello/i, `hover on byte 0: ${hoverText(first)}`);
    });
  });

  describe("transcript (the project's .tlstrace format)", function () {
    const file = fixture("tls13-x25519.tlstrace") ?? fixture("tls12-ecdhe-rsa.tlstrace");
    let doc: vscode.TextDocument;

    before(async function () {
      if (!file) this.skip();
      doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file!));
      await vscode.window.showTextDocument(doc);
    });

    it("gets the tls-transcript language and Explain lenses", async function () {
      assert.equal(doc.languageId, "tls-transcript");
      const lenses = await codeLenses(doc);
      assert.match(lenses.map((l) => l.command?.title ?? "").join("\n"), /ClientHello/);
    });

    it("hover on record and handshake bytes names the fields", async function () {
      // "> 16 03 01 00 da 01 00 00 d6 03 03 ..." : record header (5 bytes), then msg_type, length, legacy_version.
      const lineNo = (() => {
        for (let i = 0; i < doc.lineCount; i++) if (/^> 16 03 0[0-3] /.test(doc.lineAt(i).text)) return i;
        return -1;
      })();
      assert.ok(lineNo >= 0, "first client record line");
      const col = (byte: number) => 2 + byte * 3 + 1;
      const at = async (byte: number) =>
        hoverText(await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", doc.uri, new vscode.Position(lineNo, col(byte))));
      assert.match(await at(0), /content.?type|handshake/i);
      assert.match(await at(5), /msg_type|handshake.?type|ClientHello/i);
      assert.match(await at(9), /version/i);
    });
  });
});
