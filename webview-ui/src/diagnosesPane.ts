/**
 * A connection's diagnoses above its timeline (src/inspect/diagnose): severity, the sentence in the page's
 * language, the RFC section and what to do; each links to its evidence (the message and the field it names, or the
 * frame's message) and to the note explaining its family. Text from a capture goes in as text nodes only.
 */
import type { DiagnosisView } from "../../src/protocol/messages";
import { isKorean, t } from "./i18n";
import { h, replace } from "./ui";

export interface DiagnosesPaneHost {
  /** Show the diagnosis's evidence (its message, and the field's bytes when known). */
  showEvidence(d: DiagnosisView): void;
  /** Open the note of the diagnosis's family. */
  explain(note: string): void;
}

export class DiagnosesPane {
  readonly el = h("section", { class: "diagnoses", "data-testid": "diagnoses", "aria-label": t().diagnoses });

  constructor(private readonly host: DiagnosesPaneHost) {}

  set(list: DiagnosisView[] | undefined): void {
    const ds = list ?? [];
    this.el.hidden = ds.length === 0;
    replace(this.el, ...ds.slice(0, 20).map((d) => this.item(d)));
  }

  private item(d: DiagnosisView): HTMLElement {
    const ko = isKorean();
    const sev = d.severity === "error" ? t().severityError : d.severity === "warning" ? t().severityWarning : t().severityInfo;
    const evidence = h(
      "vscode-button",
      { secondary: true, "data-testid": "diagnosis-evidence", title: d.fields.join(", ") || d.frames.join(", ") },
      t().evidence,
    );
    evidence.addEventListener("click", () => this.host.showEvidence(d));
    const explain = h("vscode-button", { secondary: true, "data-testid": "diagnosis-note" }, t().explain);
    explain.addEventListener("click", () => this.host.explain(d.note));
    const action = ko ? d.actionKo : d.action;
    return h(
      "div",
      { class: `diagnosis sev-${d.severity}`, "data-testid": "diagnosis", "data-code": d.code },
      h(
        "div",
        { class: "diag-head" },
        h("span", { class: `diag-sev sev-${d.severity}` }, sev),
        h("code", { class: "diag-code" }, d.code),
        h("span", { class: "diag-rfc" }, d.rfc),
      ),
      h("div", { class: "diag-msg" }, ko ? d.messageKo : d.message),
      action ? h("div", { class: "diag-action" }, `→ ${action}`) : null,
      h("div", { class: "diag-links" }, evidence, explain),
    );
  }
}
