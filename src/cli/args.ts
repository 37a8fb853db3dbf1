/**
 * Command-line options, parsed by Node's own `util.parseArgs` (strict) from one table per command
 * (commandSpecs.ts) — the same table writes the command's `--help` (help.ts), so the two cannot drift.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Bad usage: main.ts prints the message as one line on stderr and exits 2. */
export class UsageError extends Error {}

export interface OptionSpec {
  /** A one-letter alias (`-h`). */
  readonly short?: string;
  /** What the option takes, as help shows it (`FILE`, `N`); absent for a flag. */
  readonly value?: string;
  /** The only values it takes (checked here; help shows them when `value` is absent). */
  readonly choices?: readonly string[];
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  /** What follows the command's name in its usage line (`FILE`, `HOST:PORT`, `--port N`), "" for nothing. */
  readonly args: string;
  /** How many positional arguments the command takes (`args` says which). */
  readonly positionals: number;
  /** One line for the command list of `tls-handshake --help`. */
  readonly summary: string;
  /** Lines shown under the usage line of the command's help. */
  readonly about: readonly string[];
  /** Long name (without dashes) → option, in the order help lists them. */
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly examples?: readonly string[];
}

/** An option's parsed value: one of its choices, a string for another option that takes a value, true for a flag. */
type ValueOf<O> = O extends { choices: readonly (infer C extends string)[] } ? C : O extends { value: string } ? string : boolean;

/** The parsed values, typed from the table. */
export type Values<S extends CommandSpec> = { readonly [K in keyof S["options"]]?: ValueOf<S["options"][K]> };

export interface Parsed<S extends CommandSpec> {
  values: Values<S>;
  positionals: string[];
}

export const takesValue = (o: OptionSpec): boolean => o.value !== undefined || o.choices !== undefined;

/**
 * Parses `argv` against `spec`. A usage error (unknown option, missing or unexpected value, wrong number of
 * arguments, a value not among the choices) throws UsageError with one line naming it. `--help` is returned
 * like any flag; the caller shows the help before checking anything else.
 */
export function parseCommand<S extends CommandSpec>(spec: S, argv: string[]): Parsed<S> {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const [name, o] of Object.entries(spec.options)) options[name] = { type: takesValue(o) ? "string" : "boolean", ...(o.short ? { short: o.short } : {}) };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (e) {
    if (typeof (e as { code?: unknown }).code === "string" && (e as { code: string }).code.startsWith("ERR_PARSE_ARGS_")) {
      throw new UsageError(explain(spec, argv, options) ?? firstSentence((e as Error).message));
    }
    throw e;
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { values: values as Values<S>, positionals };
  for (const [name, o] of Object.entries(spec.options)) {
    const v = values[name];
    if (o.choices && typeof v === "string" && !o.choices.includes(v)) throw new UsageError(`--${name} must be ${listOr(o.choices)}`);
  }
  if (positionals.length > spec.positionals) {
    throw new UsageError(`unexpected argument "${positionals[spec.positionals]}"${spec.positionals ? ` (${spec.name} takes one ${spec.args})` : ""}`);
  }
  return { values: values as Values<S>, positionals };
}

/**
 * Says in one line why strict parsing refused `argv`, from the same parser's tokens read leniently: the first
 * unknown option (with the closest known one), the option missing its value, or the flag given one.
 */
function explain(spec: CommandSpec, argv: string[], options: ParseArgsConfig["options"]): string | undefined {
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind !== "option") continue;
    const o = spec.options[t.name];
    if (!o) {
      // `-json` is read as the short options -j -s -o -n: name what was typed, and suggest `--json`.
      const typed = t.rawName.startsWith("--") ? t.rawName : /^-[^-]{2,}/.test(argv[t.index]) ? argv[t.index].replace(/=.*/s, "") : t.rawName;
      const near = closest(typed.replace(/^-+/, ""), Object.keys(spec.options));
      return `unknown option ${typed} (${near ? `did you mean --${near}?` : `tls-handshake${spec.name ? ` ${spec.name}` : ""} --help lists the options`})`;
    }
    if (!takesValue(o) && t.value !== undefined) return `--${t.name} takes no value`;
    if (takesValue(o)) {
      if (t.value === undefined) return `--${t.name} needs a value`;
      // Strict parsing refuses `--keylog --json`: the next argument looks like an option, not a value.
      if (!t.inlineValue && t.value.startsWith("-")) return `--${t.name} needs a value (one that starts with "-" is written --${t.name}=${t.value})`;
    }
  }
  return undefined;
}

const firstSentence = (m: string) => m.split(/\.\s|\n/)[0];

export function listOr(xs: readonly string[]): string {
  return xs.length < 2 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} or ${xs[xs.length - 1]}`;
}

/** The known name nearest to `typed`: one it begins (`--sum` → summary), else within a few edits. */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const t = typed.toLowerCase();
  if (t.length >= 2) {
    const starting = known.filter((k) => k.startsWith(t));
    if (starting.length === 1) return starting[0];
  }
  // A typo of a short name is a larger share of it: allow fewer edits.
  let bestDistance = (t.length <= 3 ? 1 : t.length <= 7 ? 2 : 3) + 1;
  let best: string | undefined;
  for (const k of known) {
    const d = editDistance(t, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps); inputs are short. */
export function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length);
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** A whole number option within [min, max], or undefined when absent. */
export function intOption(name: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) {
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
    throw new UsageError(`--${name} takes ${range}, got "${text}"`);
  }
  return n;
}
