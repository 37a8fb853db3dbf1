/**
 * Transcript analyses for open text documents, cached by document version (hover, lenses, symbols and
 * diagnostics all ask for the same one), and for files on disk (the panel restoring a transcript).
 */
import * as vscode from "vscode";
import { indexTranscript, type TranscriptIndex } from "./transcriptIndex";

const MAX_CACHED = 8;
const cache = new Map<string, { version: number; index: TranscriptIndex | undefined }>();

function baseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf("/") + 1) || "transcript";
}

export function transcriptIndex(doc: vscode.TextDocument): TranscriptIndex | undefined {
  const key = doc.uri.toString();
  const hit = cache.get(key);
  if (hit && hit.version === doc.version) return hit.index;
  const index = indexTranscript(doc.getText(), baseName(doc.uri));
  cache.delete(key);
  cache.set(key, { version: doc.version, index });
  // Least recently computed out first: a Map iterates in insertion order.
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return index;
}

export function forgetTranscript(uri: vscode.Uri): void {
  cache.delete(uri.toString());
}

export async function inspectTranscriptUri(uri: vscode.Uri): Promise<TranscriptIndex | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return transcriptIndex(open);
  const bytes = await vscode.workspace.fs.readFile(uri);
  return indexTranscript(new TextDecoder().decode(bytes), baseName(uri));
}
