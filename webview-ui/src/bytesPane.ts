/**
 * The bytes pane: a message's hex dump (offset, 16 bytes a row, ASCII), every byte a `span.byte`. Hover shows the
 * innermost field under the pointer, the selected field's bytes carry `hl`; a click selects the innermost field.
 * Below it, the field info: name, display value, raw value, byte range, RFC section and an Explain button.
 */
import type { MessageView, QuicPacketView } from "../../src/protocol/messages";
import type { FieldNode } from "../../src/protocol/messages";
import { pathAt } from "./fieldTree";
import { t } from "./i18n";
import { h, replace, revealInScroller } from "./ui";

/** Bytes rendered at most (a 16 KiB record is 1,024 rows); bigger messages show their start. */
const MAX_BYTES = 64 * 1024;

export interface BytesCallbacks {
  onSelectPath(path: FieldNode[]): void;
  onExplain(note: string, section?: string): void;
  /** A QUIC packet's other byte view was chosen (as captured / decrypted). */
  onPacketView?(view: "protected" | "plaintext"): void;
}

/** What the pane shows: a handshake message, or one of a QUIC packet's byte views. */
interface Source {
  name: string;
  hex: string;
  tree?: FieldNode;
  note?: string;
  /** Bytes on the wire (a message's header included). */
  size: number;
  encrypted: boolean;
  error?: string;
}

function hexToBytes(hex: string): Uint8Array {
  const n = Math.min(hex.length >> 1, MAX_BYTES);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = parseInt(hex.substr(i * 2, 2), 16);
    out[i] = Number.isNaN(v) ? 0 : v;
  }
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export class BytesPane {
  readonly el: HTMLDivElement;
  readonly info: HTMLDivElement;
  private readonly dump: HTMLDivElement;
  /** QUIC packets: the switch between the packet as captured and decrypted. */
  private readonly views: HTMLDivElement;
  private hexSpans: HTMLSpanElement[] = [];
  private chSpans: HTMLSpanElement[] = [];
  private tree: FieldNode | undefined;
  private message: Source | undefined;
  private hl: [number, number] = [0, 0];
  private hov: [number, number] = [0, 0];

  constructor(private readonly cb: BytesCallbacks) {
    this.dump = h("div", { class: "hexdump", role: "group", "aria-label": t().bytes });
    this.views = h("div", { class: "packet-views", hidden: true, role: "group", "data-testid": "packet-views" });
    this.el = h("div", { class: "bytes-pane", "data-testid": "bytes-pane" }, this.views, this.dump);
    this.info = h("div", { class: "field-info", "data-testid": "field-info", "aria-live": "polite" });
    this.dump.addEventListener("mouseover", (e) => {
      const o = this.offsetOf(e.target);
      if (o === undefined || !this.tree) return;
      const p = pathAt(this.tree, o);
      const n = p[p.length - 1];
      this.setRange("hov", n ? [n.start, n.end] : [0, 0]);
      if (n) this.dump.title = `${n.name}: ${n.display}`;
    });
    this.dump.addEventListener("mouseleave", () => this.setRange("hov", [0, 0]));
    this.dump.addEventListener("click", (e) => {
      const o = this.offsetOf(e.target);
      if (o === undefined || !this.tree) return;
      const p = pathAt(this.tree, o);
      if (p.length) this.cb.onSelectPath(p);
    });
    this.showMessage(undefined);
  }

  private offsetOf(target: EventTarget | null): number | undefined {
    const el = target as HTMLElement | null;
    const o = el?.dataset?.o;
    return o === undefined ? undefined : Number(o);
  }

  /** Shows a message's bytes (undefined: a hint). Clears the field highlight. */
  showMessage(m: MessageView | undefined, extra?: string): void {
    this.views.hidden = true;
    replace(this.views);
    this.show(m ? { name: m.name, hex: m.hex, tree: m.tree, note: m.note, size: m.length + 4, encrypted: m.encrypted, error: m.error } : undefined, extra);
  }

  /**
   * Shows a QUIC packet: as captured (header protection on, payload sealed) or, when it was decrypted, opened
   * (header unmasked, the plaintext frames). Returns the view shown (a sealed packet has only the first).
   */
  showPacket(p: QuicPacketView, view: "protected" | "plaintext"): "protected" | "plaintext" {
    const shown = view === "plaintext" && p.plaintextBytes ? "plaintext" : "protected";
    const bytes = shown === "plaintext" ? p.plaintextBytes : p.protectedBytes;
    const button = (v: "protected" | "plaintext", label: string, enabled: boolean) => {
      const b = h(
        "vscode-button",
        { secondary: v !== shown, disabled: !enabled, "data-testid": `packet-view-${v}`, "aria-pressed": v === shown ? "true" : "false" },
        label,
      );
      b.addEventListener("click", () => {
        if (v !== shown && enabled) this.cb.onPacketView?.(v);
      });
      return b;
    };
    replace(
      this.views,
      button("protected", t().protectedView, !!p.protectedBytes),
      button("plaintext", t().plaintextView, !!p.plaintextBytes),
      h(
        "span",
        { class: "hint" },
        shown === "plaintext"
          ? t().plaintextHint
          : p.type === "Retry" || p.type === "VersionNegotiation"
            ? t().unprotectedHint
            : p.decrypted
              ? t().protectedHint
              : `${t().noPacketKeys}${p.decryptError ? `: ${p.decryptError}` : ""}`,
      ),
    );
    this.views.hidden = false;
    const error = p.error ?? (p.decrypted ? undefined : p.decryptError);
    this.show(
      bytes ? { name: bytes.tree.name, hex: bytes.hex, tree: bytes.tree, note: bytes.tree.note, size: p.length, encrypted: !p.decrypted, error } : undefined,
      `${t().packet} ${p.index}`,
    );
    return shown;
  }

  private show(m: Source | undefined, extra?: string): void {
    this.message = m;
    this.tree = m?.tree;
    this.hexSpans = [];
    this.chSpans = [];
    this.hl = [0, 0];
    this.hov = [0, 0];
    this.dump.removeAttribute("title");
    if (!m) {
      replace(this.dump, h("p", { class: "hint" }, extra ?? t().noSelection));
      this.showField(undefined);
      return;
    }
    const bytes = hexToBytes(typeof m.hex === "string" ? m.hex : "");
    const frag = document.createDocumentFragment();
    for (let row = 0; row < bytes.length; row += 16) {
      const line = h("div", { class: "hexrow" }, h("span", { class: "off" }, row.toString(16).padStart(4, "0")));
      const hexCol = h("span", { class: "hexcol" });
      const asc = h("span", { class: "asc" });
      for (let i = row; i < Math.min(row + 16, bytes.length); i++) {
        const b = document.createElement("span");
        b.className = i % 16 === 8 ? "byte gap" : "byte";
        b.dataset.o = String(i);
        b.textContent = HEX[bytes[i]];
        hexCol.appendChild(b);
        this.hexSpans.push(b);
        const c = document.createElement("span");
        c.className = "ch";
        c.dataset.o = String(i);
        c.textContent = bytes[i] >= 0x20 && bytes[i] < 0x7f ? String.fromCharCode(bytes[i]) : "·";
        asc.appendChild(c);
        this.chSpans.push(c);
      }
      line.append(hexCol, asc);
      frag.appendChild(line);
    }
    const total = (typeof m.hex === "string" ? m.hex.length : 0) >> 1;
    if (total > bytes.length) frag.appendChild(h("p", { class: "hint" }, t().truncated(bytes.length)));
    if (!bytes.length) frag.appendChild(h("p", { class: "hint" }, m.encrypted ? t().notDecrypted : "—"));
    this.dump.replaceChildren(frag);
    this.showField(undefined);
  }

  /** Highlights [start, end) as the selected field and shows its info (path: root first). */
  select(start: number, end: number, path: FieldNode[]): void {
    this.setRange("hl", [start, end]);
    this.showField(path);
    const first = this.hexSpans[start];
    if (first) revealInScroller(first);
  }

  private setRange(cls: "hl" | "hov", range: [number, number]): void {
    const old = cls === "hl" ? this.hl : this.hov;
    for (let i = old[0]; i < Math.min(old[1], this.hexSpans.length); i++) {
      this.hexSpans[i].classList.remove(cls);
      this.chSpans[i].classList.remove(cls);
    }
    const [a, b] = [Math.max(0, range[0]), Math.min(range[1], this.hexSpans.length)];
    for (let i = a; i < b; i++) {
      this.hexSpans[i].classList.add(cls);
      this.chSpans[i].classList.add(cls);
    }
    if (cls === "hl") this.hl = [a, b];
    else this.hov = [a, b];
  }

  /** Shows free text in the field-info area (ChangeCipherSpec / alert rows). */
  showText(title: string, lines: string[]): void {
    replace(this.info, h("div", { class: "fi-name" }, title), ...lines.map((l) => h("div", { class: "fi-line" }, l)));
  }

  private showField(path: FieldNode[] | undefined): void {
    const m = this.message;
    const n = path?.[path.length - 1];
    if (!m) {
      replace(this.info);
      return;
    }
    if (!n) {
      const note = m.note;
      replace(
        this.info,
        h("div", { class: "fi-name" }, m.name, h("span", { class: "fi-muted" }, `  ${m.size} ${t().bytesUnit}`)),
        m.error ? h("div", { class: "fi-error" }, m.error) : null,
        h("div", { class: "hint" }, t().noField),
        note ? this.explainButton(note) : null,
      );
      return;
    }
    const owner = [...(path ?? [])].reverse().find((p) => p.note);
    const note = owner?.note ?? m.note;
    const raw = n.value === undefined || n.value === null ? "—" : typeof n.value === "string" ? n.value : String(n.value);
    const crumbs = (path ?? []).map((p) => p.name).join(" › ");
    replace(
      this.info,
      h("div", { class: "fi-crumbs" }, crumbs),
      h(
        "dl",
        { class: "fi-grid" },
        h("dt", null, t().name),
        h("dd", { class: "fi-name" }, n.name),
        h("dt", null, t().value),
        h("dd", { class: "fi-value" }, n.display),
        h("dt", null, t().raw),
        h("dd", { class: "fi-raw mono", title: raw }, raw.length > 200 ? raw.slice(0, 200) + "…" : raw),
        h("dt", null, t().range),
        h("dd", { class: "mono" }, `${n.start}–${n.end - 1} (${n.end - n.start} ${t().bytesUnit})`),
        n.rfc ? h("dt", null, t().rfc) : null,
        n.rfc ? h("dd", null, n.rfc) : null,
      ),
      n.error ? h("div", { class: "fi-error" }, n.error) : null,
      note ? this.explainButton(note, owner?.noteSection) : null,
    );
  }

  private explainButton(note: string, section?: string): HTMLElement {
    const b = h("vscode-button", { secondary: true, icon: "book", class: "explain" }, t().explain);
    if (section) b.setAttribute("title", section);
    b.addEventListener("click", () => this.cb.onExplain(note, section));
    return b;
  }
}
