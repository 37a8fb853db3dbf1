/**
 * `tls-handshake serve --port N [--host 127.0.0.1] [--json] [--max-connections N]`: a TLS 1.2/1.3 server with a
 * chain generated at start, answering HTTP 200; one report per connection (JSON: one document per line). Runs
 * until SIGINT/SIGTERM or N connections.
 */
import * as fs from "node:fs";
import { serve, type ServedConnection, type ServeOptions } from "../engine/serve";
import { readCredential } from "./connectCommand";
import { parseGroup, parseSuite } from "./engineNames";
import { toPem } from "../engine/pem";
import { connectionJson } from "../inspect/json";
import { diagnoseLive } from "../inspect/diagnose/live";
import { diagnosesText, textLang } from "./lang";
import { intOption, parseCommand, UsageError } from "./args";
import { stdoutStyle } from "./colour";
import { SERVE } from "./commandSpecs";
import { helpAsked } from "./help";
import { Output } from "./output";
import { resultText, stepsText } from "./stepsText";

export async function serveCommand(argv: string[]): Promise<number> {
  const { values: a } = parseCommand(SERVE, argv);
  if (helpAsked(SERVE, a)) return 0;
  if (a.port === undefined) throw new UsageError("serve needs --port N (0 picks a free port)");
  const port = intOption("port", a.port, 0, 65535)!;
  const max = intOption("max-connections", a["max-connections"], 1);
  const timeout = intOption("timeout", a.timeout, 1);
  const host = a.host ?? "127.0.0.1";
  const json = a.json === true;
  const style = stdoutStyle(a.color);
  const out = new Output(1);
  const report = (c: ServedConnection) => {
    diagnoseLive(c.connection);
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
      out.write(`connection from ${c.connection.client.ip}:${c.connection.client.port}\n${stepsText(c.steps, style)}`);
      out.write(diagnosesText(c.connection.diagnoses ?? [], textLang(a.lang)));
      out.write(`${resultText(c.ok, c.ok ? "ok" : `FAILED${c.error ? `: ${c.error}` : ""}`, style)}\n`);
    }
    out.flush();
  };
  const o: ServeOptions = { port, host, maxConnections: max, timeoutMs: timeout, onConnection: report };
  if ((a.cert === undefined) !== (a.key === undefined)) throw new UsageError("--cert and --key go together");
  if (a.cert !== undefined && a.key !== undefined) o.credential = readCredential(a.cert, a.key);
  if (a["client-ca"] !== undefined && !a["client-auth"]) throw new UsageError("--client-ca needs --client-auth");
  if (a["client-auth"]) o.clientAuth = true;
  if (a["client-ca"] !== undefined) {
    try {
      o.clientCa = fs.readFileSync(a["client-ca"], "utf8");
    } catch (e) {
      throw new UsageError(`cannot read --client-ca: ${(e as Error).message}`);
    }
  }
  if (a.version) o.versions = [a.version === "1.3" ? 0x0304 : 0x0303];
  if (a.cipher) o.cipherSuites = a.cipher.split(",").filter(Boolean).map(parseSuite);
  if (a.group) o.groups = a.group.split(",").filter(Boolean).map(parseGroup);
  const srv = await serve(o);
  process.stderr.write(`tls-handshake serve: listening on ${host}:${srv.port}\n`);
  if (a["print-ca"]) process.stderr.write(toPem(srv.pki.root.der));
  const stop = () => void srv.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await srv.closed;
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  return 0;
}
