/**
 * The message timeline: an SVG sequence diagram, client lifeline left, server right, one `<g>` per row (kept
 * light so 1,000 messages render in one pass), faint bands per flight, a phase strip + label whenever the keys in
 * use change, a lock on protected records, ✓/✗ on Finished. The container is a listbox: arrow keys move the
 * active row (aria-activedescendant), Enter/Space select it.
 */
import type { ConnectionView } from "../../src/protocol/messages";
import { t } from "./i18n";
import { buildQuicRows } from "./quicRows";
import { buildRows, type RowPhase, type TimelineRow } from "./timelineRows";
import { h, replace, s } from "./ui";

const ROW_H = 30;
const TOP = 6;
/** Lifelines at these fractions of the width (the header labels use the same numbers in CSS). */
const CLIENT_X = 0.24;
const SERVER_X = 0.76;

export interface TimelineCallbacks {
  onSelect(row: TimelineRow): void;
}

function phaseText(p: RowPhase, quic: boolean): string {
  if (quic) return t().quicPhase[p];
  return p === "initial" ? t().quicPhase.initial : t()[p];
}

/** "server to client: Certificate, 1011 bytes, encrypted" */
export function rowLabel(r: TimelineRow): string {
  const parts = [`${t()[r.dir]}: ${r.name}`, `${r.size} ${t().bytesUnit}`];
  if (r.count && r.count > 1) parts.push(`${r.count} ${r.packet ? t().packetUnit : t().record}`);
  if (r.packet?.decryptError) parts.push(`${t().notDecrypted}: ${r.packet.decryptError}`);
  if (r.packet?.error) parts.push(r.packet.error);
  if (r.encrypted) parts.push(t().encrypted);
  if (r.hrr) parts.push(t().hrr);
  if (r.message?.verified === true) parts.push(t().verified);
  if (r.message?.verified === false) parts.push(t().notVerified);
  if (r.record?.decryptError) parts.push(`${t().notDecrypted}: ${r.record.decryptError}`);
  if (r.message?.error) parts.push(r.message.error);
  return parts.join(", ");
}

function lockGlyph(x: number): SVGGElement {
  // A padlock drawn with two shapes: no emoji font or icon font needed inside the SVG.
  return s(
    "g",
    { class: "lock", "aria-hidden": "true" },
    s("path", { class: "shackle", d: `M${x + 2},15 V13 a3,3 0 0 1 6,0 V15` }),
    s("rect", { class: "body", x, y: 15, width: 10, height: 7, rx: 1 }),
  );
}

export class Timeline {
  readonly el: HTMLDivElement;
  private readonly svg: SVGSVGElement;
  private readonly header: HTMLDivElement;
  private rows: TimelineRow[] = [];
  private quic = false;
  private groups: SVGGElement[] = [];
  private active = -1;
  private selected = -1;
  private progress: number | null = null;
  /** Width the rows were laid out for; pixel coordinates keep the SVG cheap (no nested viewports). */
  private width = 0;
  private resizeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly cb: TimelineCallbacks) {
    this.header = h("div", { class: "tl-header", "aria-hidden": "true" });
    this.svg = s("svg", { class: "tl-svg", width: "100%", height: 0, role: "presentation" });
    this.el = h("div", { class: "timeline", "data-testid": "timeline", role: "listbox", tabindex: 0, "aria-label": t().timeline }, this.header, this.svg);
    this.el.addEventListener("click", (e) => {
      const g = (e.target as Element).closest?.("g.row");
      if (!g) return;
      const pos = this.groups.indexOf(g as SVGGElement);
      if (pos >= 0) this.activate(pos, true);
    });
    this.el.addEventListener("keydown", (e) => this.onKey(e));
    new ResizeObserver(() => {
      const w = this.el.clientWidth;
      if (!w || Math.abs(w - this.width) < 2 || !this.rows.length) return;
      clearTimeout(this.resizeTimer);
      this.resizeTimer = setTimeout(() => this.render(), 80);
    }).observe(this.el);
    this.el.addEventListener("focus", () => {
      // No scrolling here: focus comes with mousedown, and moving the rows before mouseup would turn the click
      // into a click on whatever row slid under the pointer.
      if (this.active < 0 && this.rows.length) this.setActive(this.selected >= 0 ? this.selected : 0, false);
    });
  }

  /** Rebuilds the diagram for a connection (null: empty). Returns the rows. */
  setConnection(conn: ConnectionView | null): TimelineRow[] {
    this.quic = conn?.transport === "quic" && Array.isArray(conn.packets);
    this.rows = conn ? (this.quic ? buildQuicRows(conn) : buildRows(conn)) : [];
    this.active = -1;
    this.selected = -1;
    this.el.removeAttribute("aria-activedescendant");
    const c = conn;
    replace(
      this.header,
      h("span", { class: "tl-end client" }, h("b", null, t().client), c ? ` ${c.client.ip}:${c.client.port}` : ""),
      h("span", { class: "tl-end server" }, h("b", null, t().server), c ? ` ${c.server.ip}:${c.server.port}` : ""),
    );
    this.render();
    return this.rows;
  }

  getRows(): readonly TimelineRow[] {
    return this.rows;
  }

  private render(): void {
    const rows = this.rows;
    const W = (this.width = this.el.clientWidth || 640);
    const cx = Math.round(W * CLIENT_X) + 0.5;
    const sx = Math.round(W * SERVER_X) + 0.5;
    const height = TOP + rows.length * ROW_H + 8;
    this.svg.setAttribute("height", String(height));
    const frag = document.createDocumentFragment();
    // Flight bands first (behind the arrows); their labels last (above the row highlight).
    const labels: SVGTextElement[] = [];
    let start = 0;
    for (let i = 1; i <= rows.length; i++) {
      if (i === rows.length || rows[i].flight !== rows[start].flight) {
        const f = rows[start].flight;
        frag.appendChild(
          s("rect", {
            class: `flight ${f % 2 ? "odd" : "even"} ${rows[start].dir}`,
            x: cx - 22,
            y: TOP + start * ROW_H + 1,
            width: sx - cx + 44,
            height: (i - start) * ROW_H - 2,
            rx: 3,
          }),
        );
        labels.push(s("text", { class: "flight-label", x: cx - 19, y: TOP + start * ROW_H + 9 }, `${t().flight} ${f + 1}`));
        start = i;
      }
    }
    // KeyPhase strips: one rect per run of rows under the same keys.
    let ps = 0;
    for (let i = 1; i <= rows.length; i++) {
      if (i === rows.length || rows[i].phase !== rows[ps].phase) {
        frag.appendChild(s("rect", { class: `phase-strip ph-${rows[ps].phase}`, x: 0, y: TOP + ps * ROW_H, width: 4, height: (i - ps) * ROW_H }));
        ps = i;
      }
    }
    // Lifelines.
    frag.appendChild(s("line", { class: "lifeline", x1: cx, x2: cx, y1: 0, y2: height }));
    frag.appendChild(s("line", { class: "lifeline", x1: sx, x2: sx, y1: 0, y2: height }));
    // Records carrying several messages: a bracket in the right gutter.
    let rs = 0;
    for (let i = 1; i <= rows.length; i++) {
      if (i === rows.length || rows[i].recordIndex === undefined || rows[i].recordIndex !== rows[rs].recordIndex) {
        if (i - rs > 1 && rows[rs].recordIndex !== undefined) {
          frag.appendChild(s("line", { class: "rec-bracket", x1: W - 6, x2: W - 6, y1: TOP + rs * ROW_H + 6, y2: TOP + (i - 1) * ROW_H + ROW_H - 6 }));
        }
        rs = i;
      }
    }
    this.groups = rows.map((r, i) => {
      const g = this.row(r, i > 0 ? rows[i - 1] : undefined, W, cx, sx);
      frag.appendChild(g);
      return g;
    });
    for (const l of labels) frag.appendChild(l);
    this.svg.replaceChildren(frag);
    this.applyProgress();
  }

  private row(r: TimelineRow, prev: TimelineRow | undefined, W: number, cx: number, sx: number): SVGGElement {
    const c2s = r.dir === "c2s";
    const from = c2s ? cx : sx;
    const to = c2s ? sx : cx;
    const cls = ["row", r.kind, r.dir, `ph-${r.phase}`];
    if (r.encrypted) cls.push("enc");
    if (r.hrr) cls.push("hrr");
    if (r.record?.decryptError || r.message?.error || r.packet?.error) cls.push("bad");
    if (r.carrier) cls.push("in-packet");
    if (r.packet) cls.push(`qp-${r.packet.type === "VersionNegotiation" ? "vn" : r.packet.type.toLowerCase()}`);
    const m = r.message;
    const g = s("g", {
      class: cls.join(" "),
      id: r.id,
      role: "option",
      "aria-selected": "false",
      "aria-label": rowLabel(r),
      transform: `translate(0,${TOP + r.pos * ROW_H})`,
      "data-testid": r.kind === "message" ? "timeline-message" : `timeline-${r.kind}`,
      "data-index": m ? m.index : r.packet ? r.packet.index : null,
      "data-type": r.packet ? r.packet.type : null,
    });
    g.appendChild(s("rect", { class: "hit", x: 0, y: 0, width: W, height: ROW_H }));
    if (!prev || prev.phase !== r.phase) {
      g.appendChild(s("text", { class: `phase-label ph-${r.phase}`, x: 9, y: 12 }, phaseText(r.phase, this.quic)));
    }
    const y = 21;
    // A message row of QUIC is carried by the packet row above it: its arrow starts a little inside the lifeline.
    const inset = r.carrier ? 18 : 0;
    g.appendChild(s("line", { class: "arrow", x1: c2s ? from + inset : from - inset, x2: c2s ? to - 6 : to + 6, y1: y, y2: y }));
    g.appendChild(s("path", { class: "head", d: c2s ? `M${to},${y} l-8,-4.5 v9z` : `M${to},${y} l8,-4.5 v9z` }));
    if (r.encrypted) g.appendChild(lockGlyph(c2s ? from + 5 : from - 15));
    const label = s("text", { class: "label", x: Math.round((cx + sx) / 2), y: 15, "text-anchor": "middle" });
    if (r.hrr) label.appendChild(s("tspan", { class: "hrr-mark" }, "↻ "));
    label.appendChild(document.createTextNode(r.kind === "alert" ? `${t().alert}: ${r.name}` : r.name));
    const size = r.count && r.count > 1 ? ` ×${r.count}, ${r.size} B` : `  ${r.size} B`;
    label.appendChild(s("tspan", { class: "size" }, size));
    if (m?.verified === true) label.appendChild(s("tspan", { class: "ok" }, " ✓"));
    else if (m?.verified === false) label.appendChild(s("tspan", { class: "fail" }, " ✗"));
    if (r.record?.decryptError || m?.error || r.packet?.error || r.packet?.retryIntegrity === false) label.appendChild(s("tspan", { class: "fail" }, " ⚠"));
    g.appendChild(label);
    const meta = r.packet
      ? `${r.packet.decrypted || !r.encrypted ? "" : `${t().sealed} · `}f${r.frame}`
      : r.carrier
        ? `${r.message?.space ?? ""} · f${r.frame}`
        : r.recordIndex !== undefined
          ? `#${r.recordIndex} · f${r.frame}`
          : `f${r.frame}`;
    g.appendChild(s("text", { class: "meta", x: W - 12, y: 15, "text-anchor": "end" }, meta));
    return g;
  }

  /** Marks the row of a message (or other row id) as selected; does not notify. */
  setSelectedById(id: string | null, reveal = true): void {
    const pos = id === null ? -1 : this.rows.findIndex((r) => r.id === id);
    if (this.selected >= 0 && this.groups[this.selected]) {
      this.groups[this.selected].classList.remove("selected");
      this.groups[this.selected].setAttribute("aria-selected", "false");
    }
    this.selected = pos;
    if (pos >= 0) {
      this.groups[pos].classList.add("selected");
      this.groups[pos].setAttribute("aria-selected", "true");
      this.setActive(pos, reveal);
    }
  }

  rowOfMessage(index: number): TimelineRow | undefined {
    return this.rows.find((r) => r.message?.index === index);
  }

  /** Dims every row after `pos` (the step being shown); null shows all. */
  setProgress(pos: number | null): void {
    this.progress = pos;
    this.applyProgress();
  }

  private applyProgress(): void {
    const p = this.progress;
    for (let i = 0; i < this.groups.length; i++) this.groups[i].classList.toggle("future", p !== null && i > p);
  }

  private setActive(pos: number, reveal = true): void {
    if (this.active >= 0 && this.groups[this.active]) this.groups[this.active].classList.remove("active");
    this.active = pos;
    const g = this.groups[pos];
    if (!g) return;
    g.classList.add("active");
    this.el.setAttribute("aria-activedescendant", g.id);
    if (reveal) this.reveal(pos);
  }

  private reveal(pos: number): void {
    const top = this.header.offsetHeight + TOP + pos * ROW_H;
    const el = this.el;
    if (top < el.scrollTop + this.header.offsetHeight) el.scrollTop = Math.max(0, top - this.header.offsetHeight - ROW_H);
    else if (top + ROW_H > el.scrollTop + el.clientHeight) el.scrollTop = top + 2 * ROW_H - el.clientHeight;
  }

  private activate(pos: number, fromPointer = false): void {
    this.setActive(pos, !fromPointer);
    const r = this.rows[pos];
    if (r) this.cb.onSelect(r);
  }

  private onKey(e: KeyboardEvent): void {
    const n = this.rows.length;
    if (!n) return;
    let next = this.active < 0 ? 0 : this.active;
    switch (e.key) {
      case "ArrowDown":
        next = Math.min(n - 1, next + 1);
        break;
      case "ArrowUp":
        next = Math.max(0, next - 1);
        break;
      case "PageDown":
        next = Math.min(n - 1, next + 10);
        break;
      case "PageUp":
        next = Math.max(0, next - 10);
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = n - 1;
        break;
      case "Enter":
      case " ":
        e.preventDefault();
        this.activate(next);
        return;
      default:
        return;
    }
    e.preventDefault();
    this.setActive(next);
  }
}
