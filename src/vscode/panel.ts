/**
 * The "TLS Handshake" webview panel (viewType tlsHandshake.panel): one at a time, showing a simulated handshake, a
 * live connection, or a transcript's connection, with the timeline, bytes, fields and key schedule. Restored after
 * a reload by a WebviewPanelSerializer, from what it last showed (kept in workspace state: the simulation request
 * or the transcript's URI — never secrets).
 */
import * as vscode from "vscode";
import type { CaptureModel } from "../model";
import { core } from "./lazyCore";
import type { Selection, SimulateRequest } from "../protocol/messages";
import type { Session, SessionDocument } from "./session";
import { WebviewBridge } from "./webviewBridge";
import { webviewHtml, webviewOptions } from "./webviewHtml";
import { notesLanguage } from "./notes";
import { Lesson } from "./lesson";

export const PANEL_VIEW_TYPE = "tlsHandshake.panel";
export const PANEL_KEY = "panel";
const STATE_KEY = "tlsHandshake.panel.last";

type Persisted = { kind: "simulation"; request: SimulateRequest } | { kind: "transcript"; uri: string } | { kind: "empty" };

export class HandshakePanel implements vscode.Disposable {
  private static current: HandshakePanel | undefined;
  private readonly bridge: WebviewBridge;
  private readonly disposables: vscode.Disposable[] = [];
  /** Lesson mode (lesson.ts), and which of its simulations the panel shows. */
  readonly lesson: Lesson;
  private shownKey: string | undefined;

  /** Registers the serializer that brings the panel back after a window reload. */
  static register(context: vscode.ExtensionContext, session: Session): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        const p = new HandshakePanel(panel, context, session);
        HandshakePanel.current = p;
        await p.restore();
      },
    });
  }

  static get instance(): HandshakePanel | undefined {
    return HandshakePanel.current;
  }

  /** The panel, created (beside the active editor when asked) or revealed. */
  static show(context: vscode.ExtensionContext, session: Session, beside = false): HandshakePanel {
    const existing = HandshakePanel.current;
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const column = beside ? vscode.ViewColumn.Beside : (vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.One);
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      vscode.l10n.t("TLS Handshake"),
      { viewColumn: column, preserveFocus: beside },
      {
        ...webviewOptions(context.extensionUri),
        retainContextWhenHidden: true,
      },
    );
    HandshakePanel.current = new HandshakePanel(panel, context, session);
    return HandshakePanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly session: Session,
  ) {
    panel.title = vscode.l10n.t("TLS Handshake");
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, "media", "icons", "handshake.svg");
    panel.webview.options = webviewOptions(context.extensionUri);
    if (!session.get(PANEL_KEY)) session.put(this.newDoc(core().emptyDocument(vscode.l10n.t("TLS Handshake")), []));
    else session.setActive(PANEL_KEY);
    this.bridge = new WebviewBridge(session, PANEL_KEY, panel.webview, "panel", context.extensionUri, {
      simulate: (r) => {
        this.lesson.stop();
        return this.simulate(r);
      },
      connect: (h, p, s) => this.connect(h, p, s),
      lesson: (m) => this.lesson.handle(m),
    });
    this.lesson = new Lesson(context.extensionUri, {
      showSimulation: (key, request, result) => {
        if (this.shownKey === key && this.session.get(PANEL_KEY)?.view.kind === "simulation") return;
        const title = vscode.l10n.t("Simulated TLS {0} handshake", request.version);
        this.show(this.newDoc(core().engineDocument("simulation", title, result.connection), [result.connection], { steps: result.steps }), {
          kind: "simulation",
          request,
        });
        this.shownKey = key;
      },
      shownSteps: () => this.session.get(PANEL_KEY)?.steps,
      postLesson: (lesson) => this.bridge.post({ type: "lesson", lesson }),
      postNote: (note) => {
        if (note) this.bridge.post({ type: "note", note });
      },
      connect: (host, port) => this.connect(host, port),
      selectInCapture: (uri, message) => this.selectInCapture(uri, message),
    });
    panel.webview.html = webviewHtml(panel.webview, context.extensionUri, "panel", notesLanguage());
    this.disposables.push(
      this.bridge,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("tlsHandshake.notesLanguage") && this.lesson.active) void this.lesson.show();
      }),
      // A page that (re)loads catches up with the lesson it is in.
      this.bridge.onDidBecomeReady(() => {
        if (this.lesson.active) void this.lesson.show();
      }),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.active) session.setActive(PANEL_KEY);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get webviewBridge(): WebviewBridge {
    return this.bridge;
  }

  private newDoc(view: SessionDocument["view"], connections: SessionDocument["connections"], extra: Partial<SessionDocument> = {}): SessionDocument {
    return { key: PANEL_KEY, mode: "panel", view, connections, selection: connections.length ? { connection: connections[0].id } : {}, ...extra };
  }

  /** Starts lesson mode on route `route` (the first when not given). */
  async startLesson(route?: string): Promise<void> {
    await this.lesson.start(route);
  }

  /** In capture `uri` (opened in the capture editor), selects the first message named `name`. Bounded wait. */
  private async selectInCapture(uri: vscode.Uri, name: string): Promise<boolean> {
    for (let i = 0; i < 100; i++) {
      const doc = this.session.all().find((d) => d.uri?.toString() === uri.toString() && d.connections.length > 0);
      if (doc) {
        for (const c of doc.connections) {
          const m = c.messages.findIndex((x) => x.name === name);
          if (m >= 0) {
            this.session.select(doc, { connection: c.id, message: m }, "command");
            return true;
          }
        }
        return false;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  private show(doc: SessionDocument, persisted: Persisted): void {
    this.shownKey = undefined;
    this.session.put(doc);
    void this.context.workspaceState.update(STATE_KEY, persisted);
    this.bridge.refresh();
  }

  /** Runs the engine in-process (a whole handshake takes milliseconds) and shows its steps. */
  async simulate(request: SimulateRequest): Promise<boolean> {
    this.bridge.busy(vscode.l10n.t("Simulating…"));
    try {
      const { simulate } = core();
      const r = simulate({ ...request });
      const title = vscode.l10n.t("Simulated TLS {0} handshake", request.version);
      this.show(this.newDoc(core().engineDocument("simulation", title, r.connection), [r.connection], { steps: r.steps }), { kind: "simulation", request });
      if (!r.ok && r.error) this.bridge.error(r.error);
      return true;
    } catch (e) {
      this.bridge.error(e instanceof Error ? e.message : String(e));
      return false;
    } finally {
      this.bridge.busy(null);
    }
  }

  /** A real handshake over TCP (needs a trusted workspace: it opens network connections). */
  async connect(host: string, port: number, sni?: string): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      const text = vscode.l10n.t("Connecting to a host needs a trusted workspace.");
      this.bridge.error(text);
      void vscode.window.showWarningMessage(text);
      return false;
    }
    this.bridge.busy(vscode.l10n.t("Connecting to {0}:{1}…", host, String(port)));
    try {
      const { connect } = core();
      const r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t("Connecting to {0}:{1}…", host, String(port)), cancellable: false },
        () => connect({ host, port, sni, timeoutMs: 15000 }),
      );
      const title = `${host}:${port}`;
      this.show(this.newDoc(core().engineDocument("live", title, r.connection), [r.connection], { steps: r.steps }), { kind: "empty" });
      if (!r.ok && r.error) {
        this.bridge.error(r.error);
        void vscode.window.showWarningMessage(vscode.l10n.t("Connection to {0} failed: {1}", title, r.error));
      }
      return r.ok;
    } finally {
      this.bridge.busy(null);
    }
  }

  /** A transcript's inspected model, with an optional selection (Show in timeline). */
  showCapture(uri: vscode.Uri, model: CaptureModel, selection?: Selection): void {
    const doc = this.newDoc(core().captureDocument(model, { canAttachKeyLog: false }), model.connections, { uri });
    if (selection) doc.selection = { ...selection };
    this.show(doc, { kind: "transcript", uri: uri.toString() });
  }

  private async restore(): Promise<void> {
    const last = this.context.workspaceState.get<Persisted>(STATE_KEY);
    try {
      if (last?.kind === "simulation") await this.simulate(last.request);
      else if (last?.kind === "transcript") {
        const { inspectTranscriptUri } = await import("./transcriptModel");
        const uri = vscode.Uri.parse(last.uri);
        const t = await inspectTranscriptUri(uri);
        if (t) this.showCapture(uri, t.model);
      }
    } catch {
      // The file may be gone: the panel stays empty.
    }
  }

  dispose(): void {
    if (HandshakePanel.current === this) HandshakePanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.session.remove(PANEL_KEY);
    this.panel.dispose();
  }
}
