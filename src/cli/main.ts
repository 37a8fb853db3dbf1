/**
 * `tls-handshake`: the command-line face of TLS Handshake Explorer, over the same core as the extension.
 * Exit status: 0 success, 1 failure of the operation, 2 bad usage or an input that is not a capture/transcript.
 */
import { UnsupportedInputError } from "../inspect/inspect";
import { UsageError } from "./args";
import { inspectCommand } from "./inspectCommand";

const USAGE = `usage: tls-handshake <command> [options]

commands:
  inspect FILE [--json | --summary] [--keylog FILE] [--rsa-key PEM] [--brief] [--depth N] [--threads N]
      Decode every TLS connection of a .pcap/.pcapng capture, a .tlstrace transcript or OpenSSL -msg output.
      Default: a readable field tree. --json / --summary: the documents of the JSON spec (schema 1).
  simulate [options] [--json | --transcript]
      Run a TLS 1.2 or 1.3 handshake between the engine's own client and server (see simulate --help).
  connect HOST:PORT [options] [--json]
      Perform a real handshake against a server and record every step.
  serve --port N [--json]
      Accept TLS connections and record each client's handshake.
`;

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

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "--help" || cmd === "-h" || cmd === "help") {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  const run = await loadCommand(cmd);
  if (!run) {
    process.stderr.write(`tls-handshake: unknown command "${cmd}"\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError || e instanceof UnsupportedInputError) {
      process.stderr.write(`tls-handshake ${cmd}: ${e.message}\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`tls-handshake ${cmd}: ${err.message}\n`);
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
