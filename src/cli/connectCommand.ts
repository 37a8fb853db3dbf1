/**
 * `tls-handshake connect HOST:PORT [--sni NAME] [--alpn P1,P2] [--version 1.2|1.3] [--cipher SUITE] [--group G]
 * [--ca PEM | --insecure] [--keylog-out FILE] [--timeout MS] [--json]`: a real handshake with the engine's client,
 * then `GET /`. JSON: the inspect document (input.format "live", one connection) plus `appData`.
 */
import * as fs from "node:fs";
import { connect, type ConnectOptions } from "../engine/connect";
import { stepJson } from "../engine/stepsJson";
import { connectionJson } from "../inspect/json";
import { parseArgs, UsageError } from "./args";
import { parseGroup, parseSuite } from "./engineNames";
import { Output } from "./output";
import { stepsText } from "./stepsText";

export function parseHostPort(text: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!m) throw new UsageError(`expected HOST:PORT, got "${text}"`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new UsageError(`port ${port} out of range`);
  return { host: m[1], port };
}

export async function connectCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { flags: ["insecure", "json", "steps"], options: ["sni", "alpn", "version", "cipher", "group", "ca", "keylog-out", "timeout"] });
  if (a.positionals.length !== 1) throw new UsageError("connect needs HOST:PORT");
  const { host, port } = parseHostPort(a.positionals[0]);
  const get = (k: string) => (a.flags.has(k) ? String(a.flags.get(k)) : undefined);
  const opts: ConnectOptions = { host, port };
  if (get("sni")) opts.sni = get("sni");
  if (get("alpn")) opts.alpn = get("alpn")!.split(",").filter(Boolean);
  const v = get("version");
  if (v !== undefined) {
    if (v !== "1.2" && v !== "1.3") throw new UsageError("--version must be 1.2 or 1.3");
    opts.version = v;
  }
  if (get("cipher")) opts.cipher = parseSuite(get("cipher")!);
  if (get("group")) opts.group = parseGroup(get("group")!);
  if (a.flags.has("insecure") && a.flags.has("ca")) throw new UsageError("--ca and --insecure are exclusive");
  if (get("ca")) {
    try {
      opts.ca = fs.readFileSync(get("ca")!, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read CA file: ${(e as Error).message}`);
    }
  }
  if (a.flags.has("insecure")) opts.insecure = true;
  if (get("timeout")) {
    const t = Number(get("timeout"));
    if (!(t > 0)) throw new UsageError("--timeout takes milliseconds");
    opts.timeoutMs = t;
  }
  const keylogFile = get("keylog-out");
  let keylogFd: number | undefined;
  if (keylogFile) {
    try {
      keylogFd = fs.openSync(keylogFile, "a");
    } catch (e) {
      throw new UsageError(`cannot write key log: ${(e as Error).message}`);
    }
    opts.keylogOut = (line) => fs.writeSync(keylogFd!, line + "\n");
  }
  const out = new Output(1);
  try {
    const r = await connect(opts);
    if (a.flags.has("json")) {
      const doc: Record<string, unknown> = {
        schema: 1,
        input: { path: `${host}:${port}`, format: "live", packets: r.connection.records.length },
        connections: [connectionJson(r.connection, false)],
        errors: r.error ? [{ message: r.error }] : [],
        appData: r.appData,
      };
      if (a.flags.has("steps")) doc.steps = r.steps.map((s) => stepJson(s));
      out.write(JSON.stringify(doc) + "\n");
    } else {
      out.write(`connect ${host}:${port}\n`);
      out.write(stepsText(r.steps));
      const c = r.connection;
      out.write(`version 0x${(c.version ?? 0).toString(16)}, cipher suite 0x${(c.cipherSuite ?? 0).toString(16).padStart(4, "0")}, ALPN ${c.alpn ?? "none"}\n`);
      out.write(`application data: sent ${r.appData.sent} bytes, received ${r.appData.received} bytes; first line: ${r.appData.firstLine ?? "(none)"}\n`);
      out.write(r.ok ? "result: ok\n" : `result: FAILED${r.error ? `: ${r.error}` : ""}\n`);
    }
    out.flush();
    return r.ok ? 0 : 1;
  } finally {
    if (keylogFd !== undefined) fs.closeSync(keylogFd);
  }
}
