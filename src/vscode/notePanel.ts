/**
 * The note view: one webview panel (viewType tlsHandshake.note) beside the editor that shows an explanatory note
 * rendered for reading — its RFC citations as links to the RFCs, the notes index.json lists as related as
 * buttons — opened at a named section when a field's note has one. It follows the notes language setting.
 */
import * as vscode from "vscode";
import { isWebviewToHost, type Lang, type NoteView } from "../protocol/messages";
import { webviewHtml, webviewOptions } from "./webviewHtml";

export const NOTE_VIEW_TYPE = "tlsHandshake.note";
const NOTE_ID = /^[a-z0-9-]{1,64}$/;

interface IndexEntry {
  id: string;
  title: Record<Lang, string>;
  rfc: string[];
  related: string[];
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** Headings of level ≥ 2 outside code blocks, in order (the note page numbers them the same way). */
export function noteHeadings(markdown: string): string[] {
  return markdown
    .replace(/```[\s\S]*?```/g, "")
    .split("\n")
    .filter((l) => /^#{2,6} /.test(l))
    .map((l) => l.replace(/^#+ /, "").trim());
}

/** Builds the view of note `id` in `lang` (English when the translation is missing), at `section`. */
export async function loadNote(extensionUri: vscode.Uri, id: string, lang: Lang, section?: string): Promise<NoteView | undefined> {
  if (!NOTE_ID.test(id)) return undefined;
  const dir = vscode.Uri.joinPath(extensionUri, "media", "notes");
  const indexText = await readText(vscode.Uri.joinPath(dir, "index.json"));
  const index = indexText ? ((JSON.parse(indexText) as { notes: IndexEntry[] }).notes ?? []) : [];
  let shown = lang;
  let markdown = await readText(vscode.Uri.joinPath(dir, lang, `${id}.md`));
  if (markdown === undefined && lang !== "en") {
    shown = "en";
    markdown = await readText(vscode.Uri.joinPath(dir, "en", `${id}.md`));
  }
  if (markdown === undefined) return undefined;
  const entry = index.find((n) => n.id === id);
  const title = entry?.title[shown] ?? /^# (.*)$/m.exec(markdown)?.[1] ?? id;
  const related = (entry?.related ?? [])
    .map((r) => index.find((n) => n.id === r))
    .filter((n): n is IndexEntry => !!n)
    .map((n) => ({ id: n.id, title: n.title[shown] ?? n.id }));
  const view: NoteView = { id, lang: shown, title, markdown, rfc: entry?.rfc ?? [], related };
  if (section) {
    // Sections are named by their English heading; the Korean twin has the same outline (test/unit/notes).
    const en = shown === "en" ? markdown : await readText(vscode.Uri.joinPath(dir, "en", `${id}.md`));
    const i = en ? noteHeadings(en).indexOf(section) : -1;
    if (i >= 0) view.section = i;
  }
  return view;
}

export class NotePanel {
  private static current: NotePanel | undefined;
  private ready = false;
  private pending: NoteView | undefined;
  private last: { id: string; section?: string } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  /** Shows note `id` (at `section`) in the note view, creating it beside the active editor if needed. */
  static async show(extensionUri: vscode.Uri, id: string, lang: Lang, section?: string): Promise<boolean> {
    const view = await loadNote(extensionUri, id, lang, section);
    if (!view) return false;
    let p = NotePanel.current;
    if (!p) {
      const panel = vscode.window.createWebviewPanel(
        NOTE_VIEW_TYPE,
        view.title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        webviewOptions(extensionUri),
      );
      p = NotePanel.current = new NotePanel(panel, extensionUri, lang);
    } else p.panel.reveal(undefined, true);
    p.last = { id, section };
    p.send(view);
    return true;
  }

  /** The note view's language changed: show the same note in the new language. */
  static async relang(lang: Lang): Promise<void> {
    const p = NotePanel.current;
    if (!p?.last) return;
    const view = await loadNote(p.extensionUri, p.last.id, lang, p.last.section);
    if (view) p.send(view);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    lang: Lang,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, "media", "icons", "handshake.svg");
    panel.webview.html = webviewHtml(panel.webview, extensionUri, "note", lang);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (!isWebviewToHost(m)) return;
        if (m.type === "ready") {
          this.ready = true;
          if (this.pending) void panel.webview.postMessage({ type: "note", note: this.pending });
        } else if (m.type === "explain") {
          void NotePanel.show(extensionUri, m.note, this.pending?.lang ?? lang, m.section);
        }
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private send(view: NoteView): void {
    this.pending = view;
    this.panel.title = view.title;
    if (this.ready) void this.panel.webview.postMessage({ type: "note", note: view });
  }

  /** What the page shows (tests read it through `_test`). */
  static get state(): { open: boolean; ready: boolean; note?: string; lang?: Lang; section?: number } {
    const p = NotePanel.current;
    return { open: !!p, ready: !!p?.ready, note: p?.pending?.id, lang: p?.pending?.lang, section: p?.pending?.section };
  }

  private dispose(): void {
    if (NotePanel.current === this) NotePanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
