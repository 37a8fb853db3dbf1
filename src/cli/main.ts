/**
 * `tls-handshake`: the command-line face of TLS Handshake Explorer, over the same core as the extension.
 * Exit status: 0 success, 1 failure of the operation, 2 bad usage or an input that is not a capture/transcript.
 */
import { UnsupportedInputError } from "../inspect/inspect";
import { closest, parseCommand, UsageError } from "./args";
import { COMMANDS, GLOBAL } from "./commandSpecs";
import { commandHelp, mainHelp } from "./help";
import { inspectCommand } from "./inspectCommand";
import { packageVersion } from "./version";

type Command = (argv: string[]) => number | Promise<number>;

async function loadCommand(name: string): Promise<Command | undefined> {
  switch (name) {
    case "inspect":
      return inspectCommand;
    case "simulate":
      return (await import("./simulateCommand")).simulateCommand;
    case "connect":
      return (await import("./connectCommand")).connectCommand;
    case "serve":
      return (await import("./serveCommand")).serveCommand;
    default:
      return undefined;
  }
}

const commandNames: readonly string[] = COMMANDS.map((c) => c.name);

function unknownCommand(name: string): UsageError {
  const near = closest(name, commandNames);
  return new UsageError(`unknown command "${name}" (${near ? `did you mean "${near}"? ` : ""}commands: ${commandNames.join(", ")})`);
}

/** `tls-handshake help [COMMAND]`, `tls-handshake --help [COMMAND]`: the help asked for, on stdout. */
function help(name: string | undefined): number {
  if (name === undefined) {
    process.stdout.write(mainHelp());
    return 0;
  }
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) throw unknownCommand(name);
  process.stdout.write(commandHelp(spec));
  return 0;
}

async function run(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    process.stdout.write(mainHelp());
    return 2;
  }
  if (cmd.startsWith("-")) {
    // Options before any command: --help, --version; a command's own option there is a misplaced one.
    const name = cmd.replace(/^-+/, "").replace(/=.*/s, "");
    const owners = COMMANDS.filter((c) => Object.hasOwn(c.options, name)).map((c) => c.name);
    if (!Object.hasOwn(GLOBAL.options, name) && owners.length) {
      throw new UsageError(`--${name} goes after the command: tls-handshake ${owners.length === 1 ? owners[0] : "COMMAND"} ... --${name}`);
    }
    const { values, positionals } = parseCommand(GLOBAL, argv);
    if (values.help) return help(positionals[0]);
    if (values.version) {
      process.stdout.write(`tls-handshake ${packageVersion()}\n`);
      return 0;
    }
    if (positionals.length) throw new UsageError(`options go after the command: tls-handshake ${positionals[0]} ${argv[0]}`);
    return help(undefined);
  }
  if (cmd === "help") {
    if (rest.length > 1) throw new UsageError(`help takes one COMMAND`);
    return help(rest[0]);
  }
  const command = await loadCommand(cmd);
  if (!command) throw unknownCommand(cmd);
  return command(rest);
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    const where = argv[0] && !argv[0].startsWith("-") && commandNames.includes(argv[0]) ? `tls-handshake ${argv[0]}` : "tls-handshake";
    if (e instanceof UsageError || e instanceof UnsupportedInputError) {
      process.stderr.write(`${where}: ${e.message}\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`${where}: ${err.message}\n`);
    if (process.env.TLS_HANDSHAKE_DEBUG) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`tls-handshake: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
