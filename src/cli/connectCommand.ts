/**
 * `tls-handshake connect HOST:PORT [--sni NAME] [--alpn P1,P2] [--version 1.2|1.3] [--cipher SUITE] [--group G]
 * [--ca PEM | --insecure] [--keylog-out FILE] [--timeout MS] [--json]`: a real handshake with the engine's client,
 * then `GET /`. JSON: the inspect document (input.format "live", one connection) plus `appData`.
 */
import * as fs from "node:fs";
import { connect, type ConnectOptions } from "../engine/connect";
import { credentialFromPem, type PemCredential } from "../engine/keyLoad";
import { stepJson } from "../engine/stepsJson";
import { connectionJson } from "../inspect/json";
import { diagnoseLive } from "../inspect/diagnose/live";
import { diagnosesText, textLang } from "./lang";
import { intOption, parseCommand, UsageError } from "./args";
import { stdoutStyle } from "./colour";
import { CONNECT } from "./commandSpecs";
import { parseGroup, parseSuite } from "./engineNames";
import { helpAsked } from "./help";
import { Output } from "./output";
import { resultText, stepsText } from "./stepsText";

export function parseHostPort(text: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!m) throw new UsageError(`expected HOST:PORT, got "${text}"`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new UsageError(`port ${port} out of range`);
  return { host: m[1], port };
}

export async function connectCommand(argv: string[]): Promise<number> {
  const { values: a, positionals } = parseCommand(CONNECT, argv);
  if (helpAsked(CONNECT, a)) return 0;
  if (positionals.length !== 1) throw new UsageError("connect needs HOST:PORT");
  const { host, port } = parseHostPort(positionals[0]);
  const opts: ConnectOptions = { host, port };
  if (a.sni) opts.sni = a.sni;
  if (a.alpn) opts.alpn = a.alpn.split(",").filter(Boolean);
  if (a.version !== undefined) opts.version = a.version;
  if (a.cipher) opts.cipher = parseSuite(a.cipher);
  if (a.group) opts.group = parseGroup(a.group);
  if (a.insecure && a.ca !== undefined) throw new UsageError("--ca and --insecure are exclusive");
  if (a.ca) {
    try {
      opts.ca = fs.readFileSync(a.ca, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read CA file: ${(e as Error).message}`);
    }
  }
  if (a.insecure) opts.insecure = true;
  if ((a.cert === undefined) !== (a.key === undefined)) throw new UsageError("--cert and --key go together");
  if (a.cert !== undefined && a.key !== undefined) opts.clientCertificate = readCredential(a.cert, a.key);
  if (a.timeout) opts.timeoutMs = intOption("timeout", a.timeout, 1);
  const keylogFile = a["keylog-out"];
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
    // Why it failed (or what is weak), from the messages both sides exchanged.
    diagnoseLive(r.connection);
    if (a.json) {
      const doc: Record<string, unknown> = {
        schema: 1,
        input: { path: `${host}:${port}`, format: "live", packets: r.connection.records.length },
        connections: [connectionJson(r.connection, false)],
        errors: r.error ? [{ message: r.error }] : [],
        appData: r.appData,
      };
      if (a.steps) doc.steps = r.steps.map((s) => stepJson(s));
      out.write(JSON.stringify(doc) + "\n");
    } else {
      const style = stdoutStyle(a.color);
      out.write(`connect ${host}:${port}\n`);
      out.write(stepsText(r.steps, style));
      const c = r.connection;
      out.write(`version 0x${(c.version ?? 0).toString(16)}, cipher suite 0x${(c.cipherSuite ?? 0).toString(16).padStart(4, "0")}, ALPN ${c.alpn ?? "none"}\n`);
      out.write(`application data: sent ${r.appData.sent} bytes, received ${r.appData.received} bytes; first line: ${r.appData.firstLine ?? "(none)"}\n`);
      out.write(diagnosesText(c.diagnoses ?? [], textLang(a.lang)));
      out.write(resultText(r.ok, r.ok ? "ok" : `FAILED${r.error ? `: ${r.error}` : ""}`, style));
    }
    out.flush();
    return r.ok ? 0 : 1;
  } finally {
    if (keylogFd !== undefined) fs.closeSync(keylogFd);
  }
}

/** --cert/--key: both files read and checked against each other; any problem is a usage error naming it. */
export function readCredential(certFile: string, keyFile: string): PemCredential {
  let cert: string;
  let key: string;
  try {
    cert = fs.readFileSync(certFile, "utf8");
    key = fs.readFileSync(keyFile, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read --cert/--key: ${(e as Error).message}`);
  }
  try {
    return credentialFromPem(cert, key);
  } catch (e) {
    throw new UsageError(`--cert/--key: ${(e as Error).message}`);
  }
}
