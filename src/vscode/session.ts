/**
 * The registry of what is open — capture editors and the handshake panel — and of the current selection. Views and
 * commands ask the session; webviews and trees change the selection through it and hear about changes from it, so
 * a click in one place highlights the same bytes everywhere.
 */
import * as vscode from "vscode";
import type { Step } from "../engine/steps";
import type { ConnectionModel } from "../model";
import { core } from "./lazyCore";
import type { ConnectionView, DocumentView, Selection } from "../protocol/messages";

export type SelectionOrigin = "tree" | "webview" | "command";

export interface SessionDocument {
  /** Registry key: the capture's URI, or "panel". */
  readonly key: string;
  readonly mode: "panel" | "editor";
  /** The file shown (captures, transcripts). */
  uri?: vscode.Uri;
  view: DocumentView;
  /** Same order and ids as view.connections. */
  connections: ConnectionModel[];
  /** Engine steps of connection 0 (simulate / connect). */
  steps?: Step[];
  /** NSS key log text used for this document (never logged). */
  keylog?: string;
  selection: Selection;
}

export interface SelectionChange {
  doc: SessionDocument;
  selection: Selection;
  origin: SelectionOrigin;
  /** The selected connection changed (views re-render it, not just re-highlight). */
  connectionChanged: boolean;
}

export class Session implements vscode.Disposable {
  private readonly docs = new Map<string, SessionDocument>();
  private activeKey: string | undefined;
  private readonly views = new WeakMap<ConnectionModel, ConnectionView>();

  private readonly changedDocuments = new vscode.EventEmitter<void>();
  /** A document was added, replaced, removed, or became the active one. */
  readonly onDidChangeDocuments = this.changedDocuments.event;
  private readonly changedSelection = new vscode.EventEmitter<SelectionChange>();
  readonly onDidChangeSelection = this.changedSelection.event;
  private readonly upgraded = new vscode.EventEmitter<{ doc: SessionDocument; ids: Set<number> }>();
  /** Connections of a document were replaced by more detailed models (same ids, same summaries). */
  readonly onDidUpgradeConnections = this.upgraded.event;

  get active(): SessionDocument | undefined {
    return this.activeKey !== undefined ? this.docs.get(this.activeKey) : undefined;
  }

  get(key: string): SessionDocument | undefined {
    return this.docs.get(key);
  }

  all(): SessionDocument[] {
    return [...this.docs.values()];
  }

  /** Adds or replaces a document (e.g. after a key log was attached). */
  put(doc: SessionDocument, activate = true): void {
    this.docs.set(doc.key, doc);
    if (activate) this.activeKey = doc.key;
    this.changedDocuments.fire();
  }

  remove(key: string): void {
    if (!this.docs.delete(key)) return;
    if (this.activeKey === key) this.activeKey = undefined;
    this.changedDocuments.fire();
  }

  setActive(key: string): void {
    if (this.activeKey === key || !this.docs.has(key)) return;
    this.activeKey = key;
    this.changedDocuments.fire();
  }

  connection(doc: SessionDocument, id: number | undefined): ConnectionModel | undefined {
    if (id === undefined) return undefined;
    // Ids are the capture's connection numbers; they are usually the index too.
    const byIndex = doc.connections[id];
    return byIndex?.id === id ? byIndex : doc.connections.find((c) => c.id === id);
  }

  /** The protocol view of a connection (built once per model). */
  connectionView(doc: SessionDocument, id: number | undefined): ConnectionView | undefined {
    const c = this.connection(doc, id);
    if (!c) return undefined;
    let v = this.views.get(c);
    if (!v) {
      v = core().connectionView(c, c === doc.connections[0] ? doc.steps : undefined);
      this.views.set(c, v);
    }
    return v;
  }

  /** Replaces connections (matched by id) with models in fuller detail, e.g. from a background pass. */
  upgradeConnections(doc: SessionDocument, models: ConnectionModel[]): void {
    const ids = new Set<number>();
    const at = new Map<number, number>();
    doc.connections.forEach((c, i) => at.set(c.id, i));
    for (const m of models) {
      const i = at.get(m.id);
      if (i === undefined) continue;
      doc.connections[i] = m;
      ids.add(m.id);
    }
    if (ids.size) this.upgraded.fire({ doc, ids });
  }

  select(doc: SessionDocument, selection: Selection, origin: SelectionOrigin): void {
    const before = doc.selection;
    const same =
      before.connection === selection.connection && before.message === selection.message && before.start === selection.start && before.end === selection.end;
    if (same && origin !== "command") return;
    doc.selection = { ...selection };
    this.changedSelection.fire({ doc, selection: doc.selection, origin, connectionChanged: before.connection !== selection.connection });
  }

  dispose(): void {
    this.changedDocuments.dispose();
    this.changedSelection.dispose();
    this.upgraded.dispose();
    this.docs.clear();
  }
}
