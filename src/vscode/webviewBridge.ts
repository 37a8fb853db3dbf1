/**
 * One webview (panel or capture editor) bound to one session document: the ready handshake (nothing is posted
 * before the page says `ready`; `init` answers every `ready`, so a reloaded page catches up), validated messages
 * from the page, and the selection kept in step with the session in both directions.
 */
import * as vscode from "vscode";
import { CONNECTIONS_PAGE, isWebviewToHost, type DocumentView, type HostToWebview, type SimulateRequest, type WebviewToHost } from "../protocol/messages";
import { notesLanguage, openNote } from "./notes";
import type { Session, SessionDocument } from "./session";

/** What a page may ask that depends on where it lives (panel: simulate/connect; editor: key log/transcript). */
export interface BridgeActions {
  simulate?(request: SimulateRequest): Promise<unknown> | void;
  connect?(host: string, port: number, sni?: string): Promise<unknown> | void;
  attachKeyLog?(): Promise<void> | void;
  saveTranscript?(connection: number): Promise<void> | void;
  lesson?(m: Extract<WebviewToHost, { type: "lesson" }>): Promise<void> | void;
}

export class WebviewBridge implements vscode.Disposable {
  private ready = false;
  private readonly readyEmitter = new vscode.EventEmitter<void>();
  /** The page said `ready` (fires on every load of the page). */
  readonly onDidBecomeReady = this.readyEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Last message of each kind posted (tests read it through `_test.panelState`). */
  readonly lastPosted: Partial<Record<HostToWebview["type"], HostToWebview>> = {};

  constructor(
    private readonly session: Session,
    private docKey: string,
    private readonly webview: vscode.Webview,
    private readonly mode: "panel" | "editor",
    private readonly extensionUri: vscode.Uri,
    private readonly actions: BridgeActions,
  ) {
    this.disposables.push(
      webview.onDidReceiveMessage((m) => void this.receive(m)),
      session.onDidChangeSelection((e) => {
        if (e.doc.key !== this.docKey || e.origin === "webview") return;
        if (e.connectionChanged) this.postConnection();
        this.post({ type: "select", selection: e.selection });
      }),
      session.onDidUpgradeConnections((e) => {
        const sel = e.doc.selection.connection;
        if (e.doc.key === this.docKey && sel !== undefined && e.ids.has(sel)) this.postConnection();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("tlsHandshake.notesLanguage")) this.post({ type: "lang", lang: notesLanguage() });
      }),
    );
  }

  get doc(): SessionDocument | undefined {
    return this.session.get(this.docKey);
  }

  get isReady(): boolean {
    return this.ready;
  }

  post(msg: HostToWebview): void {
    this.lastPosted[msg.type] = msg;
    if (this.ready) void this.webview.postMessage(msg);
  }

  /** The document was replaced (new simulation, key log attached): send it and the selected connection. */
  refresh(): void {
    const doc = this.doc;
    if (!doc) return;
    this.post({ type: "document", document: firstPage(doc.view) });
    this.postConnection();
    this.post({ type: "select", selection: doc.selection });
  }

  busy(text: string | null): void {
    this.post({ type: "busy", text });
  }

  error(text: string): void {
    this.post({ type: "error", text });
  }

  private postConnection(): void {
    const doc = this.doc;
    if (!doc) return;
    const view = this.session.connectionView(doc, doc.selection.connection);
    if (view) this.post({ type: "connection", connection: view });
  }

  private sendInit(): void {
    const doc = this.doc;
    if (!doc) return;
    this.post({
      type: "init",
      document: firstPage(doc.view),
      lang: notesLanguage(),
      selection: doc.selection,
      mode: this.mode,
      trusted: vscode.workspace.isTrusted,
    });
    this.postConnection();
    if (doc.selection.message !== undefined) this.post({ type: "select", selection: doc.selection });
  }

  private async receive(raw: unknown): Promise<void> {
    // Everything from the page is untrusted input: shape-checked, then acted on.
    if (!isWebviewToHost(raw)) return;
    const doc = this.doc;
    try {
      switch (raw.type) {
        case "ready":
          this.ready = true;
          this.sendInit();
          this.readyEmitter.fire();
          return;
        case "selectConnection":
          if (doc && this.session.connection(doc, raw.id)) {
            this.session.select(doc, { connection: raw.id }, "webview");
            this.postConnection();
          }
          return;
        case "selectMessage":
          if (doc) this.session.select(doc, { connection: raw.connection, message: raw.message }, "webview");
          return;
        case "selectPacket":
          // A packet is no handshake message: the Handshake Fields tree shows the connection without one.
          if (doc && this.session.connection(doc, raw.connection)) this.session.select(doc, { connection: raw.connection }, "webview");
          return;
        case "selectField":
          if (doc) this.session.select(doc, { connection: raw.connection, message: raw.message, start: raw.start, end: raw.end }, "webview");
          return;
        case "explain":
          await openNote(this.extensionUri, raw.note, raw.section);
          return;
        case "copy":
          await vscode.env.clipboard.writeText(raw.text);
          void vscode.window.setStatusBarMessage(vscode.l10n.t("Copied to the clipboard."), 2000);
          return;
        case "simulate":
          await this.actions.simulate?.(raw.request);
          return;
        case "connect":
          await this.actions.connect?.(raw.host, raw.port, raw.sni);
          return;
        case "attachKeyLog":
          await this.actions.attachKeyLog?.();
          return;
        case "saveTranscript":
          await this.actions.saveTranscript?.(raw.connection);
          return;
        case "lesson":
          await this.actions.lesson?.(raw);
          return;
        case "loadConnections": {
          const all = doc?.view.connections ?? [];
          if (raw.from < all.length) this.post({ type: "connections", from: raw.from, connections: all.slice(raw.from, raw.from + CONNECTIONS_PAGE) });
          return;
        }
      }
    } catch (e) {
      this.error(e instanceof Error ? e.message : String(e));
    }
  }

  /** Re-point the bridge at another document key (the panel keeps one key, captures keep theirs). */
  rebind(key: string): void {
    this.docKey = key;
  }

  dispose(): void {
    this.readyEmitter.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The document as first sent: a long connection list is cut to its first page (the page loads the rest). */
function firstPage(view: DocumentView): DocumentView {
  const n = view.connections.length;
  return n > CONNECTIONS_PAGE ? { ...view, connections: view.connections.slice(0, CONNECTIONS_PAGE), connectionCount: n } : view;
}
