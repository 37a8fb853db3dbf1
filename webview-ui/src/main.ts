/**
 * Entry of the webview bundle (dist/webview.js): the "TLS Handshake" panel (mode "panel") and the capture editor
 * (mode "editor"). Receives HostToWebview messages (validated with isHostToWebview), renders the connections
 * table, timeline, bytes pane, fields tree, key schedule and the simulate/connect forms, and posts the user's
 * choices back. All host strings reach the DOM as text (see ui.ts).
 */
import "@vscode-elements/elements/dist/vscode-button/index.js";
import "@vscode-elements/elements/dist/vscode-single-select/index.js";
import "@vscode-elements/elements/dist/vscode-option/index.js";
import "@vscode-elements/elements/dist/vscode-checkbox/index.js";
import "@vscode-elements/elements/dist/vscode-textfield/index.js";
import "@vscode-elements/elements/dist/vscode-tabs/index.js";
import "@vscode-elements/elements/dist/vscode-tab-header/index.js";
import "@vscode-elements/elements/dist/vscode-tab-panel/index.js";
import "./styles.css";
import {
  isHostToWebview,
  type ConnectionView,
  type DocumentView,
  type HostToWebview,
  type Lang,
  type LessonView,
  type NoteView,
  type MessageView,
  type QuicPacketView,
  type Selection,
} from "../../src/protocol/messages";
import type { FieldNode } from "../../src/protocol/messages";
import { BytesPane } from "./bytesPane";
import { ConnectionsTable } from "./connectionsTable";
import { pathForRange } from "./fieldTree";
import { FieldsView } from "./fieldsView";
import { DEFAULT_FORM, Forms } from "./forms";
import { setLang, t } from "./i18n";
import { KeySchedule } from "./keySchedule";
import { LessonPane } from "./lessonPane";
import { NoteApp } from "./noteApp";
import { StepBar } from "./stepBar";
import { Timeline } from "./timeline";
import { DiagnosesPane } from "./diagnosesPane";
import type { TimelineRow } from "./timelineRows";
import { h, replace } from "./ui";
import { loadState, post, saveState, type PersistedState, type SimulateFormState } from "./vscodeApi";

const NOTE_ID = /^[a-z0-9-]{1,64}$/;

class App {
  private mode: "panel" | "editor" = "panel";
  private lang: Lang = "en";
  private trusted = true;
  private doc: DocumentView | null = null;
  /** The document whose connections the table holds (see renderAll). */
  private tableDoc: DocumentView | null | undefined = undefined;
  private conn: ConnectionView | null = null;
  private selection: Selection = {};
  private tab: "message" | "keys" = "message";
  private stepIndex = 0;
  private form: SimulateFormState;
  private busy: string | null = null;
  private error: string | null = null;
  /** Restored selection/step to re-apply when its connection arrives (once). */
  private restore: Partial<PersistedState> | null;
  /** Row position of each step (message-like steps), -1 when it has none. */
  private stepRows: number[] = [];
  /** The message the bytes pane and fields tree show (index), if any. */
  private shown: number | undefined;
  /** QUIC: which byte view of a packet the bytes pane shows (kept as the user moves between packets). */
  private packetView: "protected" | "plaintext" = "plaintext";

  private root: HTMLElement;
  private timeline!: Timeline;
  private diagnoses!: DiagnosesPane;
  private bytes!: BytesPane;
  private fields!: FieldsView;
  private keys!: KeySchedule;
  private steps!: StepBar;
  private forms!: Forms;
  private table!: ConnectionsTable;
  private lesson!: LessonPane;
  /** Lesson mode's last step and note (shown again after a rebuild). */
  private lessonView: LessonView | null = null;
  private lessonNote: NoteView | null = null;
  private parts!: {
    title: HTMLElement;
    meta: HTMLElement;
    actions: HTMLElement;
    busy: HTMLElement;
    error: HTMLElement;
    formsBox: HTMLDetailsElement;
    tableBox: HTMLElement;
    empty: HTMLElement;
    pick: HTMLElement;
    work: HTMLElement;
    tabs: HTMLElement & { selectedIndex: number };
    connErrors: HTMLElement;
    docErrors: HTMLElement;
  };

  constructor(root: HTMLElement) {
    this.root = root;
    const saved = loadState();
    this.restore = saved;
    this.form = { ...DEFAULT_FORM, ...(saved.simulateForm ?? {}) };
    if (saved.tab === "keys") this.tab = "keys";
    this.mount();
    window.addEventListener("message", (e: MessageEvent) => {
      if (isHostToWebview(e.data)) this.handle(e.data);
    });
    post({ type: "ready" });
  }

  /** Builds the whole UI (again after a language switch) from the current state. */
  private mount(): void {
    this.timeline = new Timeline({ onSelect: (r) => this.onRow(r) });
    this.diagnoses = new DiagnosesPane({
      showEvidence: (d) => {
        if (!this.conn || d.messageIndex === undefined) return;
        const sel = d.start !== undefined && d.end !== undefined ? { start: d.start, end: d.end } : {};
        this.applySelection({ connection: this.conn.id, message: d.messageIndex, ...sel });
        if (sel.start !== undefined && sel.end !== undefined)
          post({ type: "selectField", connection: this.conn.id, message: d.messageIndex, start: sel.start, end: sel.end });
        else post({ type: "selectMessage", connection: this.conn.id, message: d.messageIndex });
      },
      explain: (note) => post({ type: "explain", note }),
    });
    this.bytes = new BytesPane({
      onSelectPath: (p) => this.selectPath(p, true),
      onExplain: (n, sec) => this.explain(n, sec),
      onPacketView: (v) => {
        this.packetView = v;
        const p = this.currentPacket();
        if (p) this.selectPacket(p, false);
      },
    });
    this.fields = new FieldsView({ onSelectPath: (p) => this.selectPath(p, true) });
    this.keys = new KeySchedule({ onCopy: (text) => post({ type: "copy", text }), onExplain: (n, sec) => this.explain(n, sec) });
    this.steps = new StepBar({ onStep: (i) => this.applyStep(i, true) });
    this.forms = new Forms(this.form, {
      onSimulate: (request) => post({ type: "simulate", request }),
      onConnect: (host, port, sni) => post(sni ? { type: "connect", host, port, sni } : { type: "connect", host, port }),
      onChange: (s) => {
        this.form = s;
        this.persist();
      },
    });
    this.lesson = new LessonPane({
      onGoto: (index) => post({ type: "lesson", action: "goto", index }),
      onCapture: () => post({ type: "lesson", action: "capture" }),
      onLive: () => post({ type: "lesson", action: "live" }),
      onRoute: (route) => post({ type: "lesson", action: "route", route }),
      onExit: () => post({ type: "lesson", action: "exit" }),
      onOpenNote: (note) => this.explain(note),
    });
    this.lesson.show(this.lessonView);
    if (this.lessonNote) this.lesson.showNote(this.lessonNote);
    this.tableDoc = undefined;
    this.table = new ConnectionsTable({
      onSelect: (id) => {
        if (id !== this.conn?.id) post({ type: "selectConnection", id });
      },
      onNeedMore: (from) => post({ type: "loadConnections", from }),
    });

    const title = h("h1", { class: "doc-title" });
    const meta = h("span", { class: "doc-meta" });
    const actions = h("div", { class: "doc-actions" });
    const busy = h("div", { class: "busy", hidden: true, role: "progressbar", "data-testid": "progress", "aria-busy": "true" });
    const dismiss = h("vscode-button", { secondary: true, icon: "close", "icon-only": true, "aria-label": t().dismiss, title: t().dismiss });
    dismiss.addEventListener("click", () => {
      this.error = null;
      this.renderChrome();
    });
    const error = h("div", { class: "error-banner", role: "alert" });
    const errorBox = h("div", { class: "error-wrap", hidden: true }, error);
    error.after(dismiss);
    const formsBox = h(
      "details",
      { class: "forms" },
      h("summary", null, `${t().simulate} / ${t().connect}`),
      h("div", { class: "forms-body" }, this.forms.simulateEl, this.forms.connectEl),
    );
    const tableBox = h("section", { class: "conns", "aria-label": t().connections }, this.table.el);
    const simBtn = h("vscode-button", { icon: "play" }, t().simulate);
    simBtn.addEventListener("click", () => post({ type: "simulate", request: this.forms.request() }));
    const empty = h(
      "section",
      { class: "empty", "aria-live": "polite" },
      h("h2", null, t().emptyTitle),
      h("p", null, t().emptyText),
      h("p", { class: "hint" }, t().openCaptureHint),
      h("div", { class: "empty-actions" }, simBtn),
    );
    const pick = h("section", { class: "empty pick" }, h("p", { class: "hint" }, t().pickConnection));
    const connErrors = h("div", { class: "conn-errors", role: "status" });
    const docErrors = h("div", { class: "doc-errors" });
    const tabs = h("vscode-tabs", { class: "side-tabs", panel: true }) as HTMLElement & { selectedIndex: number };
    tabs.append(
      h("vscode-tab-header", { slot: "header", id: "tab-message" }, t().message),
      h(
        "vscode-tab-panel",
        null,
        h("div", { class: "msg-panel" }, this.bytes.el, this.bytes.info, h("div", { class: "section-title" }, t().fields), this.fields.el),
      ),
      h("vscode-tab-header", { slot: "header", id: "tab-keys" }, t().keySchedule),
      h("vscode-tab-panel", null, this.keys.el),
    );
    tabs.addEventListener("vsc-tabs-select", (e) => {
      this.tab = (e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex === 1 ? "keys" : "message";
      this.persist();
    });
    const work = h(
      "main",
      { class: this.lessonView ? "work with-lesson" : "work" },
      this.lesson.el,
      h("section", { class: "tl-col", "aria-label": t().timeline }, this.diagnoses.el, connErrors, this.timeline.el),
      h("section", { class: "side-col" }, tabs),
    );
    replace(
      this.root,
      h("header", { class: "top" }, h("div", { class: "title-row" }, title, meta, actions), busy, errorBox, docErrors),
      this.mode === "panel" ? formsBox : null,
      tableBox,
      empty,
      pick,
      this.steps.el,
      work,
    );
    this.parts = { title, meta, actions, busy, error, formsBox, tableBox, empty, pick, work, tabs, connErrors, docErrors };
    this.forms.setTrusted(this.trusted);
    this.renderAll();
  }

  private handle(m: HostToWebview): void {
    switch (m.type) {
      case "init": {
        const langChanged = m.lang !== this.lang || m.mode !== this.mode;
        this.mode = m.mode === "editor" ? "editor" : "panel";
        this.lang = m.lang;
        this.trusted = m.trusted !== false;
        this.doc = m.document;
        setLang(this.lang);
        if (langChanged) this.mount();
        this.forms.setTrusted(this.trusted);
        const sel = m.selection ?? {};
        if (sel.connection !== undefined) this.selection = { ...sel };
        else if (this.restore?.selection?.connection !== undefined && m.document.connections.some((c) => c?.id === this.restore?.selection?.connection)) {
          post({ type: "selectConnection", id: this.restore.selection.connection });
        }
        this.renderAll();
        break;
      }
      case "document":
        this.doc = m.document;
        // (A document sent in pages may hold the selected connection in a later page.)
        if (this.conn && m.document.connectionCount === undefined && !m.document.connections.some((c) => c?.id === this.conn?.id)) this.setConnection(null);
        this.renderAll();
        break;
      case "connection":
        this.setConnection(normalizeConnection(m.connection));
        break;
      case "select":
        this.applySelection(m.selection ?? {});
        break;
      case "busy":
        this.busy = m.text;
        this.renderChrome();
        break;
      case "error":
        this.error = m.text;
        this.renderChrome();
        break;
      case "connections":
        this.table.appendConnections(m.from, m.connections);
        break;
      case "lesson":
        this.showLesson(m.lesson);
        break;
      case "note":
        this.lessonNote = m.note;
        this.lesson.showNote(m.note);
        break;
      case "lang":
        if (m.lang !== this.lang) {
          this.lang = m.lang;
          setLang(m.lang);
          this.mount();
        }
        break;
    }
  }

  private renderAll(): void {
    this.shown = undefined;
    this.renderChrome();
    const conns = this.doc?.connections ?? [];
    // Only a new document refills the table: selecting a connection must not reset its pages or scroll position.
    if (this.tableDoc !== this.doc) {
      this.tableDoc = this.doc;
      this.table.setConnections(
        conns.filter((c) => c && typeof c.id === "number"),
        this.doc?.connectionCount,
      );
    }
    this.table.setSelected(this.conn?.id);
    const c = this.conn;
    this.timeline.setConnection(c);
    this.keys.setData(c?.secrets, c?.steps);
    this.computeStepRows();
    this.steps.setSteps(c?.steps, this.stepIndex);
    this.renderConnErrors();
    this.diagnoses.set(c?.diagnoses);
    this.parts.tabs.selectedIndex = this.tab === "keys" ? 1 : 0;
    if (c) {
      const sel = this.selection;
      if (c.steps?.length) this.applyStep(this.stepIndex, false, sel.message === undefined);
      else this.keys.setStep(null);
      if (sel.message !== undefined || sel.packet !== undefined) this.applySelection(sel);
      else this.bytes.showMessage(undefined);
    } else {
      this.bytes.showMessage(undefined);
      this.fields.setTree(undefined);
    }
    this.renderLayout();
  }

  /** Header, busy line, error banner, editor actions and which sections show. */
  private renderChrome(): void {
    const p = this.parts;
    const d = this.doc;
    p.title.textContent = d?.title || (this.mode === "editor" ? "TLS capture" : "TLS Handshake");
    const meta: string[] = [];
    if (d?.format) meta.push(d.format);
    if (typeof d?.packets === "number") meta.push(t().packets(d.packets));
    // While the file is still being read the count is of the connections so far ("500 connections…").
    if (d && d.kind === "capture") meta.push(t().connectionsCount(d.connectionCount ?? d.connections.length) + (this.busy ? "…" : ""));
    if (this.conn) meta.push(`${this.conn.version} · ${this.conn.suite}`);
    p.meta.textContent = meta.join(" · ");
    replace(p.actions);
    if (this.mode === "editor" || d?.canAttachKeyLog) {
      const attach = h("vscode-button", { secondary: true, icon: "key" }, t().attachKeyLog);
      attach.addEventListener("click", () => post({ type: "attachKeyLog" }));
      const save = h("vscode-button", { secondary: true, icon: "save", disabled: !this.conn }, t().saveTranscript);
      save.addEventListener("click", () => {
        if (this.conn) post({ type: "saveTranscript", connection: this.conn.id });
      });
      if (d?.canAttachKeyLog !== false) p.actions.append(attach);
      p.actions.append(save);
    }
    p.busy.hidden = !this.busy;
    replace(p.busy, h("div", { class: "busy-bar" }), h("span", { class: "busy-text" }, this.busy ?? ""));
    if (this.busy) p.busy.setAttribute("aria-label", this.busy);
    p.error.textContent = this.error ?? "";
    (p.error.parentElement as HTMLElement).hidden = !this.error;
    const errs = d?.errors ?? [];
    replace(
      p.docErrors,
      ...errs.slice(0, 5).map((e) => h("div", { class: "doc-error" }, e.frame !== undefined ? `frame ${e.frame}: ${e.message}` : e.message)),
      errs.length > 5 ? h("div", { class: "doc-error" }, `… +${errs.length - 5}`) : null,
    );
  }

  private renderLayout(): void {
    const p = this.parts;
    const n = this.doc?.connectionCount ?? this.doc?.connections.length ?? 0;
    p.tableBox.hidden = !(this.mode === "editor" ? n > 0 : n > 1);
    p.empty.hidden = !!this.conn || n > 0;
    p.pick.hidden = !!this.conn || n === 0;
    // Without a connection the work area stays in the DOM (its test hooks exist) but takes no room.
    p.work.hidden = !this.conn;
    if (this.mode === "panel" && !this.conn && !p.formsBox.open) p.formsBox.open = true;
  }

  private renderConnErrors(): void {
    const errs = this.conn?.errors ?? [];
    replace(
      this.parts.connErrors,
      ...errs.slice(0, 5).map((e) => h("div", { class: "conn-error" }, e.frame !== undefined ? `frame ${e.frame}: ${e.message}` : String(e.message))),
    );
  }

  private setConnection(c: ConnectionView | null): void {
    const first = this.restore && c && this.restore.selection?.connection === c.id;
    const same = c && this.conn?.id === c.id && this.selection.connection === c.id;
    this.conn = c;
    if (first && this.restore) {
      this.selection = { ...(this.restore.selection ?? {}) };
      this.stepIndex = typeof this.restore.stepIndex === "number" ? this.restore.stepIndex : 0;
    } else if (!same) {
      this.selection = c ? { connection: c.id } : {};
      this.stepIndex = 0;
    }
    this.restore = null;
    if (c && this.mode === "panel" && this.parts.formsBox.open && c.messageList.length) this.parts.formsBox.open = false;
    this.renderAll();
    this.persist();
  }

  private computeStepRows(): void {
    const rows = this.timeline.getRows();
    const steps = this.conn?.steps ?? [];
    const counters = new Map<string, number>();
    this.stepRows = steps.map((st) => {
      if (st.kind !== "message") return -1;
      if (typeof st.message === "number") return rows.find((r) => r.message?.index === st.message)?.pos ?? -1;
      // Records that are not handshake messages: the n-th of that kind in that direction.
      const kind = /ChangeCipherSpec/i.test(st.title) ? "ccs" : /^Alert/i.test(st.title) ? "alert" : /ApplicationData/i.test(st.title) ? "appdata" : "";
      if (!kind) return -1;
      const key = `${kind}:${st.dir}`;
      const nth = counters.get(key) ?? 0;
      counters.set(key, nth + 1);
      const matches = rows.filter((r) => r.kind === kind && (!st.dir || r.dir === st.dir));
      return matches[Math.min(nth, matches.length - 1)]?.pos ?? -1;
    });
  }

  /** Shows step `i`: dims later rows, selects its message or highlights its secret, shows its check. */
  private applyStep(i: number, fromUser: boolean, select = true): void {
    const steps = this.conn?.steps ?? [];
    if (!steps.length) return;
    this.stepIndex = Math.max(0, Math.min(i, steps.length - 1));
    if (!fromUser) this.steps.set(this.stepIndex);
    let progress = -1;
    for (let k = 0; k <= this.stepIndex; k++) if (this.stepRows[k] > progress) progress = this.stepRows[k];
    this.timeline.setProgress(progress);
    const st = steps[this.stepIndex];
    this.keys.setStep(this.stepIndex, st.kind === "secret" ? st.title : undefined);
    if (select && st.kind === "message") {
      const row = this.timeline.getRows()[this.stepRows[this.stepIndex]];
      if (row) this.onRow(row, fromUser);
      if (fromUser) this.showTab("message");
    } else if (select && st.kind === "secret" && fromUser) {
      this.showTab("keys");
    }
    this.persist();
  }

  private showTab(tab: "message" | "keys"): void {
    this.tab = tab;
    this.parts.tabs.selectedIndex = tab === "keys" ? 1 : 0;
  }

  /** A timeline row was chosen (click, Enter, or a step). */
  private onRow(r: TimelineRow, postIt = true): void {
    if (r.packet) {
      this.selectPacket(r.packet, postIt);
      return;
    }
    if (r.message) {
      this.selectMessage(r.message);
      if (postIt && this.conn) post({ type: "selectMessage", connection: this.conn.id, message: r.message.index });
      return;
    }
    this.timeline.setSelectedById(r.id);
    this.selection = { connection: this.conn?.id };
    this.shown = undefined;
    this.bytes.showMessage(undefined, r.name);
    this.fields.setTree(undefined);
    const lines: string[] = [`${t()[r.dir]}, ${r.size} ${t().bytesUnit}`];
    if (r.record)
      lines.push(`${t().record} #${r.record.index}: ${r.record.typeName}, frame ${r.record.frame}${r.record.keyPhase ? `, ${t()[r.record.keyPhase]}` : ""}`);
    if (r.record?.decryptError) lines.push(`${t().notDecrypted}: ${r.record.decryptError}`);
    if (r.alert?.level !== undefined && r.alert.level !== null) lines.push(`level ${r.alert.level}, description ${r.alert.description}`);
    this.bytes.showText(r.kind === "alert" ? `${t().alert}: ${r.name}` : r.name, lines);
    this.persist();
  }

  private selectMessage(m: MessageView): void {
    this.selection = { connection: this.conn?.id, message: m.index };
    this.shown = m.index;
    this.timeline.setSelectedById(`tm-${m.index}`);
    this.bytes.showMessage(m);
    this.fields.setTree(m.tree);
    // The whole message is the selected "field" until a narrower one is chosen.
    const len = (m.hex?.length ?? 0) >> 1;
    if (m.tree) {
      this.bytes.select(m.tree.start, m.tree.end, [m.tree]);
      this.fields.reveal([m.tree]);
    } else {
      this.bytes.select(0, len, []);
    }
    this.persist();
  }

  /** A QUIC packet: its bytes (as captured, or decrypted) in the bytes pane, their field tree beside them. */
  private selectPacket(p: QuicPacketView, postIt: boolean): void {
    this.shown = undefined;
    this.timeline.setSelectedById(`tp-${p.index}`);
    const shown = this.bytes.showPacket(p, this.packetView);
    this.selection = { connection: this.conn?.id, packet: p.index, packetView: shown };
    const tree = (shown === "plaintext" ? p.plaintextBytes : p.protectedBytes)?.tree;
    this.fields.setTree(tree);
    if (tree) {
      this.bytes.select(tree.start, tree.end, [tree]);
      this.fields.reveal([tree]);
    }
    if (postIt && this.conn) post({ type: "selectPacket", connection: this.conn.id, packet: p.index });
    this.persist();
  }

  private currentPacket(): QuicPacketView | undefined {
    const i = this.selection.packet;
    return i === undefined ? undefined : this.conn?.packets?.find((x) => x.index === i);
  }

  private selectPath(path: FieldNode[], postIt: boolean): void {
    const n = path[path.length - 1];
    const p = this.currentPacket();
    if (n && p) {
      // Packet trees live in the page only: the host's Handshake Fields tree shows messages.
      this.selection = { ...this.selection, start: n.start, end: n.end };
      this.bytes.select(n.start, n.end, path);
      this.fields.reveal(path);
      this.persist();
      return;
    }
    const m = this.currentMessage();
    if (!n || !m) return;
    this.selection = { connection: this.conn?.id, message: m.index, start: n.start, end: n.end };
    this.bytes.select(n.start, n.end, path);
    this.fields.reveal(path);
    if (postIt && this.conn) post({ type: "selectField", connection: this.conn.id, message: m.index, start: n.start, end: n.end });
    this.persist();
  }

  private currentMessage(): MessageView | undefined {
    const i = this.selection.message;
    return i === undefined ? undefined : this.conn?.messageList.find((x) => x.index === i);
  }

  /** A selection from the host (Handshake Fields tree, Show in Timeline) or restored state. */
  private applySelection(sel: Selection): void {
    if (!this.conn || (sel.connection !== undefined && sel.connection !== this.conn.id)) {
      if (sel.connection !== undefined) this.selection = { ...sel };
      return;
    }
    if (sel.message === undefined && sel.packet !== undefined) {
      const p = this.conn.packets?.find((x) => x.index === sel.packet);
      if (!p) return;
      if (sel.packetView) this.packetView = sel.packetView;
      this.selectPacket(p, false);
      const tree = (this.selection.packetView === "plaintext" ? p.plaintextBytes : p.protectedBytes)?.tree;
      if (tree && typeof sel.start === "number" && typeof sel.end === "number" && sel.end >= sel.start) {
        const path = pathForRange(tree, sel.start, sel.end);
        this.selection = { ...this.selection, start: sel.start, end: sel.end };
        this.bytes.select(sel.start, sel.end, path);
        if (path.length) this.fields.reveal(path);
      }
      return;
    }
    if (sel.message === undefined) return;
    const m = this.conn.messageList.find((x) => x.index === sel.message);
    if (!m) return;
    if (this.shown !== m.index || sel.start === undefined) this.selectMessage(m);
    if (typeof sel.start === "number" && typeof sel.end === "number" && sel.end >= sel.start) {
      const path = m.tree ? pathForRange(m.tree, sel.start, sel.end) : [];
      this.selection = { connection: this.conn.id, message: m.index, start: sel.start, end: sel.end };
      this.bytes.select(sel.start, sel.end, path);
      if (path.length) this.fields.reveal(path);
    }
    this.showTab("message");
    this.persist();
  }

  /** Lesson mode: the step's card, and the timeline stepped to the step's message or secret. */
  private showLesson(v: LessonView | null): void {
    this.lessonView = v;
    if (!v) this.lessonNote = null;
    this.lesson.show(v);
    this.parts.work.classList.toggle("with-lesson", !!v);
    if (!v) return;
    if (v.engineStep !== undefined && this.conn?.steps?.length) {
      this.applyStep(v.engineStep, true);
      this.steps.set(this.stepIndex);
    }
    if (v.tab) this.showTab(v.tab);
  }

  private explain(note: string, section?: string): void {
    if (NOTE_ID.test(note)) post(section ? { type: "explain", note, section } : { type: "explain", note });
  }

  private persist(): void {
    saveState({ selection: this.selection, tab: this.tab, stepIndex: this.stepIndex, simulateForm: this.form });
  }
}

/** Arrays where arrays belong, so a malformed view renders as empty instead of throwing mid-render. */
function normalizeConnection(c: ConnectionView): ConnectionView {
  const arr = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);
  return {
    ...c,
    records: arr(c.records),
    messageList: arr(c.messageList).filter((m) => m && typeof m.index === "number"),
    alerts: arr(c.alerts),
    packets: c.packets ? arr(c.packets).filter((p) => p && typeof p.index === "number") : undefined,
    errors: arr(c.errors),
    secrets: arr(c.secrets),
    steps: c.steps ? arr(c.steps) : undefined,
    client: c.client ?? { ip: "?", port: 0 },
    server: c.server ?? { ip: "?", port: 0 },
  };
}

const root = document.getElementById("app") ?? document.body.appendChild(h("div", { id: "app" }));
if (document.body.dataset.mode === "note") new NoteApp(root);
else new App(root);
