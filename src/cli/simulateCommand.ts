/**
 * `tls-handshake simulate [options] [--json | --transcript]`: the engine's client and server run one handshake
 * (TLS 1.2 or 1.3) in this process; every message, secret and check is listed.
 */
import { writeTranscript } from "../capture/transcriptWrite";
import { connectionJson } from "../inspect/json";
import { simulate } from "../engine/simulate";
import { keyLogFromSteps, stepJson } from "../engine/stepsJson";
import type { SimulationOptions } from "../engine/steps";
import { parseArgs, UsageError } from "./args";
import { parseGroup, parseScheme, parseSuite } from "./engineNames";
import { Output } from "./output";
import { stepsText } from "./stepsText";

const HELP = `usage: tls-handshake simulate [options] [--json | --transcript]
  --version 1.2|1.3          protocol version (default 1.3)
  --kx ECDHE|DHE|RSA         TLS 1.2 key exchange (default ECDHE)
  --group NAME               x25519, p256, p384, ffdhe2048 (or a code point)
  --suite NAME|0xNNNN        cipher suite (IANA name or code point)
  --sig SCHEME               signature scheme (picks an ECDSA or RSA certificate)
  --hrr                      TLS 1.3: force a HelloRetryRequest
  --resume                   resume a session from a first handshake (1.2 ticket, 1.3 PSK)
  --resume-with ticket|session-id   TLS 1.2 resumption kind
  --client-auth              the server asks for a client certificate
  --key-update               TLS 1.3: KeyUpdate after the handshake
  --no-ems, --no-etm         TLS 1.2: do not offer extended_master_secret / encrypt_then_mac
  --tamper STEP:OFFSET       flip one byte of a message's records in transit
  --seed S                   deterministic: every byte reproducible
  --json                     the inspect JSON document (format "simulated") plus the steps
  --transcript               a .tlstrace transcript with its key log (readable by inspect)
`;

export function simulateCommand(argv: string[]): number {
  const a = parseArgs(argv, {
    flags: ["hrr", "resume", "client-auth", "key-update", "no-ems", "no-etm", "json", "transcript", "help"],
    options: ["version", "kx", "group", "suite", "sig", "seed", "tamper", "resume-with", "server-name"],
  });
  const out = new Output(1);
  if (a.flags.has("help")) {
    out.write(HELP);
    out.flush();
    return 0;
  }
  if (a.positionals.length) throw new UsageError(`unexpected argument "${a.positionals[0]}"`);
  const get = (k: string) => (a.flags.has(k) ? String(a.flags.get(k)) : undefined);
  const version = get("version") ?? "1.3";
  if (version !== "1.2" && version !== "1.3") throw new UsageError("--version must be 1.2 or 1.3");
  const kx = get("kx")?.toUpperCase();
  if (kx !== undefined && kx !== "ECDHE" && kx !== "DHE" && kx !== "RSA") throw new UsageError("--kx must be ECDHE, DHE or RSA");
  const opts: SimulationOptions = { version };
  if (kx) opts.keyExchange = kx as SimulationOptions["keyExchange"];
  if (get("group")) opts.group = parseGroup(get("group")!);
  if (get("suite")) opts.cipherSuite = parseSuite(get("suite")!);
  if (get("sig")) opts.signatureScheme = parseScheme(get("sig")!);
  if (a.flags.has("hrr")) opts.helloRetry = true;
  if (a.flags.has("resume")) opts.resumption = true;
  if (a.flags.has("client-auth")) opts.clientAuth = true;
  if (a.flags.has("key-update")) opts.keyUpdate = true;
  if (a.flags.has("no-ems")) opts.extendedMasterSecret = false;
  if (a.flags.has("no-etm")) opts.encryptThenMac = false;
  if (get("seed") !== undefined) opts.seed = get("seed");
  if (get("server-name")) opts.serverName = get("server-name");
  const rw = get("resume-with");
  if (rw !== undefined) {
    if (rw !== "ticket" && rw !== "session-id") throw new UsageError("--resume-with must be ticket or session-id");
    opts.resumeWith = rw;
  }
  const t = get("tamper");
  if (t !== undefined) {
    const m = /^(\d+):(\d+)$/.exec(t);
    if (!m) throw new UsageError("--tamper takes STEP:OFFSET (numbers)");
    opts.tamper = { step: Number(m[1]), offset: Number(m[2]) };
  }
  if (a.flags.has("json") && a.flags.has("transcript")) throw new UsageError("--json and --transcript are exclusive");
  let r;
  try {
    r = simulate(opts);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (a.flags.has("json")) {
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
  } else if (a.flags.has("transcript")) {
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
    out.write(`simulated TLS ${o.version} handshake${o.seed !== undefined ? ` (seed "${o.seed}")` : ""}\n`);
    if (r.initial) out.write(`first handshake (to get a session): ${r.initial.steps.length} steps, not listed\n`);
    out.write(stepsText(r.steps));
    out.write(r.ok ? "result: handshake complete, both Finished verified, application data exchanged\n" : `result: FAILED${r.error ? `: ${r.error}` : ""}\n`);
  }
  out.flush();
  return r.ok ? 0 : 1;
}
