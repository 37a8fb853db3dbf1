/** The connections table of a capture: one row per connection, TCP or QUIC (a transport column); click or Enter selects it. */
import type { ConnectionSummaryView } from "../../src/protocol/messages";
import { t } from "./i18n";
import { h, replace } from "./ui";

/** Rows rendered at once; the rest come in pages as the table is scrolled (a capture may hold 10,000). */
const PAGE = 500;

export interface ConnectionsCallbacks {
  onSelect(id: number): void;
  /** Every row held is shown and the document has more: ask the host for connections from index `from`. */
  onNeedMore(from: number): void;
}

export class ConnectionsTable {
  readonly el: HTMLDivElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly more: HTMLElement;
  private conns: ConnectionSummaryView[] = [];
  /** The document's connection count (more than `conns` holds while pages are still to come). */
  private total = 0;
  private requested = false;
  private shown = 0;
  private selected: number | undefined;

  constructor(private readonly cb: ConnectionsCallbacks) {
    const th = (s: string) => h("th", { scope: "col" }, s);
    this.tbody = h("tbody");
    this.more = h("vscode-button", { secondary: true, hidden: true }, "…");
    this.more.addEventListener("click", () => this.renderMore());
    const table = h(
      "table",
      { class: "conn-table", "data-testid": "connections-table", "aria-label": t().connections },
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          th("#"),
          th(t().transport),
          th(t().client),
          th(t().server),
          th(t().sni),
          th(t().alpn),
          th(t().ja4),
          th(t().preamble),
          th(t().version),
          th(t().suite),
          th(t().messages),
          th(t().status),
        ),
      ),
      this.tbody,
    );
    this.el = h("div", { class: "conn-wrap" }, table, this.more);
    this.tbody.addEventListener("click", (e) => {
      const tr = (e.target as Element).closest("tr[data-id]") as HTMLElement | null;
      if (tr) this.choose(Number(tr.dataset.id));
    });
    this.tbody.addEventListener("keydown", (e) => {
      const tr = (e.target as Element).closest("tr[data-id]") as HTMLElement | null;
      if (!tr) return;
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        this.choose(Number(tr.dataset.id));
      } else if (e.key === "ArrowDown") {
        e.preventDefault();
        (tr.nextElementSibling as HTMLElement | null)?.focus();
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        (tr.previousElementSibling as HTMLElement | null)?.focus();
      }
    });
    this.el.addEventListener("scroll", () => {
      if (this.el.scrollTop + this.el.clientHeight > this.el.scrollHeight - 200) this.renderMore();
    });
  }

  private choose(id: number): void {
    this.setSelected(id);
    this.cb.onSelect(id);
  }

  setConnections(conns: ConnectionSummaryView[], total = conns.length): void {
    this.conns = conns;
    this.total = Math.max(total, conns.length);
    this.requested = false;
    this.shown = 0;
    replace(this.tbody);
    this.renderMore();
  }

  private renderMore(): void {
    const end = Math.min(this.conns.length, this.shown + PAGE);
    const frag = document.createDocumentFragment();
    for (let i = this.shown; i < end; i++) frag.appendChild(this.row(this.conns[i]));
    this.tbody.appendChild(frag);
    this.shown = end;
    this.more.hidden = this.shown >= this.total;
    this.more.textContent = `${this.shown} / ${this.total} …`;
    if (this.shown >= this.conns.length && this.conns.length < this.total && !this.requested) {
      this.requested = true;
      this.cb.onNeedMore(this.conns.length);
    }
  }

  /** A page of connections from the host; ignored unless it continues the list. */
  appendConnections(from: number, list: ConnectionSummaryView[]): void {
    if (from !== this.conns.length) return;
    for (const c of list) if (c && typeof c.id === "number") this.conns.push(c);
    this.requested = false;
    this.renderMore();
  }

  private row(c: ConnectionSummaryView): HTMLTableRowElement {
    const ep = (e: { ip: string; port: number } | undefined) => (e ? `${e.ip}:${e.port}` : "?");
    const status = String(c.status ?? "");
    const cls = /^(alert|error)/.test(status) ? "st-bad" : /incomplete/.test(status) ? "st-warn" : "st-ok";
    return h(
      "tr",
      {
        "data-testid": "connection-row",
        "data-id": c.id,
        tabindex: 0,
        "aria-selected": c.id === this.selected ? "true" : "false",
        class: c.id === this.selected ? "selected" : null,
      },
      h("td", { class: "num" }, String(c.id)),
      h("td", { "data-testid": "connection-transport" }, transportText(c)),
      h("td", { class: "mono" }, ep(c.client)),
      h("td", { class: "mono" }, ep(c.server)),
      h("td", null, c.sni ?? "—"),
      h("td", null, c.alpn ?? "—"),
      h("td", { class: "mono", "data-testid": "connection-ja4" }, c.ja4 ?? "—"),
      h(
        "td",
        { "data-testid": "connection-preamble", title: c.preamble ? `${c.preamble.c2sBytes} B C → S, ${c.preamble.s2cBytes} B S → C` : null },
        c.preamble ? `${c.preamble.name}${c.preamble.target ? ` ${c.preamble.target}` : ""}` : "—",
      ),
      h("td", null, String(c.version ?? "")),
      h("td", null, String(c.suite ?? ""), c.decrypted ? h("span", { class: "badge ok", title: "decrypted" }, "decrypted") : null),
      h("td", { class: "num" }, String(c.messages ?? "")),
      h(
        "td",
        { class: cls },
        status,
        c.diagnosisErrors
          ? h(
              "span",
              { class: "diag-mark sev-error", "data-testid": "connection-diagnosis-mark", title: `${c.diagnosisErrors} error(s)` },
              `✖ ${c.diagnosisErrors}`,
            )
          : c.diagnosisWarnings
            ? h("span", { class: "diag-mark sev-warning", title: `${c.diagnosisWarnings} warning(s)` }, `⚠ ${c.diagnosisWarnings}`)
            : null,
      ),
    );
  }

  setSelected(id: number | undefined): void {
    this.selected = id;
    for (const tr of this.tbody.querySelectorAll<HTMLElement>("tr.selected")) {
      tr.classList.remove("selected");
      tr.setAttribute("aria-selected", "false");
    }
    if (id === undefined) return;
    const tr = this.tbody.querySelector<HTMLElement>(`tr[data-id="${id}"]`);
    tr?.classList.add("selected");
    tr?.setAttribute("aria-selected", "true");
  }
}

/** "TCP", "QUIC v1", "QUIC v2" (the version without its hex), "QUIC" when none is known. */
function transportText(c: ConnectionSummaryView): string {
  if (c.transport !== "quic") return "TCP";
  const v = typeof c.quicVersion === "string" ? c.quicVersion.replace(/ \(0x[0-9a-f]+\)$/, "") : "";
  if (/^QUIC/.test(v)) return v;
  // A version without a name (a greased one, RFC 9000 §15): its number.
  const hex = /\((0x[0-9a-f]+)\)$/.exec(String(c.quicVersion ?? ""))?.[1];
  return hex ? `QUIC ${hex}` : "QUIC";
}
