/**
 * The simulate form (engine run: version, key exchange, group, suite, HelloRetryRequest, client auth, resumption,
 * seed) and the connect form (host, port, SNI; disabled in an untrusted workspace).
 */
import type { SimulateRequest } from "../../src/protocol/messages";
import { t } from "./i18n";
import type { SimulateFormState } from "./vscodeApi";
import { h } from "./ui";

type Opt = [value: string, label: string];

const GROUPS_12: Opt[] = [
  ["29", "x25519 (29)"],
  ["23", "secp256r1 (23)"],
  ["24", "secp384r1 (24)"],
  ["256", "ffdhe2048 (256)"],
];
/** TLS 1.3 adds the post-quantum hybrids (draft-ietf-tls-ecdhe-mlkem); X25519MLKEM768 is what browsers send first. */
const groups13 = (): Opt[] => [
  GROUPS_12[0],
  [String(0x11ec), `X25519MLKEM768 (0x11EC) — ${t().browsersDefault}`],
  [String(0x11eb), "SecP256r1MLKEM768 (0x11EB)"],
  [String(0x11ed), "SecP384r1MLKEM1024 (0x11ED)"],
  ...GROUPS_12.slice(1),
];
const SUITES_13: Opt[] = [
  ["4865", "TLS_AES_128_GCM_SHA256 (0x1301)"],
  ["4866", "TLS_AES_256_GCM_SHA384 (0x1302)"],
  ["4867", "TLS_CHACHA20_POLY1305_SHA256 (0x1303)"],
];
const SUITES_12: Record<"ECDHE" | "DHE" | "RSA", Opt[]> = {
  ECDHE: [
    [String(0xc02f), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xC02F)"],
    [String(0xc030), "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (0xC030)"],
    [String(0xc02b), "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (0xC02B)"],
    [String(0xc02c), "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 (0xC02C)"],
    [String(0xcca8), "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 (0xCCA8)"],
    [String(0xcca9), "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 (0xCCA9)"],
    [String(0xc013), "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA (0xC013)"],
    [String(0xc027), "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 (0xC027)"],
  ],
  DHE: [
    [String(0x009e), "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 (0x009E)"],
    [String(0x009f), "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 (0x009F)"],
    [String(0xccaa), "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 (0xCCAA)"],
    [String(0x0033), "TLS_DHE_RSA_WITH_AES_128_CBC_SHA (0x0033)"],
  ],
  RSA: [
    [String(0x009c), "TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009C)"],
    [String(0x009d), "TLS_RSA_WITH_AES_256_GCM_SHA384 (0x009D)"],
    [String(0x003c), "TLS_RSA_WITH_AES_128_CBC_SHA256 (0x003C)"],
    [String(0x002f), "TLS_RSA_WITH_AES_128_CBC_SHA (0x002F)"],
  ],
};

export const DEFAULT_FORM: SimulateFormState = {
  version: "1.3",
  keyExchange: "ECDHE",
  group: 29,
  cipherSuite: 0x1301,
  helloRetry: false,
  clientAuth: false,
  resumption: false,
  seed: "demo",
  host: "",
  port: "443",
  sni: "",
};

interface SelectEl extends HTMLElement {
  value: string;
  disabled: boolean;
}
interface CheckEl extends HTMLElement {
  checked: boolean;
  disabled: boolean;
}
interface TextEl extends HTMLElement {
  value: string;
  disabled: boolean;
}

function select(id: string, label: string, opts: Opt[], value: string): { wrap: HTMLElement; el: SelectEl } {
  const el = h("vscode-single-select", { id, "aria-label": label }) as unknown as SelectEl;
  fillOptions(el, opts, value);
  return { wrap: h("div", { class: "form-field" }, h("label", { for: id }, label), el), el };
}

function fillOptions(el: SelectEl, opts: Opt[], value: string): void {
  const v = opts.some((o) => o[0] === value) ? value : (opts[0]?.[0] ?? "");
  el.replaceChildren(...opts.map(([val, label]) => h("vscode-option", { value: val, selected: val === v }, label)));
  el.value = v;
}

export interface FormsCallbacks {
  onSimulate(req: SimulateRequest): void;
  onConnect(host: string, port: number, sni?: string): void;
  onChange(state: SimulateFormState): void;
}

export class Forms {
  readonly simulateEl: HTMLElement;
  readonly connectEl: HTMLElement;
  private state: SimulateFormState;
  private readonly version: SelectEl;
  private readonly kx: SelectEl;
  private readonly group: SelectEl;
  private readonly suite: SelectEl;
  private readonly hrr: CheckEl;
  private readonly clientAuth: CheckEl;
  private readonly resumption: CheckEl;
  private readonly seed: TextEl;
  private readonly host: TextEl;
  private readonly port: TextEl;
  private readonly sni: TextEl;
  private readonly connectBtn: HTMLElement & { disabled: boolean };
  private readonly connectNote: HTMLElement;
  private readonly connectError: HTMLElement;

  constructor(
    initial: SimulateFormState,
    private readonly cb: FormsCallbacks,
  ) {
    this.state = { ...DEFAULT_FORM, ...initial };
    const st = this.state;
    const version = select(
      "sim-version",
      t().version,
      [
        ["1.3", "TLS 1.3"],
        ["1.2", "TLS 1.2"],
      ],
      st.version,
    );
    const kx = select(
      "sim-kx",
      t().keyExchange,
      [
        ["ECDHE", "ECDHE"],
        ["DHE", "DHE"],
        ["RSA", "RSA"],
      ],
      st.keyExchange ?? "ECDHE",
    );
    const group = select("sim-group", t().group, this.groups(), String(st.group ?? 29));
    const suite = select("sim-suite", t().suite, this.suites(), String(st.cipherSuite ?? ""));
    this.version = version.el;
    this.kx = kx.el;
    this.group = group.el;
    this.suite = suite.el;
    const check = (id: string, label: string, v: boolean | undefined) => h("vscode-checkbox", { id, label, checked: !!v }) as unknown as CheckEl;
    this.hrr = check("sim-hrr", t().helloRetry, st.helloRetry);
    this.clientAuth = check("sim-client-auth", t().clientAuth, st.clientAuth);
    this.resumption = check("sim-resumption", t().resumption, st.resumption);
    this.seed = h("vscode-textfield", { id: "sim-seed", value: st.seed ?? "", placeholder: "demo", maxlength: 256 }) as unknown as TextEl;
    const run = h("vscode-button", { "data-testid": "simulate-run", icon: "play" }, t().run);
    run.addEventListener("click", () => this.cb.onSimulate(this.request()));
    for (const el of [this.version, this.kx, this.group, this.suite]) el.addEventListener("change", () => this.read(el));
    for (const el of [this.hrr, this.clientAuth, this.resumption]) el.addEventListener("change", () => this.read(el));
    this.seed.addEventListener("input", () => this.read(this.seed));
    this.seed.addEventListener("keydown", (e) => {
      if ((e as KeyboardEvent).key === "Enter") this.cb.onSimulate(this.request());
    });
    this.simulateEl = h(
      "form",
      { class: "sim-form", "data-testid": "simulate-form", "aria-label": t().simulate },
      h("div", { class: "form-title" }, t().simulate),
      h("div", { class: "form-row" }, version.wrap, kx.wrap, group.wrap, suite.wrap),
      h(
        "div",
        { class: "form-row" },
        this.hrr,
        this.clientAuth,
        this.resumption,
        h("div", { class: "form-field inline" }, h("label", { for: "sim-seed" }, t().seed), this.seed),
        run,
      ),
    );
    this.simulateEl.addEventListener("submit", (e) => e.preventDefault());

    this.host = h("vscode-textfield", { id: "conn-host", value: st.host ?? "", placeholder: "example.com", maxlength: 253 }) as unknown as TextEl;
    this.port = h("vscode-textfield", { id: "conn-port", value: st.port ?? "443", maxlength: 5, class: "port" }) as unknown as TextEl;
    this.sni = h("vscode-textfield", { id: "conn-sni", value: st.sni ?? "", placeholder: t().sni, maxlength: 253 }) as unknown as TextEl;
    for (const el of [this.host, this.port, this.sni]) el.addEventListener("input", () => this.read(el));
    this.connectBtn = h("vscode-button", { icon: "plug", secondary: true, "data-testid": "connect-run" }, t().connect) as HTMLElement & { disabled: boolean };
    this.connectBtn.addEventListener("click", () => this.connect());
    this.connectNote = h("div", { class: "form-note", hidden: true }, t().untrusted);
    this.connectError = h("div", { class: "form-error", role: "alert" });
    this.connectEl = h(
      "form",
      { class: "connect-form", "data-testid": "connect-form", "aria-label": t().connect },
      h("div", { class: "form-title" }, t().connect),
      h(
        "div",
        { class: "form-row" },
        h("div", { class: "form-field" }, h("label", { for: "conn-host" }, t().host), this.host),
        h("div", { class: "form-field" }, h("label", { for: "conn-port" }, t().port), this.port),
        h("div", { class: "form-field" }, h("label", { for: "conn-sni" }, t().sni), this.sni),
        this.connectBtn,
      ),
      this.connectNote,
      this.connectError,
    );
    this.connectEl.addEventListener("submit", (e) => e.preventDefault());
    this.sync();
  }

  private groups(): Opt[] {
    return this.state.version === "1.3" ? groups13() : GROUPS_12;
  }

  private suites(): Opt[] {
    return this.state.version === "1.3" ? SUITES_13 : (SUITES_12[this.state.keyExchange ?? "ECDHE"] ?? SUITES_12.ECDHE);
  }

  private read(el: HTMLElement): void {
    const st = this.state;
    if (el === this.version) st.version = this.version.value === "1.2" ? "1.2" : "1.3";
    else if (el === this.kx) st.keyExchange = (["ECDHE", "DHE", "RSA"] as const).find((k) => k === this.kx.value) ?? "ECDHE";
    else if (el === this.group) st.group = Number(this.group.value) || 29;
    else if (el === this.suite) st.cipherSuite = Number(this.suite.value) || undefined;
    else if (el === this.hrr) st.helloRetry = this.hrr.checked;
    else if (el === this.clientAuth) st.clientAuth = this.clientAuth.checked;
    else if (el === this.resumption) st.resumption = this.resumption.checked;
    else if (el === this.seed) st.seed = this.seed.value.slice(0, 256);
    else if (el === this.host) st.host = this.host.value;
    else if (el === this.port) st.port = this.port.value;
    else if (el === this.sni) st.sni = this.sni.value;
    if (el === this.version || el === this.kx) {
      fillOptions(this.suite, this.suites(), String(st.cipherSuite ?? ""));
      st.cipherSuite = Number(this.suite.value) || undefined;
    }
    if (el === this.version) {
      // A hybrid chosen for TLS 1.3 falls back to x25519 in TLS 1.2, which has no hybrids.
      fillOptions(this.group, this.groups(), String(st.group ?? 29));
      st.group = Number(this.group.value) || 29;
    }
    this.sync();
    this.cb.onChange({ ...st });
  }

  /** Enables what applies: key exchange only for TLS 1.2; HelloRetryRequest only for 1.3; DHE uses ffdhe2048. */
  private sync(): void {
    const tls13 = this.state.version === "1.3";
    this.kx.disabled = tls13;
    this.hrr.disabled = !tls13;
    this.group.disabled = !tls13 && this.state.keyExchange !== "ECDHE";
  }

  request(): SimulateRequest {
    const st = this.state;
    const tls13 = st.version === "1.3";
    const req: SimulateRequest = { version: st.version };
    if (!tls13) req.keyExchange = st.keyExchange ?? "ECDHE";
    if (tls13 || st.keyExchange === "ECDHE") req.group = st.group;
    else if (st.keyExchange === "DHE") req.group = 256;
    if (st.cipherSuite) req.cipherSuite = st.cipherSuite;
    if (tls13 && st.helloRetry) req.helloRetry = true;
    if (st.clientAuth) req.clientAuth = true;
    if (st.resumption) req.resumption = true;
    if (st.seed) req.seed = st.seed.slice(0, 256);
    return req;
  }

  setTrusted(trusted: boolean): void {
    for (const el of [this.host, this.port, this.sni]) el.disabled = !trusted;
    this.connectBtn.disabled = !trusted;
    this.connectNote.hidden = trusted;
  }

  private connect(): void {
    const host = this.host.value.trim();
    const port = Number(this.port.value.trim() || "443");
    const sni = this.sni.value.trim();
    // The host checks the same rules (isWebviewToHost); saying so here is kinder than a silent drop.
    if (!/^[A-Za-z0-9.:[\]-]{1,253}$/.test(host)) {
      this.connectError.textContent = `${t().host}: ?`;
      return;
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      this.connectError.textContent = `${t().port}: 1–65535`;
      return;
    }
    this.connectError.textContent = "";
    this.cb.onConnect(host, port, sni ? sni.slice(0, 253) : undefined);
  }
}
