/**
 * The key-schedule view: which secret derives from which, as an indented derivation list. Simulations and live
 * connections give it exactly (secret steps name their `inputs`); captures give only the key log's labels, placed
 * under the RFC 8446 §7.1 / RFC 5246 §8.1 parents they come from (shown as not logged). Values are truncated
 * with the full value in a tooltip; a click copies. With steps, it shows what each side knew at the current step.
 */
import type { SecretView, StepView } from "../../src/protocol/messages";
import { t } from "./i18n";
import { st } from "./studyStrings";
import { loosePoints, textbookName } from "./textbookNames";
import { h, replace, revealInScroller, truncateHex } from "./ui";

interface KsNode {
  key: string;
  name: string;
  value?: string;
  derivation?: string;
  source?: string;
  /** Inputs that are not secrets of this list (transcript hashes, labels, zeros). */
  otherInputs: string[];
  /** Keys of every input that is a secret of this list, in the order the step names them. */
  secretInputs?: string[];
  parent?: string;
  children: string[];
  /** (step index, who knows it from then on) for each time a step mentions it. */
  known: { step: number; by: ("client" | "server")[] }[];
  firstStep: number;
  placeholder?: boolean;
  el?: HTMLLIElement;
}

/** Capture key-log labels → the secret they are derived from (RFC 8446 §7.1, RFC 5246 §6.3/§8.1). */
const CAPTURE_PARENTS: Record<string, string> = {
  CLIENT_EARLY_TRAFFIC_SECRET: "early_secret",
  EARLY_EXPORTER_SECRET: "early_secret",
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: "handshake_secret",
  SERVER_HANDSHAKE_TRAFFIC_SECRET: "handshake_secret",
  CLIENT_TRAFFIC_SECRET_0: "master_secret (TLS 1.3)",
  SERVER_TRAFFIC_SECRET_0: "master_secret (TLS 1.3)",
  EXPORTER_SECRET: "master_secret (TLS 1.3)",
  handshake_secret: "early_secret",
  "master_secret (TLS 1.3)": "handshake_secret",
  CLIENT_RANDOM: "pre_master_secret",
  master_secret: "pre_master_secret",
  key_block: "master_secret",
  client_write_key: "key_block",
  server_write_key: "key_block",
  client_write_iv: "key_block",
  server_write_iv: "key_block",
  client_write_mac_key: "key_block",
  server_write_mac_key: "key_block",
};

function captureParent(label: string): string | undefined {
  const m = /^(CLIENT|SERVER)_TRAFFIC_SECRET_(\d+)$/.exec(label);
  if (m && m[2] !== "0") return `${m[1]}_TRAFFIC_SECRET_${Number(m[2]) - 1}`;
  return CAPTURE_PARENTS[label] ?? CAPTURE_PARENTS[label.toLowerCase()];
}

export interface KeyScheduleCallbacks {
  onCopy(text: string): void;
  /** Open a note at a section (the textbook names' explanation). */
  onExplain?(note: string, section?: string): void;
}

export class KeySchedule {
  readonly el: HTMLDivElement;
  private nodes = new Map<string, KsNode>();
  private roots: string[] = [];
  private hasSteps = false;

  constructor(private readonly cb: KeyScheduleCallbacks) {
    this.el = h("div", { class: "key-schedule", "data-testid": "key-schedule" });
    this.el.addEventListener("click", (e) => {
      const v = (e.target as Element).closest(".ks-value") as HTMLElement | null;
      if (!v) return;
      const node = this.nodes.get(v.dataset.key ?? "");
      if (node?.value) this.copy(node, v);
    });
    this.el.addEventListener("keydown", (e) => {
      const v = (e.target as Element).closest(".ks-value") as HTMLElement | null;
      if (!v || (e.key !== "Enter" && e.key !== " ")) return;
      e.preventDefault();
      const node = this.nodes.get(v.dataset.key ?? "");
      if (node?.value) this.copy(node, v);
    });
  }

  private copy(node: KsNode, el: HTMLElement): void {
    this.cb.onCopy(node.value ?? "");
    el.classList.add("copied");
    el.setAttribute("data-copied", t().copied);
    setTimeout(() => el.classList.remove("copied"), 1200);
  }

  /** Rebuilds from a connection's secrets and steps. */
  setData(secrets: SecretView[] | undefined, steps: StepView[] | undefined): void {
    this.nodes.clear();
    this.roots = [];
    const secretSteps = (steps ?? []).filter((s) => s.kind === "secret");
    this.hasSteps = secretSteps.length > 0;
    if (this.hasSteps) this.fromSteps(secretSteps);
    else this.fromSecrets(Array.isArray(secrets) ? secrets : []);
    this.render();
  }

  private add(node: Omit<KsNode, "children" | "known" | "firstStep" | "otherInputs"> & Partial<KsNode>): KsNode {
    const n: KsNode = { children: [], known: [], firstStep: -1, otherInputs: [], ...node };
    this.nodes.set(n.key, n);
    return n;
  }

  private fromSteps(steps: StepView[]): void {
    // The same secret shows up once per side that derives it; a different value under the same name (a second
    // handshake when resuming) is a separate node.
    const latestByName = new Map<string, string>();
    for (const st of steps) {
      const name = st.title;
      const value = typeof st.value === "string" ? st.value : "";
      let key = latestByName.get(name);
      let node = key ? this.nodes.get(key) : undefined;
      if (!node || (node.value !== value && value)) {
        key = node ? `${name}#${st.index}` : name;
        const inputs = Array.isArray(st.inputs) ? st.inputs.filter((x) => typeof x === "string") : [];
        const parentName = inputs.find((i) => latestByName.has(i));
        const secretInputs = inputs.filter((i) => latestByName.has(i)).map((i) => latestByName.get(i)!);
        node = this.add({
          secretInputs,
          key,
          name,
          value,
          derivation: st.derivation,
          firstStep: st.index,
          parent: parentName ? latestByName.get(parentName) : undefined,
          otherInputs: inputs.filter((i) => i !== parentName),
        });
        latestByName.set(name, key);
        if (node.parent) this.nodes.get(node.parent)?.children.push(key);
        else this.roots.push(key);
      }
      node.known.push({ step: st.index, by: Array.isArray(st.knownBy) ? st.knownBy : [st.actor] });
    }
  }

  private fromSecrets(secrets: SecretView[]): void {
    for (const sc of secrets) {
      if (typeof sc.label !== "string") continue;
      const key = this.nodes.has(sc.label) ? `${sc.label}#${this.nodes.size}` : sc.label;
      this.add({ key, name: sc.label, value: typeof sc.value === "string" ? sc.value : "", source: sc.source });
    }
    // Link each label to its parent, creating "not logged" placeholders up the chain (bounded by the table).
    for (const key of [...this.nodes.keys()]) {
      let child = this.nodes.get(key)!;
      for (let depth = 0; depth < 8 && !child.parent; depth++) {
        const pName = captureParent(child.name);
        if (!pName) break;
        const parent = this.nodes.get(pName) ?? this.add({ key: pName, name: pName, placeholder: true });
        child.parent = pName;
        parent.children.push(child.key);
        child = parent;
      }
    }
    for (const n of this.nodes.values()) if (!n.parent) this.roots.push(n.key);
  }

  private render(): void {
    if (!this.nodes.size) {
      replace(this.el, h("p", { class: "hint" }, t().noSecrets));
      return;
    }
    const list = h("ul", { class: "ks-tree", role: "list", "aria-label": t().keySchedule });
    const seen = new Set<string>();
    const walk = (key: string, ul: HTMLUListElement, depth: number) => {
      const n = this.nodes.get(key);
      if (!n || seen.has(key) || depth > 32) return;
      seen.add(key);
      const li = this.item(n);
      ul.appendChild(li);
      if (n.children.length) {
        const sub = h("ul", { role: "list" });
        for (const c of n.children) walk(c, sub, depth + 1);
        li.appendChild(sub);
      }
    };
    for (const r of this.roots) walk(r, list, 0);
    replace(
      this.el,
      h(
        "div",
        { class: "ks-legend" },
        t().keySchedule,
        this.hasSteps ? h("span", { class: "fi-muted" }, ` — ${t().knownBy}: `) : null,
        this.hasSteps ? h("span", { class: "badge client" }, t().client) : null,
        this.hasSteps ? h("span", { class: "badge server" }, t().server) : null,
      ),
      list,
      this.textbookBox(),
    );
  }

  /** Beside a TLS 1.2 key block: where the textbook's four-keys picture is loose, for this suite. */
  private textbookBox(): HTMLElement | null {
    const names = [...this.nodes.values()].map((n) => n.name);
    if (!names.some((n) => textbookName(n))) return null;
    const lang = document.documentElement.lang === "ko" ? "ko" : "en";
    const more = h("vscode-button", { secondary: true, icon: "book", class: "ks-textbook-note" }, t().explain);
    more.addEventListener("click", () => this.cb.onExplain?.("key-derivation-tls12", "The textbook's names"));
    return h(
      "section",
      { class: "ks-loose", "data-testid": "textbook-loose" },
      h("div", { class: "section-title" }, st().loose),
      h(
        "ul",
        null,
        loosePoints(lang, names).map((p) => h("li", null, p)),
      ),
      this.cb.onExplain ? more : null,
    );
  }

  /** The short textbook name beside a key-block piece, with what it protects. */
  private textbook(name: string): HTMLElement | null {
    const tb = textbookName(name);
    if (!tb) return null;
    const lang = document.documentElement.lang === "ko" ? "ko" : "en";
    return h(
      "span",
      {
        class: "ks-textbook",
        title: tb.course ? `Kurose & Ross: ${tb.kuroseRoss} · ${st().textbook}: ${tb.course}\n${st().protects}: ${tb.protects[lang]}` : tb.protects[lang],
      },
      tb.course ? h("span", { class: "ks-tb-name" }, `${tb.kuroseRoss} / ${tb.course}`) : null,
      h("span", { class: "ks-tb-protects" }, tb.protects[lang]),
    );
  }

  private item(n: KsNode): HTMLLIElement {
    const valueEl = n.value
      ? h(
          "span",
          {
            class: "ks-value mono",
            role: "button",
            tabindex: 0,
            title: `${n.value}\n${t().copyHint}`,
            "data-key": n.key,
            "aria-label": `${n.name}: ${t().copyHint}`,
          },
          truncateHex(n.value, 24),
        )
      : h("span", { class: "ks-value placeholder" }, n.placeholder ? t().notLogged : "");
    const li = h(
      "li",
      { class: n.placeholder ? "ks-node placeholder" : "ks-node", "data-key": n.key },
      h(
        "div",
        { class: "ks-row" },
        h("span", { class: "ks-name" }, n.name),
        this.textbook(n.name),
        valueEl,
        h("span", { class: "ks-badges" }),
        n.source ? h("span", { class: "ks-source" }, n.source) : null,
      ),
      this.concatenation(n),
      n.derivation || n.otherInputs.length
        ? h(
            "div",
            { class: "ks-deriv" },
            n.derivation ?? "",
            n.otherInputs.length ? h("span", { class: "ks-inputs" }, `  ${t().derivedFrom}: ${n.otherInputs.join(", ")}`) : null,
          )
        : null,
    );
    n.el = li;
    return li;
  }

  /**
   * A secret that is its inputs side by side (the hybrid groups' (EC)DHE input: the ML-KEM and ECDH shared secrets,
   * draft-ietf-tls-ecdhe-mlkem §3.1.3) drawn as a bar of its parts, each as wide as its bytes. Recognised from the
   * values themselves: the inputs' values, in order, are exactly this one's.
   */
  private concatenation(n: KsNode): HTMLElement | null {
    const parts = (n.secretInputs ?? []).map((k) => this.nodes.get(k)).filter((p): p is KsNode => !!p?.value);
    if (parts.length < 2 || !n.value || parts.map((p) => p.value).join("") !== n.value) return null;
    const bar = h(
      "div",
      { class: "ks-concat", role: "group", "aria-label": `${t().concatenation}: ${parts.map((p) => p.name).join(" ‖ ")}` },
      ...parts.flatMap((p, i) => {
        const seg = h(
          "span",
          { class: `ks-part ks-part-${i % 2}`, title: `${p.name}\n${p.value}` },
          h("span", { class: "ks-part-name" }, p.name),
          h("span", { class: "ks-part-size fi-muted" }, ` ${(p.value ?? "").length / 2} B`),
        );
        seg.style.flexGrow = String((p.value ?? "").length);
        return i ? [h("span", { class: "ks-concat-op", "aria-hidden": "true" }, "‖"), seg] : [seg];
      }),
    );
    return bar;
  }

  /**
   * Shows the state at step `stepIndex` (null: everything known): future secrets dim, badges say which side
   * knows each value, the secret of the current step (if any) is highlighted.
   */
  setStep(stepIndex: number | null, currentTitle?: string): void {
    let current: KsNode | undefined;
    for (const n of this.nodes.values()) {
      if (!n.el) continue;
      const badges = n.el.querySelector(".ks-badges");
      if (!this.hasSteps || stepIndex === null) {
        n.el.classList.remove("future", "current");
        if (badges && this.hasSteps)
          this.fillBadges(
            badges,
            n.known.flatMap((k) => k.by),
          );
        continue;
      }
      const future = n.firstStep > stepIndex;
      n.el.classList.toggle("future", future);
      const by = n.known.filter((k) => k.step <= stepIndex).flatMap((k) => k.by);
      if (badges) this.fillBadges(badges, future ? [] : by);
      const isCurrent = currentTitle !== undefined && n.known.some((k) => k.step === stepIndex) && n.name === currentTitle;
      n.el.classList.toggle("current", isCurrent);
      if (isCurrent) current = n;
    }
    if (current?.el) revealInScroller(current.el.firstElementChild ?? current.el);
  }

  private fillBadges(el: Element, by: string[]): void {
    const set = new Set(by);
    replace(el, ...(["client", "server"] as const).filter((w) => set.has(w)).map((w) => h("span", { class: `badge ${w}` }, t()[w])));
  }
}
