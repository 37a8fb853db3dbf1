/**
 * The "Handshake Fields" view: the selected connection's handshake messages, each with its field tree (RFC
 * names, display values as descriptions, the defining RFC in the tooltip). Choosing a node highlights its bytes in
 * the panel/editor; a selection made in the webview reveals the matching node here.
 */
import * as vscode from "vscode";
import type { AlertInfo, MessageInfo } from "../model";
import { core } from "./lazyCore";
import type { FieldNode } from "../tls/field";
import type { Session, SessionDocument } from "./session";

interface Base {
  readonly docKey: string;
  readonly connection: number;
  readonly id: string;
}
export interface MessageElement extends Base {
  readonly kind: "message";
  readonly index: number;
  readonly info: MessageInfo;
  children?: FieldElement[];
}
export interface FieldElement extends Base {
  readonly kind: "field";
  readonly message: number;
  readonly node: FieldNode;
  readonly parent: MessageElement | FieldElement;
  children?: FieldElement[];
}
export interface AlertElement extends Base {
  readonly kind: "alert";
  readonly alert: AlertInfo;
}
export type FieldsElement = MessageElement | FieldElement | AlertElement;

export class FieldsProvider implements vscode.TreeDataProvider<FieldsElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<FieldsElement | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Elements are kept per (document view, connection): reveal() and getParent need stable objects. */
  private cache: { doc?: SessionDocument; view?: unknown; connection?: number; top: FieldsElement[] } = { top: [] };
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly session: Session) {
    this.subscriptions = [
      session.onDidChangeDocuments(() => this.refreshIfChanged()),
      session.onDidChangeSelection((e) => {
        if (e.connectionChanged) this.refreshIfChanged();
      }),
      session.onDidUpgradeConnections((e) => {
        const sel = e.doc.selection.connection;
        if (e.doc === this.session.active && sel !== undefined && e.ids.has(sel)) {
          this.cache = { top: [] };
          this.changed.fire();
        }
      }),
    ];
  }

  private refreshIfChanged(): void {
    const doc = this.session.active;
    if (doc === this.cache.doc && doc?.view === this.cache.view && doc?.selection.connection === this.cache.connection) return;
    this.cache = { top: [] };
    this.changed.fire();
  }

  /** The active document and its selected connection's messages (built lazily, then cached). */
  private top(): FieldsElement[] {
    const doc = this.session.active;
    const connection = doc?.selection.connection;
    if (doc === this.cache.doc && doc?.view === this.cache.view && connection === this.cache.connection && this.cache.top.length) return this.cache.top;
    const conn = doc && this.session.connection(doc, connection);
    const top: FieldsElement[] = [];
    if (doc && conn) {
      conn.messages.forEach((info, index) =>
        top.push({ kind: "message", docKey: doc.key, connection: conn.id, id: `${doc.key}|${conn.id}|m${index}`, index, info }),
      );
      conn.alerts.forEach((alert, i) => top.push({ kind: "alert", docKey: doc.key, connection: conn.id, id: `${doc.key}|${conn.id}|a${i}`, alert }));
    }
    this.cache = { doc, view: doc?.view, connection, top };
    return top;
  }

  private kids(e: MessageElement | FieldElement): FieldElement[] {
    if (!e.children) {
      const nodes = e.kind === "message" ? ((e.info.tree && core().annotateFieldNotes(e.info.tree))?.children ?? []) : (e.node.children ?? []);
      const message = e.kind === "message" ? e.index : e.message;
      e.children = nodes.map((node, i) => ({ kind: "field", docKey: e.docKey, connection: e.connection, id: `${e.id}.${i}`, message, node, parent: e }));
    }
    return e.children;
  }

  getChildren(e?: FieldsElement): FieldsElement[] {
    if (!e) return this.top();
    return e.kind === "alert" ? [] : this.kids(e);
  }

  getParent(e: FieldsElement): FieldsElement | undefined {
    return e.kind === "field" ? e.parent : undefined;
  }

  getTreeItem(e: FieldsElement): vscode.TreeItem {
    if (e.kind === "alert") {
      const item = new vscode.TreeItem(`Alert: ${core().alertText(e.alert)}`, vscode.TreeItemCollapsibleState.None);
      item.id = e.id;
      item.description = `${e.alert.dir === "c2s" ? "client → server" : "server → client"} · frame ${e.alert.frame}`;
      item.iconPath = new vscode.ThemeIcon("error");
      item.contextValue = "alert";
      return item;
    }
    if (e.kind === "message") {
      const m = e.info;
      const hasKids = (m.tree?.children?.length ?? 0) > 0;
      const item = new vscode.TreeItem(m.name, hasKids ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = e.id;
      item.description = `${m.dir === "c2s" ? "→" : "←"} ${m.length + 4} bytes · frame ${m.frame}${m.encrypted ? " · encrypted" : ""}`;
      item.tooltip = [m.tree?.display || m.name, m.tree?.rfc, m.error ? `⚠ ${m.error}` : undefined].filter((x) => x).join("\n");
      item.iconPath = new vscode.ThemeIcon(m.error ? "error" : m.encrypted ? "lock" : m.dir === "c2s" ? "arrow-right" : "arrow-left");
      item.contextValue = "message";
      return item;
    }
    const n = e.node;
    const item = new vscode.TreeItem(n.name, n.children?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = e.id;
    item.description = n.display;
    item.tooltip = [`${n.name}: ${n.display}`, n.rfc, `bytes ${n.start}–${n.end - 1} (${n.end - n.start})`, n.error ? `⚠ ${n.error}` : undefined]
      .filter((x) => x)
      .join("\n");
    if (n.error) item.iconPath = new vscode.ThemeIcon("warning");
    item.contextValue = n.note ? "field explainable" : "field";
    return item;
  }

  /** The deepest node of message `message` covering exactly [start, end) (or the innermost covering start). */
  findElement(docKey: string, connection: number, message: number, start?: number, end?: number): FieldsElement | undefined {
    const msg = this.top().find((e): e is MessageElement => e.kind === "message" && e.docKey === docKey && e.connection === connection && e.index === message);
    if (!msg || start === undefined) return msg;
    let best: MessageElement | FieldElement = msg;
    for (let depth = 0; depth < 64; depth++) {
      const next: FieldElement | undefined = this.kids(best).find((k) => k.node.start <= start && (end ?? start + 1) <= k.node.end);
      if (!next) break;
      best = next;
      if (next.node.start === start && next.node.end === end) break;
    }
    return best;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/** Creates the view and keeps it and the webviews' selection in step. */
export function createFieldsView(session: Session, provider: FieldsProvider): vscode.Disposable[] {
  const view = vscode.window.createTreeView("tlsHandshake.fields", { treeDataProvider: provider, showCollapseAll: true });
  let revealing = false;
  const describe = () => {
    const doc = session.active;
    const c = doc && session.connection(doc, doc.selection.connection);
    view.description = c ? `#${c.id} ${c.server.ip}:${c.server.port}${c.sni ? ` (${c.sni})` : ""}` : undefined;
  };
  describe();
  return [
    view,
    session.onDidChangeDocuments(describe),
    view.onDidChangeSelection((e) => {
      if (revealing) return;
      const el = e.selection[0];
      const doc = el && session.get(el.docKey);
      if (!doc || el.kind === "alert") return;
      if (el.kind === "message") session.select(doc, { connection: el.connection, message: el.index }, "tree");
      else session.select(doc, { connection: el.connection, message: el.message, start: el.node.start, end: el.node.end }, "tree");
    }),
    session.onDidChangeSelection((e) => {
      describe();
      if (e.origin === "tree" || !view.visible) return;
      const s = e.selection;
      if (s.connection === undefined || s.message === undefined) return;
      const el = provider.findElement(e.doc.key, s.connection, s.message, s.start, s.end);
      if (!el) return;
      revealing = true;
      void Promise.resolve(view.reveal(el, { select: true, focus: false, expand: false }))
        .then(undefined, () => undefined)
        .finally(() => (revealing = false));
    }),
  ];
}
