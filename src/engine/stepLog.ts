/**
 * The ordered step list both sides of a handshake write into (one shared log in a simulation, the client's own in
 * a live connection). Indices are assigned here, so the list reads in the order things happened. The log also
 * remembers who has derived each secret value, so a SecretStep's `knownBy` says who knows it at that moment.
 */
import type { Actor, CheckStep, MessageStep, SecretStep, Step } from "./steps";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

export class StepLog {
  readonly steps: Step[] = [];
  private readonly known = new Map<string, Set<Actor>>();
  /** Called for every step as it is added (the CLI's live output, the VS Code view's progress). */
  onStep?: (s: Step) => void;

  private add<T extends Step>(s: T): T {
    s.index = this.steps.length;
    this.steps.push(s);
    this.onStep?.(s);
    return s;
  }

  message(m: Omit<MessageStep, "kind" | "index">): MessageStep {
    const s: MessageStep = { kind: "message", index: 0, ...m };
    if (s.handshakeType === undefined) delete s.handshakeType;
    if (s.tree === undefined) delete s.tree;
    if (s.note === undefined) delete s.note;
    return this.add(s);
  }

  secret(actor: Actor, title: string, value: Uint8Array, inputs: string[], derivation: string, note?: string): SecretStep {
    const key = `${title}\0${hex(value)}`;
    let who = this.known.get(key);
    if (!who) this.known.set(key, (who = new Set()));
    who.add(actor);
    const knownBy = (["client", "server"] as Actor[]).filter((a) => who!.has(a));
    const s: SecretStep = { kind: "secret", index: 0, actor, title, value: hex(value), inputs, derivation, knownBy };
    if (note) s.note = note;
    return this.add(s);
  }

  check(actor: Actor, title: string, ok: boolean, detail: string, note?: string): CheckStep {
    const s: CheckStep = { kind: "check", index: 0, actor, title, ok, detail };
    if (note) s.note = note;
    return this.add(s);
  }

  /** Append checks computed elsewhere (verifyChain), renumbering them. */
  checks(list: CheckStep[]): void {
    for (const c of list) this.add(c);
  }
}
