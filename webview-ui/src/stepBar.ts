/** The step bar: first/prev/play/next/last, "step N of M" and what the current step did. */
import type { StepView } from "../../src/protocol/messages";
import { t } from "./i18n";
import { h, replace } from "./ui";

export interface StepBarCallbacks {
  onStep(index: number): void;
}

type Btn = HTMLElement & { disabled: boolean; icon: string };

export class StepBar {
  readonly el: HTMLDivElement;
  private steps: StepView[] = [];
  private index = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly counter: HTMLSpanElement;
  private readonly desc: HTMLDivElement;
  private readonly prev: Btn;
  private readonly next: Btn;
  private readonly first: Btn;
  private readonly last: Btn;
  private readonly play: Btn;

  constructor(private readonly cb: StepBarCallbacks) {
    const btn = (icon: string, label: string, testid?: string) => {
      const b = h("vscode-button", { icon, "icon-only": true, secondary: true, "aria-label": label, title: label, "data-testid": testid ?? null }) as Btn;
      return b;
    };
    this.first = btn("debug-reverse-continue", "⏮");
    this.first.setAttribute("aria-label", "first step");
    this.prev = btn("arrow-left", t().prev, "step-prev");
    this.play = btn("debug-start", t().play, "step-play");
    this.next = btn("arrow-right", t().next, "step-next");
    this.last = btn("debug-continue", "⏭");
    this.last.setAttribute("aria-label", "last step");
    this.first.addEventListener("click", () => this.go(0));
    this.prev.addEventListener("click", () => this.go(this.index - 1));
    this.next.addEventListener("click", () => this.go(this.index + 1));
    this.last.addEventListener("click", () => this.go(this.steps.length - 1));
    this.play.addEventListener("click", () => this.togglePlay());
    this.counter = h("span", { class: "step-count", "aria-live": "polite" });
    this.desc = h("div", { class: "step-desc" });
    this.el = h(
      "div",
      { class: "step-bar", role: "toolbar", "aria-label": "steps", hidden: true },
      h("div", { class: "step-buttons" }, this.first, this.prev, this.play, this.next, this.last, this.counter),
      this.desc,
    );
  }

  setSteps(steps: StepView[] | undefined, index: number): void {
    this.stop();
    this.steps = Array.isArray(steps) ? steps : [];
    this.el.hidden = this.steps.length === 0;
    this.index = Math.max(0, Math.min(index, this.steps.length - 1));
    this.render();
  }

  current(): number {
    return this.index;
  }

  private go(i: number): void {
    if (!this.steps.length) return;
    const j = Math.max(0, Math.min(i, this.steps.length - 1));
    if (j === this.index) {
      if (this.timer && j === this.steps.length - 1) this.stop();
      return;
    }
    this.index = j;
    this.render();
    this.cb.onStep(j);
  }

  /** Moves to a step from outside (restored state), without notifying. */
  set(i: number): void {
    this.index = Math.max(0, Math.min(i, this.steps.length - 1));
    this.render();
  }

  private togglePlay(): void {
    if (this.timer) {
      this.stop();
      return;
    }
    if (this.index >= this.steps.length - 1) this.go(0);
    this.timer = setInterval(() => {
      if (this.index >= this.steps.length - 1) this.stop();
      else this.go(this.index + 1);
    }, 900);
    this.play.icon = "debug-pause";
    this.play.setAttribute("aria-label", t().pause);
    this.play.title = t().pause;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.play.icon = "debug-start";
    this.play.setAttribute("aria-label", t().play);
    this.play.title = t().play;
  }

  private render(): void {
    const n = this.steps.length;
    const st = this.steps[this.index];
    this.counter.textContent = n ? t().stepOf(this.index + 1, n) : "";
    this.prev.disabled = this.first.disabled = this.index <= 0;
    this.next.disabled = this.last.disabled = this.index >= n - 1;
    if (!st) {
      replace(this.desc);
      return;
    }
    const actor = h("span", { class: `badge ${st.actor}` }, t()[st.actor]);
    if (st.kind === "message") {
      replace(
        this.desc,
        actor,
        h("span", { class: "step-kind" }, t().message),
        h("b", null, st.title),
        st.dir
          ? h("span", { class: "fi-muted" }, ` — ${t()[st.dir]}${st.encrypted ? `, ${t().encrypted}` : ""}${st.keyPhase ? `, ${t()[st.keyPhase]}` : ""}`)
          : null,
        st.note ? h("div", { class: "fi-muted" }, st.note) : null,
      );
    } else if (st.kind === "secret") {
      replace(
        this.desc,
        actor,
        h("span", { class: "step-kind" }, t().secret),
        h("b", null, st.title),
        st.derivation ? h("div", { class: "mono fi-muted" }, st.derivation) : null,
      );
    } else {
      replace(
        this.desc,
        actor,
        h("span", { class: "step-kind" }, t().check),
        h("span", { class: st.ok ? "ok" : "fail" }, st.ok ? "✓ " : "✗ "),
        h("b", null, st.title),
        st.detail ? h("div", { class: "fi-muted" }, st.detail) : null,
      );
    }
  }
}
