/**
 * Explanatory notes (media/notes/<lang>/<id>.md) opened as a Markdown preview beside the editor. The language is
 * the `tlsHandshake.notesLanguage` setting, or with "auto" the language VS Code runs in (Korean → ko).
 */
import * as vscode from "vscode";
import type { Lang } from "../protocol/messages";

const NOTE_ID = /^[a-z0-9-]{1,64}$/;

export function notesLanguage(): Lang {
  const set = vscode.workspace.getConfiguration("tlsHandshake").get<string>("notesLanguage", "auto");
  if (set === "en" || set === "ko") return set;
  return vscode.env.language.toLowerCase().startsWith("ko") ? "ko" : "en";
}

export function noteUri(extensionUri: vscode.Uri, id: string, lang: Lang = notesLanguage()): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, "media", "notes", lang, `${id}.md`);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Opens note `id` beside the active editor; falls back to English when the translation is missing. */
export async function openNote(extensionUri: vscode.Uri, id: string): Promise<boolean> {
  if (!NOTE_ID.test(id)) return false;
  let uri = noteUri(extensionUri, id);
  if (!(await exists(uri))) uri = noteUri(extensionUri, id, "en");
  if (!(await exists(uri))) {
    void vscode.window.showWarningMessage(vscode.l10n.t("No note named {0}.", id));
    return false;
  }
  await vscode.commands.executeCommand("markdown.showPreviewToSide", uri);
  return true;
}

/** Toggles the notes language between English and Korean (stored as a user setting). */
export async function toggleNotesLanguage(): Promise<Lang> {
  const next: Lang = notesLanguage() === "ko" ? "en" : "ko";
  await vscode.workspace.getConfiguration("tlsHandshake").update("notesLanguage", next, vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage(next === "ko" ? vscode.l10n.t("Notes are now shown in Korean.") : vscode.l10n.t("Notes are now shown in English."));
  return next;
}
