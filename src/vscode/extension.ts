/**
 * Composition root of TLS Handshake Explorer in VS Code. Activation only registers: providers, views and commands.
 * The heavy parts (inspection in a worker thread, the handshake engine) load when first used, so activation stays
 * fast; its duration is measured and exposed to the extension tests.
 */
import { performance } from "node:perf_hooks";
import * as vscode from "vscode";
import { CaptureEditorProvider } from "./captureEditor";
import { registerCommands } from "./commands";
import { ConnectionsProvider, createConnectionsView } from "./connectionsView";
import { FieldsProvider, createFieldsView } from "./fieldsView";
import { NotePanel } from "./notePanel";
import { HandshakePanel, PANEL_KEY } from "./panel";
import { Session } from "./session";
import { registerTranscriptLanguage } from "./transcriptLanguage";

export interface TestApi {
  activationMs: number;
  connectionsProvider: vscode.TreeDataProvider<unknown>;
  fieldsProvider: vscode.TreeDataProvider<unknown>;
  connections(parent?: unknown): vscode.ProviderResult<unknown[]>;
  fields(parent?: unknown): vscode.ProviderResult<unknown[]>;
  /** Selects connection `index` (position in the active document's list). */
  selectConnection(index: number): boolean;
  /** What the panel shows and last posted (no secrets beyond what the page already has). */
  panelState(): { open: boolean; ready: boolean; document?: unknown; selection?: unknown; messages?: number; steps?: number; lastPosted: string[] };
  /** What the note view shows. */
  noteState(): { open: boolean; ready: boolean; note?: string; lang?: string; section?: number };
  /** The active document: key, kind, connection count and how many connections were decrypted. */
  activeDocument(): { key: string; kind: string; connections: number; decrypted: number } | undefined;
}

export function activate(context: vscode.ExtensionContext): { _test: TestApi } {
  const t0 = performance.now();
  const session = new Session();
  const connectionsProvider = new ConnectionsProvider(session);
  const fieldsProvider = new FieldsProvider(session);
  const { provider: captures, disposable: captureRegistration } = CaptureEditorProvider.register(context, session);

  context.subscriptions.push(
    session,
    connectionsProvider,
    fieldsProvider,
    captureRegistration,
    HandshakePanel.register(context, session),
    ...createConnectionsView(session, connectionsProvider),
    ...createFieldsView(session, fieldsProvider),
    ...registerTranscriptLanguage(),
    ...registerCommands({ context, session, captures }),
    { dispose: () => HandshakePanel.instance?.dispose() },
  );

  const activationMs = performance.now() - t0;
  const _test: TestApi = {
    activationMs,
    connectionsProvider: connectionsProvider as vscode.TreeDataProvider<unknown>,
    fieldsProvider: fieldsProvider as vscode.TreeDataProvider<unknown>,
    connections: (parent) => connectionsProvider.getChildren(parent as never),
    fields: (parent) => fieldsProvider.getChildren(parent as never),
    selectConnection(index) {
      const doc = session.active;
      const c = doc?.connections[index];
      if (!doc || !c) return false;
      session.select(doc, { connection: c.id }, "command");
      return true;
    },
    panelState() {
      const p = HandshakePanel.instance;
      const doc = session.get(PANEL_KEY);
      const conn = doc && session.connection(doc, doc.selection.connection);
      return {
        open: !!p,
        ready: p?.webviewBridge.isReady ?? false,
        document: doc ? { kind: doc.view.kind, title: doc.view.title, connections: doc.view.connections.length } : undefined,
        selection: doc?.selection,
        messages: conn?.messages.length,
        steps: doc?.steps?.length,
        lastPosted: p ? Object.keys(p.webviewBridge.lastPosted) : [],
      };
    },
    noteState: () => NotePanel.state,
    activeDocument() {
      const d = session.active;
      return d ? { key: d.key, kind: d.view.kind, connections: d.connections.length, decrypted: d.connections.filter((c) => c.decrypted).length } : undefined;
    },
  };
  return { _test };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
