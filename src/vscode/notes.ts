/**
 * Explanatory notes (media/notes/<lang>/<id>.md) opened in the note view beside the editor. The language is
 * the `tlsHandshake.notesLanguage` setting, or with "auto" the language VS Code runs in (Korean → ko).
 */
import * as vscode from "vscode";
import type { Lang } from "../protocol/messages";
import { NotePanel } from "./notePanel";

const NOTE_ID = /^[a-z0-9-]{1,64}$/;

export function notesLanguage(): Lang {
  const set = vscode.workspace.getConfiguration("tlsHandshake").get<string>("notesLanguage", "auto");
  if (set === "en" || set === "ko") return set;
  return vscode.env.language.toLowerCase().startsWith("ko") ? "ko" : "en";
}

export function noteUri(extensionUri: vscode.Uri, id: string, lang: Lang = notesLanguage()): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, "media", "notes", lang, `${id}.md`);
}

/**
 * Opens note `id` beside the active editor in the note view (notePanel.ts), at the section whose English heading
 * is `section`; falls back to English when the translation is missing.
 */
export async function openNote(extensionUri: vscode.Uri, id: string, section?: string): Promise<boolean> {
  if (!NOTE_ID.test(id) || !(await NotePanel.show(extensionUri, id, notesLanguage(), section))) {
    void vscode.window.showWarningMessage(vscode.l10n.t("No note named {0}.", id));
    return false;
  }
  return true;
}

/** Toggles the notes language between English and Korean (stored as a user setting). */
export async function toggleNotesLanguage(): Promise<Lang> {
  const next: Lang = notesLanguage() === "ko" ? "en" : "ko";
  await vscode.workspace.getConfiguration("tlsHandshake").update("notesLanguage", next, vscode.ConfigurationTarget.Global);
  await NotePanel.relang(next);
  void vscode.window.showInformationMessage(next === "ko" ? vscode.l10n.t("Notes are now shown in Korean.") : vscode.l10n.t("Notes are now shown in English."));
  return next;
}
