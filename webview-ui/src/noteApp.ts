/**
 * The note page (body data-mode="note"): one explanatory note rendered for reading, its related notes as buttons.
 * The host sends `note`; a related note is asked for with `explain`.
 */
import "@vscode-elements/elements/dist/vscode-button/index.js";
import { isHostToWebview } from "../../src/protocol/messages";
import { setLang } from "./i18n";
import { NoteReader } from "./noteView";
import { post } from "./vscodeApi";

export class NoteApp {
  private readonly reader = new NoteReader({ onOpen: (id) => post({ type: "explain", note: id }) });

  constructor(root: HTMLElement) {
    root.classList.add("note-page");
    root.append(this.reader.el);
    window.addEventListener("message", (e: MessageEvent) => {
      const m: unknown = e.data;
      if (!isHostToWebview(m) || m.type !== "note") return;
      setLang(m.note.lang);
      this.reader.show(m.note);
    });
    post({ type: "ready" });
  }
}
