/**
 * A note's Markdown rendered for reading: headings, paragraphs, lists, tables, diagrams, `code` and **bold** — the
 * subset the notes are written in — built as DOM nodes from text (no HTML is ever parsed, see ui.ts). Each
 * "RFC NNNN §x.y" citation becomes a link to that section of the RFC; the related notes (index.json) follow as
 * buttons that open them.
 */
import type { NoteView } from "../../src/protocol/messages";
import { st } from "./studyStrings";
import { h, replace, type Child } from "./ui";

export interface NoteViewCallbacks {
  /** Open another note (a related one). */
  onOpen(id: string): void;
}

/** "RFC 8446 §4.1.2", "RFC 8446 §D.4", or a bare "RFC 5077". */
const CITATION = /RFC (\d{4})(?: §([A-Z](?:\.\d+)*|\d+(?:\.\d+)*))?/g;

/** The RFC Editor's page for an RFC, at a section (appendices are `appendix-X`). */
export function rfcUrl(rfc: string, section?: string): string {
  const base = `https://www.rfc-editor.org/rfc/rfc${rfc}`;
  if (!section) return base;
  return `${base}#${/^[A-Z]/.test(section) ? "appendix" : "section"}-${section}`;
}

/** Text with RFC citations as links. */
function citeLinks(text: string): Child[] {
  const out: Child[] = [];
  let last = 0;
  for (const m of text.matchAll(CITATION)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(h("a", { href: rfcUrl(m[1], m[2]), class: "rfc-link", title: m[0] }, m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Inline Markdown: `code`, **bold**, *emphasis*; citations linked in plain text and in code alike. */
export function inline(text: string): Child[] {
  const out: Child[] = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(...citeLinks(text.slice(last, m.index)));
    if (m[1] !== undefined) out.push(h("code", null, m[1]));
    else if (m[2] !== undefined) out.push(h("strong", null, ...inline(m[2])));
    else out.push(h("em", null, ...inline(m[3])));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(...citeLinks(text.slice(last)));
  return out;
}

const cells = (row: string) =>
  row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((c) => c.trim());

/** Block-level Markdown to elements. Headings (level ≥ 2) get `data-heading` = their index in document order. */
export function renderMarkdown(md: string, opts: { skipTitle?: boolean } = {}): HTMLElement {
  const root = h("div", { class: "md" });
  const lines = md.replace(/\r\n/g, "\n").split("\n");
  let heading = 0;
  for (let i = 0; i < lines.length && i < 20000;) {
    const line = lines[i];
    if (line.startsWith("```")) {
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i].startsWith("```"); i++) body.push(lines[i]);
      i++;
      root.append(h("pre", { class: "md-diagram" }, h("code", null, body.join("\n"))));
      continue;
    }
    const hm = /^(#{1,6}) (.*)$/.exec(line);
    if (hm) {
      i++;
      if (hm[1].length === 1) {
        if (!opts.skipTitle) root.append(h("h1", null, ...inline(hm[2])));
        continue;
      }
      const level = Math.min(hm[1].length + 1, 6);
      root.append(h(`h${level}` as "h3", { "data-heading": heading++ }, ...inline(hm[2])));
      continue;
    }
    if (/^\|.*\|\s*$/.test(line)) {
      const rows: string[] = [];
      for (; i < lines.length && /^\|.*\|\s*$/.test(lines[i]); i++) rows.push(lines[i]);
      const body = rows.filter((r, k) => !(k === 1 && /^\|[\s:|-]+\|\s*$/.test(r)));
      const [head, ...rest] = body;
      root.append(
        h(
          "table",
          { class: "md-table" },
          h(
            "thead",
            null,
            h(
              "tr",
              null,
              cells(head).map((c) => h("th", null, ...inline(c))),
            ),
          ),
          h(
            "tbody",
            null,
            rest.map((r) =>
              h(
                "tr",
                null,
                cells(r).map((c) => h("td", null, ...inline(c))),
              ),
            ),
          ),
        ),
      );
      continue;
    }
    const li = /^(\s*)(-|\d+\.) (.*)$/.exec(line);
    if (li) {
      const ordered = /\d/.test(li[2]);
      const list = h(ordered ? "ol" : "ul", null);
      for (; i < lines.length; i++) {
        const m = /^(\s*)(-|\d+\.) (.*)$/.exec(lines[i]);
        if (m) list.append(h("li", null, ...inline(m[3])));
        else if (/^\s{2,}\S/.test(lines[i]) && list.lastElementChild) list.lastElementChild.append(" ", ...inline(lines[i].trim()).map(toNode));
        else break;
      }
      root.append(list);
      continue;
    }
    if (!line.trim()) {
      i++;
      continue;
    }
    const para: string[] = [];
    for (; i < lines.length && lines[i].trim() && !/^(#{1,6} |```|\||\s*(-|\d+\.) )/.test(lines[i]); i++) para.push(lines[i].trim());
    root.append(h("p", null, ...inline(para.join(" "))));
  }
  return root;
}

/** Scrolls the nearest scrolling ancestor (only that one) so `el` is at its top. */
function scrollToTop(el: HTMLElement): void {
  let sc = el.parentElement;
  for (let depth = 0; sc && depth < 32; depth++, sc = sc.parentElement) {
    const oy = getComputedStyle(sc).overflowY;
    if (oy === "auto" || oy === "scroll") break;
  }
  if (!sc) return;
  sc.scrollTop += el.getBoundingClientRect().top - sc.getBoundingClientRect().top - 4;
}

function toNode(c: Child): Node | string {
  return c === null || c === undefined || c === false ? "" : typeof c === "number" ? String(c) : c;
}

/** A whole note: title, body, related notes. */
export class NoteReader {
  readonly el = h("article", { class: "note-reader", "data-testid": "note" });

  constructor(private readonly cb: NoteViewCallbacks) {}

  show(note: NoteView | null): void {
    if (!note) {
      replace(this.el);
      return;
    }
    const related = note.related.length
      ? h(
          "nav",
          { class: "note-related", "aria-label": st().relatedNotes },
          h("h3", null, st().relatedNotes),
          h(
            "div",
            { class: "note-related-list" },
            note.related.map((r) => {
              const b = h("vscode-button", { secondary: true, "data-note": r.id }, r.title);
              b.addEventListener("click", () => this.cb.onOpen(r.id));
              return b;
            }),
          ),
        )
      : null;
    replace(this.el, h("h1", { class: "note-title" }, note.title), renderMarkdown(note.markdown, { skipTitle: true }), related);
    this.el.setAttribute("lang", note.lang);
    this.el.dataset.note = note.id;
    if (note.section !== undefined) {
      const target = this.el.querySelector(`[data-heading="${note.section}"]`);
      if (target) {
        target.classList.add("note-target");
        requestAnimationFrame(() => scrollToTop(target as HTMLElement));
      }
    } else requestAnimationFrame(() => scrollToTop(this.el));
  }
}
