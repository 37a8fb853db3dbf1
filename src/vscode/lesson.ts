/**
 * Lesson mode of the handshake panel ("TLS: Start Lesson"): a route of media/lessons/lessons.json stepped one
 * message at a time over a simulated handshake, with the step's note beside it and a question to check oneself.
 * Each route names the simulations it uses (its "variants": the base handshake, RSA key transport beside ECDHE,
 * resumption, HelloRetryRequest, a post-quantum hybrid group); a step points into one by an engine step title.
 * A step whose variant the engine cannot run (a group it does not have yet) is left out of the route.
 * Each step can also be shown in a real capture (samples/) and on a live `connect`.
 */
import * as vscode from "vscode";
import type { Lang, LessonView, SimulateRequest, WebviewToHost } from "../protocol/messages";
import { core } from "./lazyCore";
import { loadNote } from "./notePanel";
import { notesLanguage } from "./notes";

type Text = Record<Lang, string>;

interface VariantDef extends Omit<SimulateRequest, "group"> {
  /** A named group by its IANA name (e.g. X25519MLKEM768). */
  group?: string;
  /** The column title when shown side by side. */
  label?: Text;
}

interface StepDef {
  variant: string;
  /** Engine step title to step the timeline to: a message name, or `secret:NAME`. */
  at?: string;
  tab?: "message" | "keys";
  note: string;
  section?: string;
  title: Text;
  text: Record<Lang, string[]>;
  question: Text;
  answer: Text;
  /** The same message in a sample capture. */
  capture?: { file: string; message: string };
  live?: boolean;
  /** Variants to show side by side (their message lists). */
  compare?: string[];
}

interface RouteDef {
  id: string;
  title: Text;
  variants: Record<string, VariantDef>;
  steps: StepDef[];
}

type Simulation = ReturnType<ReturnType<typeof core>["simulate"]>;

/** What the lesson needs of the panel it runs in. */
export interface LessonHost {
  /** Shows a simulation result in the panel (unless it already shows it). */
  showSimulation(key: string, request: SimulateRequest, result: Simulation): void;
  /** Engine steps of the connection the panel shows. */
  shownSteps(): { kind: string; title: string }[] | undefined;
  postLesson(lesson: LessonView | null): void;
  postNote(note: Awaited<ReturnType<typeof loadNote>>): void;
  connect(host: string, port: number): Promise<boolean>;
  /** In the capture at `uri` (being opened), selects the first message named `message`. */
  selectInCapture(uri: vscode.Uri, message: string): Promise<boolean>;
}

async function loadRoutes(extensionUri: vscode.Uri): Promise<RouteDef[]> {
  const raw = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, "media", "lessons", "lessons.json"));
  return (JSON.parse(new TextDecoder().decode(raw)) as { routes: RouteDef[] }).routes;
}

/** The routes with their titles in the notes language (for a picker). */
export async function lessonRoutes(extensionUri: vscode.Uri): Promise<{ id: string; title: string }[]> {
  const lang = notesLanguage();
  return (await loadRoutes(extensionUri)).map((r) => ({ id: r.id, title: r.title[lang] }));
}

export class Lesson {
  private routes: RouteDef[] = [];
  private route: RouteDef | undefined;
  private steps: StepDef[] = [];
  private index = 0;
  private readonly sims = new Map<string, { request: SimulateRequest; result: Simulation } | null>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: LessonHost,
  ) {}

  get active(): boolean {
    return !!this.route;
  }

  get state(): { route?: string; index: number; count: number } {
    return { route: this.route?.id, index: this.index, count: this.steps.length };
  }

  private async load(): Promise<void> {
    if (!this.routes.length) this.routes = await loadRoutes(this.extensionUri);
  }

  /** Runs (once) the simulation of variant `name` of the route; null when the engine cannot (e.g. an unknown group). */
  private simulation(route: RouteDef, name: string): { request: SimulateRequest; result: Simulation } | null {
    const key = `${route.id}:${name}`;
    if (this.sims.has(key)) return this.sims.get(key)!;
    const def = route.variants[name];
    let out: { request: SimulateRequest; result: Simulation } | null = null;
    try {
      const { group, label: _label, ...rest } = def;
      const request: SimulateRequest = { ...rest };
      if (group !== undefined) {
        const code = (core().namedGroups.codes as Record<string, number>)[group];
        if (code === undefined) throw new Error(`no group ${group}`);
        request.group = code;
      }
      const result = core().simulate({ ...request });
      if (result.ok) out = { request, result };
    } catch {
      out = null;
    }
    this.sims.set(key, out);
    return out;
  }

  async start(routeId?: string): Promise<void> {
    await this.load();
    const route = this.routes.find((r) => r.id === routeId) ?? this.routes[0];
    this.route = route;
    this.steps = route.steps.filter((s) => this.simulation(route, s.variant) !== null && (s.compare ?? []).every((v) => this.simulation(route, v)));
    this.index = 0;
    await this.show();
  }

  stop(): void {
    this.route = undefined;
    this.host.postLesson(null);
  }

  async handle(m: Extract<WebviewToHost, { type: "lesson" }>): Promise<void> {
    switch (m.action) {
      case "exit":
        return this.stop();
      case "route":
        return this.start(m.route);
      case "goto":
        if (!this.route) return;
        this.index = Math.max(0, Math.min(m.index ?? 0, this.steps.length - 1));
        return this.show();
      case "capture":
        return this.openCapture();
      case "live":
        return this.live();
    }
  }

  /** Shows the current step: its simulation in the panel, the timeline stepped to it, its note. */
  async show(): Promise<void> {
    const route = this.route;
    const step = this.steps[this.index];
    if (!route || !step) return;
    const sim = this.simulation(route, step.variant)!;
    this.host.showSimulation(`${route.id}:${step.variant}`, sim.request, sim.result);
    this.host.postLesson(this.view(route, step));
    this.host.postNote(await loadNote(this.extensionUri, step.note, notesLanguage(), step.section));
  }

  /** The step as the page shows it, stepped to its engine step in the connection the panel shows now. */
  private view(route: RouteDef, step: StepDef): LessonView {
    const lang = notesLanguage();
    const at = step.at;
    const engineSteps = this.host.shownSteps() ?? [];
    const engineStep =
      at === undefined
        ? -1
        : engineSteps.findIndex((s) => (at.startsWith("secret:") ? s.kind === "secret" && s.title === at.slice(7) : s.kind === "message" && s.title === at));
    const other = this.routes.find((r) => r.id !== route.id) ?? route;
    const view: LessonView = {
      route: route.id,
      title: route.title[lang],
      index: this.index,
      count: this.steps.length,
      step: {
        title: step.title[lang],
        text: step.text[lang],
        question: step.question[lang],
        answer: step.answer[lang],
        note: step.note,
        capture: !!step.capture,
        live: !!step.live && vscode.workspace.isTrusted,
      },
      other: { id: other.id, title: other.title[lang] },
    };
    if (step.section) view.step.section = step.section;
    if (engineStep >= 0) view.engineStep = engineStep;
    if (step.tab) view.tab = step.tab;
    if (step.compare) {
      view.step.compare = step.compare.map((v) => {
        const s = this.simulation(route, v)!;
        return {
          title: route.variants[v].label?.[lang] ?? v,
          messages: s.result.steps.filter((x) => x.kind === "message").map((x) => ({ name: x.title, dir: x.dir })),
        };
      });
    }
    return view;
  }

  /** Opens the step's sample capture in the capture editor, at the same message. */
  private async openCapture(): Promise<void> {
    const cap = this.steps[this.index]?.capture;
    if (!cap) return;
    const uri = vscode.Uri.joinPath(this.extensionUri, ...cap.file.split("/"));
    await vscode.commands.executeCommand("vscode.openWith", uri, "tlsHandshake.captureEditor", vscode.ViewColumn.Beside);
    await this.host.selectInCapture(uri, cap.message);
  }

  /** A live handshake in the panel, stepped to the same message (the simulation returns on the next step). */
  private async live(): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    const step = this.steps[this.index];
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t("Connect to Host"),
      prompt: vscode.l10n.t("host or host:port (port 443 by default)"),
      placeHolder: "example.com:443",
    });
    const m = text ? /^\[?([A-Za-z0-9.:-]+?)\]?(?::(\d{1,5}))?$/.exec(text.trim()) : null;
    if (!m) return;
    await this.host.connect(m[1], m[2] ? Number(m[2]) : 443);
    if (step && this.route) this.host.postLesson(this.view(this.route, step));
  }
}
