/**
 * A capture's diagnoses in VS Code's Problems panel: one entry per diagnosis, on the capture file (a binary file has
 * no lines, so each sits at its start), naming the connection, the code and the RFC section. Cleared when the
 * capture editor closes.
 */
import * as vscode from "vscode";
import type { CaptureModel } from "../model";
import { notesLanguage } from "./notes";

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
} as const;

/** At most this many per file: the panel is for reading, and a capture can hold 100,000 connections. */
const MAX_PER_FILE = 1000;

export class CaptureProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("tlsHandshake.captures");

  set(uri: vscode.Uri, model: CaptureModel): void {
    const ko = notesLanguage() === "ko";
    const out: vscode.Diagnostic[] = [];
    const start = new vscode.Range(0, 0, 0, 0);
    for (const c of model.connections) {
      for (const d of c.diagnoses ?? []) {
        if (out.length >= MAX_PER_FILE) break;
        const where = `Connection ${c.id} (${c.client.ip}:${c.client.port} → ${c.server.ip}:${c.server.port})`;
        const frames = d.frames.length ? `, frame ${d.frames.join(", ")}` : "";
        const p = new vscode.Diagnostic(start, `${where}: ${ko ? d.messageKo : d.message} [${d.rfc}${frames}]`, SEVERITY[d.severity]);
        p.code = d.code;
        p.source = "TLS Handshake";
        out.push(p);
      }
    }
    this.collection.set(uri, out);
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
