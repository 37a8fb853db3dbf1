/**
 * "Save connection as transcript" and "Export key log": one connection's record bytes as `.tlstrace` text
 * (src/capture/transcript.ts writeTranscript) with the key-log lines that decrypt it, and the key log alone.
 */
import * as path from "node:path";
import * as vscode from "vscode";
import { core } from "./lazyCore";
import type { ConnectionModel } from "../model";
import { engineKeyLog, keyLogLinesFor } from "./keyLogs";
import type { SessionDocument } from "./session";

type RecordBytes = { dir: 0 | 1; bytes: Uint8Array; comment?: string };

/** The records as sent: from the inspected records (full detail), or from the engine's message steps. */
function recordBytes(doc: SessionDocument, conn: ConnectionModel): RecordBytes[] {
  const fromModel: RecordBytes[] = [];
  for (const r of conn.records) {
    const raw = (r as typeof r & { raw?: Uint8Array }).raw;
    if (raw) fromModel.push({ dir: r.dir === "c2s" ? 0 : 1, bytes: raw });
  }
  if (fromModel.length) {
    // Name each record after the messages it starts, like the writer's own samples do.
    const names = new Map<number, string[]>();
    for (const m of conn.messages) if (m.record !== undefined) names.set(m.record, [...(names.get(m.record) ?? []), m.name]);
    return fromModel.map((r, i) => ({ ...r, comment: names.get(i)?.join(", ") }));
  }
  if (doc.steps && conn === doc.connections[0]) {
    const out: RecordBytes[] = [];
    for (const s of doc.steps) if (s.kind === "message") for (const rec of s.records) out.push({ dir: s.dir === "c2s" ? 0 : 1, bytes: rec, comment: s.title });
    return out;
  }
  return [];
}

function connectionKeyLog(doc: SessionDocument, conn: ConnectionModel): string {
  return doc.keylog ? keyLogLinesFor(doc.keylog, conn) : engineKeyLog(conn);
}

function suggestedName(doc: SessionDocument, conn: ConnectionModel, ext: string): vscode.Uri | undefined {
  const base = doc.uri ? path.posix.basename(doc.uri.path).replace(/\.[^.]+$/, "") : doc.view.kind === "simulation" ? "simulated" : "connection";
  const dir = doc.uri ? doc.uri.with({ path: path.posix.dirname(doc.uri.path) }) : vscode.workspace.workspaceFolders?.[0]?.uri;
  return dir ? vscode.Uri.joinPath(dir, `${base}-conn${conn.id}${ext}`) : undefined;
}

export async function saveTranscript(doc: SessionDocument, conn: ConnectionModel): Promise<vscode.Uri | undefined> {
  const records = recordBytes(doc, conn);
  if (!records.length) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t("This connection's record bytes were not kept (too many connections in the capture); raise tlsHandshake.maxConnections and reopen it."),
    );
    return undefined;
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: suggestedName(doc, conn, ".tlstrace"),
    filters: { [vscode.l10n.t("TLS transcripts")]: ["tlstrace"] },
    saveLabel: vscode.l10n.t("Save Transcript"),
  });
  if (!target) return undefined;
  const text = core().writeTranscript({
    client: conn.client,
    server: conn.server,
    sni: conn.sni ?? undefined,
    meta: { alpn: conn.alpn ?? undefined, source: doc.uri ? `connection ${conn.id} of ${path.posix.basename(doc.uri.path)}` : doc.view.title },
    records,
    keylog: connectionKeyLog(doc, conn),
  });
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  void vscode.window.showInformationMessage(vscode.l10n.t("Saved {0}.", path.posix.basename(target.path)));
  return target;
}

export async function exportKeyLog(doc: SessionDocument, conn: ConnectionModel): Promise<vscode.Uri | undefined> {
  const text = connectionKeyLog(doc, conn);
  if (!text) {
    void vscode.window.showWarningMessage(vscode.l10n.t("No secrets are known for this connection."));
    return undefined;
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: suggestedName(doc, conn, ".keylog"),
    filters: { [vscode.l10n.t("Key logs")]: ["keylog"] },
    saveLabel: vscode.l10n.t("Export Key Log"),
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`# NSS key log (SSLKEYLOGFILE format)\n${text}`));
  return target;
}
