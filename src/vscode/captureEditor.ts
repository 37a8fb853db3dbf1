/**
 * The capture editor (custom readonly editor tlsHandshake.captureEditor for *.pcap, *.pcapng, *.cap): a
 * connections table and, for the selected connection, the timeline, bytes and key schedule. Inspection runs in a
 * worker thread under a cancellable progress notification; the editor opens at once, shows the first connections
 * while a large file is still being read, and the whole list when it is done.
 */
import * as vscode from "vscode";
import type { CaptureModel, ConnectionModel } from "../model";
import { core } from "./lazyCore";
import { findKeyLog, pickKeyLog } from "./keyLogs";
import { InspectCancelled, runInspection } from "./inspectRunner";
import { notesLanguage } from "./notes";
import type { Session, SessionDocument } from "./session";
import { saveTranscript } from "./transcriptExport";
import { WebviewBridge } from "./webviewBridge";
import { CaptureProblems } from "./captureProblems";
import { webviewHtml, webviewOptions } from "./webviewHtml";

export const CAPTURE_VIEW_TYPE = "tlsHandshake.captureEditor";

/** Connections shown while a capture is still being read: one page of the webview's table. */
const PREVIEW_ROWS = 500;

export class CaptureDocument implements vscode.CustomDocument {
  readonly bridges = new Set<WebviewBridge>();
  model: CaptureModel | undefined;
  keylog: string | undefined;
  loading: Promise<void> | undefined;
  /** Stops the background full-detail pass of a large capture. */
  stopBackground: (() => void) | undefined;
  /** The first connections gathered for the preview, and whether it was shown (see CaptureEditorProvider.preview). */
  previewing: { since: number; connections: ConnectionModel[] } | undefined;
  previewShown = false;

  constructor(
    readonly uri: vscode.Uri,
    private readonly onDispose: (d: CaptureDocument) => void,
  ) {}

  get key(): string {
    return this.uri.toString();
  }

  dispose(): void {
    this.stopBackground?.();
    this.onDispose(this);
  }
}

export class CaptureEditorProvider implements vscode.CustomReadonlyEditorProvider<CaptureDocument> {
  private readonly documents = new Map<string, CaptureDocument>();
  /** The diagnoses of open captures, in the Problems panel. */
  private readonly problems = new CaptureProblems();

  static register(context: vscode.ExtensionContext, session: Session): { provider: CaptureEditorProvider; disposable: vscode.Disposable } {
    const provider = new CaptureEditorProvider(context, session);
    context.subscriptions.push(provider.problems);
    const disposable = vscode.window.registerCustomEditorProvider(CAPTURE_VIEW_TYPE, provider, {
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: false,
    });
    return { provider, disposable };
  }

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly session: Session,
  ) {}

  document(key: string): CaptureDocument | undefined {
    return this.documents.get(key);
  }

  openCustomDocument(uri: vscode.Uri): CaptureDocument {
    const doc = new CaptureDocument(uri, (d) => {
      this.documents.delete(d.key);
      this.problems.clear(d.uri);
      this.session.remove(d.key);
    });
    this.documents.set(doc.key, doc);
    const name = uri.path.slice(uri.path.lastIndexOf("/") + 1);
    const placeholder: SessionDocument = {
      key: doc.key,
      mode: "editor",
      uri,
      view: { ...core().emptyDocument(name), kind: "capture", source: name, canAttachKeyLog: true },
      connections: [],
      selection: {},
    };
    this.session.put(placeholder);
    return doc;
  }

  resolveCustomEditor(doc: CaptureDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = webviewOptions(this.context.extensionUri);
    const bridge = new WebviewBridge(this.session, doc.key, panel.webview, "editor", this.context.extensionUri, {
      attachKeyLog: () => this.attachKeyLog(doc),
      saveTranscript: (id) => this.saveTranscript(doc, id),
    });
    doc.bridges.add(bridge);
    panel.webview.html = webviewHtml(panel.webview, this.context.extensionUri, "editor", notesLanguage());
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.session.setActive(doc.key);
    });
    panel.onDidDispose(() => {
      doc.bridges.delete(bridge);
      bridge.dispose();
    });
    this.session.setActive(doc.key);
    if (doc.loading || doc.model) return;
    // Inspection starts once the page is up (it can then show progress, and the editor has settled focus before
    // the progress notification appears); a page that never loads does not hold it back for long.
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      clearTimeout(timer);
      ready.dispose();
      if (!doc.loading && !doc.model) doc.loading = this.load(doc, undefined).finally(() => (doc.loading = undefined));
    };
    const ready = bridge.onDidBecomeReady(start);
    const timer = setTimeout(start, 2000);
  }

  /**
   * The first connections of a capture that is still being read: once a table page (PREVIEW_ROWS) has arrived, or
   * a second has passed, the editor shows them, so a large file has rows to look at long before its last
   * connection is read. Shown once per first load (a re-inspection with a key log keeps the previous result on
   * screen instead); the complete document replaces it.
   */
  private preview(doc: CaptureDocument, batch: ConnectionModel[]): void {
    if (doc.model || doc.previewShown) return;
    const p = (doc.previewing ??= { since: Date.now(), connections: [] });
    for (const c of batch) if (p.connections.length < PREVIEW_ROWS) p.connections.push(c);
    if (p.connections.length < PREVIEW_ROWS && Date.now() - p.since < 1000) return;
    doc.previewShown = true;
    const name = doc.uri.path.slice(doc.uri.path.lastIndexOf("/") + 1);
    const partial: CaptureModel = { schema: 1, input: { path: name, format: "pcap", packets: 0 }, connections: p.connections, errors: [] };
    // Format and packet count are known only at the end: left out of the preview rather than shown wrong.
    const view = { ...core().captureDocument(partial, { canAttachKeyLog: false }), format: undefined, packets: undefined };
    const first = p.connections[0]?.id;
    this.session.put(
      { key: doc.key, mode: "editor", uri: doc.uri, view, connections: p.connections, selection: first !== undefined ? { connection: first } : {} },
      this.session.active?.key === doc.key || !this.session.active,
    );
    for (const b of doc.bridges) b.refresh();
    doc.previewing = undefined;
  }

  /** Inspects (again) with a key log: the sibling file or the setting the first time, the chosen one after. */
  private async load(doc: CaptureDocument, keylog: { text: string; source: string } | undefined): Promise<void> {
    const found = keylog ?? (await findKeyLog(doc.uri));
    for (const b of doc.bridges) b.busy(vscode.l10n.t("Inspecting…"));
    try {
      const maxConnections = Math.max(1, vscode.workspace.getConfiguration("tlsHandshake").get<number>("maxConnections", 10000));
      doc.stopBackground?.();
      const { model, stop } = await runInspection(this.context.extensionUri, {
        uri: doc.uri,
        keylog: found?.text,
        maxConnections,
        onConnections: (batch) => this.preview(doc, batch),
        onDetail: (batch) => {
          const sdoc = this.session.get(doc.key);
          if (sdoc && sdoc.connections === model.connections) this.session.upgradeConnections(sdoc, batch);
        },
      });
      doc.stopBackground = stop;
      doc.model = model;
      doc.keylog = found?.text;
      this.problems.set(doc.uri, model);
      const previous = this.session.get(doc.key)?.selection;
      const first = model.connections[0]?.id;
      const keep = previous?.connection !== undefined && model.connections.some((c) => c.id === previous.connection);
      this.session.put(
        {
          key: doc.key,
          mode: "editor",
          uri: doc.uri,
          view: core().captureDocument(model),
          connections: model.connections,
          keylog: found?.text,
          selection: keep ? { connection: previous!.connection } : first !== undefined ? { connection: first } : {},
        },
        this.session.active?.key === doc.key || !this.session.active,
      );
      for (const b of doc.bridges) b.refresh();
    } catch (e) {
      const text = e instanceof InspectCancelled ? vscode.l10n.t("Inspection cancelled.") : e instanceof Error ? e.message : String(e);
      for (const b of doc.bridges) b.error(text);
      if (!(e instanceof InspectCancelled))
        void vscode.window.showErrorMessage(vscode.l10n.t("Could not inspect {0}: {1}", doc.uri.path.slice(doc.uri.path.lastIndexOf("/") + 1), text));
    } finally {
      for (const b of doc.bridges) b.busy(null);
    }
  }

  async attachKeyLog(doc: CaptureDocument): Promise<void> {
    const picked = await pickKeyLog(doc.uri);
    if (!picked) return;
    if (doc.loading) await doc.loading;
    doc.loading = this.load(doc, picked).finally(() => (doc.loading = undefined));
    await doc.loading;
  }

  async saveTranscript(doc: CaptureDocument, id: number): Promise<void> {
    const sdoc = this.session.get(doc.key);
    const conn = sdoc && this.session.connection(sdoc, id);
    if (sdoc && conn) await saveTranscript(sdoc, conn);
  }
}
