/**
 * Lesson mode's column of the handshake panel: where the route is (step n of m), the step's explanation, the two
 * handshakes side by side when a step compares them, a "check yourself" question whose answer shows on request,
 * the step's note, and the buttons that move on, show the same step in a real capture or on a live connection.
 * Everything from the host lands as text (ui.ts).
 */
import "@vscode-elements/elements/dist/vscode-button/index.js";
import type { LessonView, NoteView } from "../../src/protocol/messages";
import { NoteReader } from "./noteView";
import { st } from "./studyStrings";
import { h, replace } from "./ui";

export interface LessonCallbacks {
  onGoto(index: number): void;
  onCapture(): void;
  onLive(): void;
  onRoute(route: string): void;
  onExit(): void;
  onOpenNote(id: string): void;
}

/** A handshake's messages up to its last Finished (the application data and closure that follow are not compared). */
function handshakeOnly<T extends { name: string }>(messages: T[]): T[] {
  const last = messages.map((m) => m.name).lastIndexOf("Finished");
  return last >= 0 ? messages.slice(0, last + 1) : messages;
}

export class LessonPane {
  readonly el = h("section", { class: "lesson-col", "data-testid": "lesson", hidden: true, "aria-live": "polite" });
  private readonly card = h("div", { class: "lesson-card" });
  private readonly reader: NoteReader;
  private view: LessonView | null = null;

  constructor(private readonly cb: LessonCallbacks) {
    this.reader = new NoteReader({ onOpen: (id) => cb.onOpenNote(id) });
    this.el.append(this.card, h("div", { class: "lesson-note" }, this.reader.el));
  }

  get current(): LessonView | null {
    return this.view;
  }

  show(v: LessonView | null): void {
    this.view = v;
    this.el.hidden = !v;
    if (!v) {
      replace(this.card);
      this.reader.show(null);
      return;
    }
    const s = v.step;
    const last = v.index === v.count - 1;
    const button = (label: string, icon: string, fn: () => void, attrs: Record<string, string | boolean> = {}) => {
      const b = h("vscode-button", { icon, ...attrs }, label);
      b.addEventListener("click", fn);
      return b;
    };
    const answer = h("div", { class: "lesson-answer", hidden: true, "data-testid": "lesson-answer" }, s.answer);
    const reveal = button(st().showAnswer, "eye", () => {
      answer.hidden = !answer.hidden;
      reveal.textContent = answer.hidden ? st().showAnswer : st().hideAnswer;
    });
    reveal.setAttribute("secondary", "");
    reveal.dataset.testid = "lesson-reveal";
    const compare = s.compare?.length
      ? h(
          "div",
          { class: "lesson-compare", "data-testid": "lesson-compare" },
          h("div", { class: "section-title" }, st().sideBySide),
          h(
            "div",
            { class: "lesson-compare-cols" },
            s.compare.map((c) =>
              h(
                "div",
                { class: "lesson-compare-col" },
                h("div", { class: "lesson-compare-title" }, c.title),
                h(
                  "ol",
                  null,
                  handshakeOnly(c.messages).map((m) =>
                    h("li", { class: `dir-${m.dir}`, title: m.name }, h("span", { class: "lesson-dir" }, m.dir === "c2s" ? "→" : "←"), m.name),
                  ),
                ),
              ),
            ),
          ),
        )
      : null;
    const nav = h(
      "div",
      { class: "lesson-nav" },
      button(st().back, "arrow-left", () => this.cb.onGoto(v.index - 1), { secondary: true, disabled: v.index === 0, "data-testid": "lesson-back" }),
      last ? null : button(st().nextStep, "arrow-right", () => this.cb.onGoto(v.index + 1), { "data-testid": "lesson-next" }),
    );
    const extra = h(
      "div",
      { class: "lesson-extra" },
      s.capture ? button(st().inCapture, "file-binary", () => this.cb.onCapture(), { secondary: true, "data-testid": "lesson-capture" }) : null,
      s.live ? button(st().liveConnect, "plug", () => this.cb.onLive(), { secondary: true, "data-testid": "lesson-live" }) : null,
    );
    const done = last
      ? h(
          "div",
          { class: "lesson-done", "data-testid": "lesson-done" },
          h("p", null, st().routeDone),
          v.other.id !== v.route ? button(st().otherRoute, "debug-restart", () => this.cb.onRoute(v.other.id), { "data-testid": "lesson-other" }) : null,
          " ",
          button(st().leaveLesson, "close", () => this.cb.onExit(), { secondary: true, "data-testid": "lesson-exit" }),
        )
      : null;
    const progress = h("div", { class: "lesson-progress", role: "progressbar", "aria-valuemin": 1, "aria-valuemax": v.count, "aria-valuenow": v.index + 1 });
    const bar = h("div", { class: "lesson-progress-bar" });
    // Through the CSSOM: the page's CSP allows no inline style attributes.
    bar.style.width = `${Math.round(((v.index + 1) / v.count) * 100)}%`;
    progress.append(bar);
    const exit = button("", "close", () => this.cb.onExit(), {
      secondary: true,
      "icon-only": true,
      title: st().leaveLesson,
      "aria-label": st().leaveLesson,
      "data-testid": "lesson-close",
    });
    replace(
      this.card,
      h("div", { class: "lesson-head" }, h("span", { class: "lesson-route" }, `${st().lesson}: ${v.title}`), exit),
      h(
        "div",
        { class: "lesson-count", "data-testid": "lesson-count", "data-index": v.index + 1, "data-count": v.count },
        st().lessonStep(v.index + 1, v.count),
      ),
      progress,
      h("h2", { class: "lesson-title", "data-testid": "lesson-title" }, s.title),
      s.text.map((p) => h("p", null, p)),
      compare,
      h(
        "div",
        { class: "lesson-question" },
        h("div", { class: "section-title" }, st().checkYourself),
        h("p", { "data-testid": "lesson-question" }, s.question),
        reveal,
        answer,
      ),
      nav,
      extra,
      done,
    );
    this.card.scrollTop = 0;
    this.el.scrollTop = 0;
  }

  showNote(n: NoteView): void {
    this.reader.show(n);
  }
}
