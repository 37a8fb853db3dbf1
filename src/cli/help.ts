/** `--help` texts, written from the same tables the parser reads (commandSpecs.ts). */
import { takesValue, type CommandSpec, type OptionSpec } from "./args";
import { COMMANDS, GLOBAL } from "./commandSpecs";

/** `-h, --help` or `    --keylog FILE`: the left column of an option's line. */
function optionLabel(name: string, o: OptionSpec): string {
  const value = takesValue(o) ? ` ${o.value ?? o.choices!.join("|")}` : "";
  return `${o.short ? `-${o.short}, ` : "    "}--${name}${value}`;
}

/** Rows of two columns, the second aligned two spaces past the widest first one. */
function columns(rows: [string, string][], indent = "  "): string {
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, r]) => `${indent}${l.padEnd(width)}  ${r}\n`).join("");
}

export function commandHelp(spec: CommandSpec): string {
  const args = spec.args ? ` ${spec.args}` : "";
  let text = `usage: tls-handshake ${spec.name}${args} [options]\n\n${spec.about.join("\n")}\n\noptions:\n`;
  text += columns(Object.entries(spec.options).map(([name, o]) => [optionLabel(name, o), o.help]));
  if (spec.examples?.length) text += `\nexamples:\n${spec.examples.map((e) => `  ${e}\n`).join("")}`;
  return text;
}

export function mainHelp(): string {
  let text = `usage: tls-handshake <command> [options]\n\n${GLOBAL.about.join("\n")}\n\ncommands:\n`;
  text += columns([
    ...COMMANDS.map((c): [string, string] => [`${c.name}${c.args ? ` ${c.args}` : ""}`, c.summary]),
    ["help COMMAND", "the options of a command (also: tls-handshake COMMAND --help)"],
  ]);
  text += `\noptions:\n${columns(Object.entries(GLOBAL.options).map(([name, o]) => [optionLabel(name, o), o.help]))}`;
  text +=
    "\nexit status: 0 success, 1 the operation failed, 2 bad usage or an input that is neither a capture nor a transcript\n" +
    "environment: NO_COLOR (no colour), FORCE_COLOR (colour even when piped), TLS_HANDSHAKE_DEBUG (stack traces)\n";
  return text;
}

/** Writes the command's help to stdout when `--help` was given; true if it was. */
export function helpAsked(spec: CommandSpec, values: { readonly help?: boolean | string }): boolean {
  if (values.help !== true) return false;
  process.stdout.write(commandHelp(spec));
  return true;
}
