/**
 * `tls-handshake simulate [options] [--json | --transcript]`: the engine's client and server run one handshake
 * (TLS 1.2 or 1.3) in this process; every message, secret and check is listed.
 */
import { writeTranscript } from "../capture/transcriptWrite";
import { connectionJson } from "../inspect/json";
import { simulate } from "../engine/simulate";
import { keyLogFromSteps, stepJson } from "../engine/stepsJson";
import type { SimulationOptions } from "../engine/steps";
import { parseCommand, UsageError } from "./args";
import { stdoutStyle } from "./colour";
import { SIMULATE } from "./commandSpecs";
import { parseGroup, parseScheme, parseSuite } from "./engineNames";
import { helpAsked } from "./help";
import { Output } from "./output";
import { resultText, stepsText } from "./stepsText";

export function simulateCommand(argv: string[]): number {
  const { values: a } = parseCommand(SIMULATE, argv);
  if (helpAsked(SIMULATE, a)) return 0;
  const out = new Output(1);
  const version = a.version ?? "1.3";
  const kx = a.kx?.toUpperCase();
  if (kx !== undefined && kx !== "ECDHE" && kx !== "DHE" && kx !== "RSA") throw new UsageError("--kx must be ECDHE, DHE or RSA");
  const opts: SimulationOptions = { version };
  if (kx) opts.keyExchange = kx as SimulationOptions["keyExchange"];
  if (a.group) opts.group = parseGroup(a.group);
  if (a.suite) opts.cipherSuite = parseSuite(a.suite);
  if (a.sig) opts.signatureScheme = parseScheme(a.sig);
  if (a.hrr) opts.helloRetry = true;
  if (a.resume) opts.resumption = true;
  if (a["client-auth"]) opts.clientAuth = true;
  if (a["key-update"]) opts.keyUpdate = true;
  if (a["no-ems"]) opts.extendedMasterSecret = false;
  if (a["no-etm"]) opts.encryptThenMac = false;
  if (a.seed !== undefined) opts.seed = a.seed;
  if (a["server-name"]) opts.serverName = a["server-name"];
  if (a["resume-with"] !== undefined) opts.resumeWith = a["resume-with"];
  const t = a.tamper;
  if (t !== undefined) {
    const m = /^(\d+):(\d+)$/.exec(t);
    if (!m) throw new UsageError("--tamper takes STEP:OFFSET (numbers)");
    opts.tamper = { step: Number(m[1]), offset: Number(m[2]) };
  }
  if (a.json && a.transcript) throw new UsageError("--json and --transcript are exclusive");
  let r;
  try {
    r = simulate(opts);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (a.json) {
    const doc = {
      schema: 1,
      input: { path: "simulate", format: "simulated", packets: r.connection.records.length },
      connections: [connectionJson(r.connection, false)],
      errors: [],
      options: r.options,
      ok: r.ok,
      steps: r.steps.map((s) => stepJson(s)),
      ...(r.initial ? { initial: { connection: connectionJson(r.initial.connection, false), steps: r.initial.steps.map((s) => stepJson(s)) } } : {}),
    };
    out.write(JSON.stringify(doc) + "\n");
  } else if (a.transcript) {
    const records: { dir: 0 | 1; bytes: Uint8Array; comment?: string }[] = [];
    for (const s of r.steps) {
      if (s.kind !== "message") continue;
      s.records.forEach((bytes, i) => records.push({ dir: s.dir === "c2s" ? 0 : 1, bytes, comment: i === 0 ? `${s.actor}: ${s.title}` : undefined }));
    }
    out.write(
      writeTranscript({
        client: r.connection.client,
        server: r.connection.server,
        sni: r.options.serverName,
        meta: { title: `simulated TLS ${r.options.version} handshake`, source: "tls-handshake simulate" },
        records,
        keylog: keyLogFromSteps(r.steps),
      }),
    );
  } else {
    const o = r.options;
    const style = stdoutStyle(a.color);
    out.write(`simulated TLS ${o.version} handshake${o.seed !== undefined ? ` (seed "${o.seed}")` : ""}\n`);
    if (r.initial) out.write(`first handshake (to get a session): ${r.initial.steps.length} steps, not listed\n`);
    out.write(stepsText(r.steps, style));
    out.write(
      resultText(r.ok, r.ok ? "handshake complete, both Finished verified, application data exchanged" : `FAILED${r.error ? `: ${r.error}` : ""}`, style),
    );
  }
  out.flush();
  return r.ok ? 0 : 1;
}
