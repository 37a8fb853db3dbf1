/**
 * The "Connections" view: the connections of the active capture, simulation or live run. Choosing one selects it
 * everywhere (the editor or panel shows it, "Handshake Fields" lists its messages).
 */
import * as vscode from "vscode";
import type { ConnectionSummaryView } from "../protocol/messages";
import type { Session, SessionDocument } from "./session";

export interface ConnectionNode {
  readonly docKey: string;
  readonly summary: ConnectionSummaryView;
}

/** Tree items show at most this many connections; the capture editor's table shows them all. */
const MAX_ROWS = 5000;

export class ConnectionsProvider implements vscode.TreeDataProvider<ConnectionNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConnectionNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: { doc: SessionDocument | undefined; view: unknown; list: ConnectionNode[] } = { doc: undefined, view: undefined, list: [] };
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: Session) {
    this.subscription = session.onDidChangeDocuments(() => this.changed.fire());
  }

  /** Nodes are cached per document view, so reveal() finds the same objects getChildren returned. */
  private list(): ConnectionNode[] {
    const doc = this.session.active;
    if (doc !== this.nodes.doc || doc?.view !== this.nodes.view) {
      const list = doc ? doc.view.connections.slice(0, MAX_ROWS).map((summary) => ({ docKey: doc.key, summary })) : [];
      this.nodes = { doc, view: doc?.view, list };
    }
    return this.nodes.list;
  }

  nodeFor(docKey: string, id: number | undefined): ConnectionNode | undefined {
    return this.list().find((n) => n.docKey === docKey && n.summary.id === id);
  }

  getChildren(element?: ConnectionNode): ConnectionNode[] {
    return element ? [] : this.list();
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(n: ConnectionNode): vscode.TreeItem {
    const s = n.summary;
    // Labels are plain text (TreeItem never renders HTML), so peer-chosen names show exactly as sent.
    const item = new vscode.TreeItem(`#${s.id} ${s.client.ip}:${s.client.port} → ${s.server.ip}:${s.server.port}`, vscode.TreeItemCollapsibleState.None);
    item.id = `${n.docKey}#${s.id}`;
    item.description = [s.sni, s.version, s.status].filter((x) => x).join(" · ");
    item.tooltip = [
      `${s.client.ip}:${s.client.port} → ${s.server.ip}:${s.server.port}`,
      `SNI: ${s.sni ?? "—"}`,
      `ALPN: ${s.alpn ?? "—"}`,
      `JA4: ${s.ja4 ?? "—"}`,
      `${s.version} · ${s.suite}`,
      `${s.messages} handshake messages${s.decrypted ? " · decrypted" : ""}`,
      s.status,
    ].join("\n");
    item.iconPath = new vscode.ThemeIcon(s.status.startsWith("alert") || s.status.startsWith("error") ? "error" : s.decrypted ? "unlock" : "plug");
    item.contextValue = "connection";
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Creates the view and wires its selection to the session. */
export function createConnectionsView(session: Session, provider: ConnectionsProvider): vscode.Disposable[] {
  const view = vscode.window.createTreeView("tlsHandshake.connections", { treeDataProvider: provider, showCollapseAll: false });
  const describe = () => {
    const doc = session.active;
    view.description = doc ? doc.view.title : undefined;
    view.message = doc && doc.view.connections.length > MAX_ROWS ? vscode.l10n.t("Showing the first {0} connections.", MAX_ROWS) : undefined;
  };
  describe();
  return [
    view,
    session.onDidChangeDocuments(describe),
    view.onDidChangeSelection((e) => {
      const n = e.selection[0];
      const doc = n && session.get(n.docKey);
      if (doc) session.select(doc, { connection: n.summary.id }, "tree");
    }),
    session.onDidChangeSelection((e) => {
      if (e.origin === "tree" || !view.visible || !e.connectionChanged) return;
      const n = provider.nodeFor(e.doc.key, e.selection.connection);
      if (n) void view.reveal(n, { select: true, focus: false }).then(undefined, () => undefined);
    }),
  ];
}
