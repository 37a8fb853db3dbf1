/**
 * `tls-handshake serve --port N [--host 127.0.0.1] [--json] [--max-connections N]`: a TLS 1.2/1.3 server with a
 * chain generated at start, answering HTTP 200; one report per connection (JSON: one document per line). Runs
 * until SIGINT/SIGTERM or N connections.
 */
import { serve, type ServedConnection } from "../engine/serve";
import { toPem } from "../engine/pem";
import { connectionJson } from "../inspect/json";
import { parseArgs, UsageError } from "./args";
import { Output } from "./output";
import { stepsText } from "./stepsText";

export async function serveCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { flags: ["json", "print-ca"], options: ["port", "host", "max-connections", "timeout"] });
  if (a.positionals.length) throw new UsageError(`unexpected argument "${a.positionals[0]}"`);
  const port = Number(a.flags.get("port") ?? NaN);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError("serve needs --port N (0 picks a free port)");
  const max = a.flags.has("max-connections") ? Number(a.flags.get("max-connections")) : undefined;
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) throw new UsageError("--max-connections takes a positive integer");
  const timeout = a.flags.has("timeout") ? Number(a.flags.get("timeout")) : undefined;
  const json = a.flags.has("json");
  const out = new Output(1);
  const report = (c: ServedConnection) => {
    if (json) {
      const doc = {
        schema: 1,
        input: { path: `${c.connection.client.ip}:${c.connection.client.port}`, format: "live", packets: c.connection.records.length },
        connections: [connectionJson(c.connection, false)],
        errors: c.error ? [{ message: c.error }] : [],
        appData: c.appData,
      };
      out.write(JSON.stringify(doc) + "\n");
    } else {
      out.write(
        `connection from ${c.connection.client.ip}:${c.connection.client.port}\n${stepsText(c.steps)}result: ${c.ok ? "ok" : `FAILED${c.error ? `: ${c.error}` : ""}`}\n\n`,
      );
    }
    out.flush();
  };
  const srv = await serve({ port, host: String(a.flags.get("host") ?? "127.0.0.1"), maxConnections: max, timeoutMs: timeout, onConnection: report });
  process.stderr.write(`tls-handshake serve: listening on ${String(a.flags.get("host") ?? "127.0.0.1")}:${srv.port}\n`);
  if (a.flags.has("print-ca")) process.stderr.write(toPem(srv.pki.root.der));
  const stop = () => void srv.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await srv.closed;
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  return 0;
}
