/**
 * `simulate`: the engine's client and server run a handshake against each other in one process, every message,
 * secret and check recorded as a step. With a seed every byte is reproducible (randomness, keys, certificates,
 * dates). A tampered byte (options.tamper) is flipped in transit and shows up as the check that catches it.
 */
import type { ConnectionModel } from "../model";
import { seededRng } from "./crypto/random";
import { generatePki, SEEDED_NOW } from "./certificates";
import { hybridLayout, isHybridGroup } from "./hybridKex";
import { Client } from "./client";
import { connectionModel } from "./connectionModel";
import type { Endpoint, OutRecord } from "./endpoint";
import { Server } from "./server";
import { ServerSessionCache, type Session } from "./sessions";
import { StepLog } from "./stepLog";
import type { SimulationOptions, Step } from "./steps";
import { suiteParams } from "./suites";
import { NamedGroup, SignatureScheme } from "../tls/registry";

/** The groups TLS 1.2's ECDHE can use here (RFC 8422 §5.1.1, RFC 7748). */
const ECDHE_GROUPS: readonly number[] = [NamedGroup.x25519, NamedGroup.x448, NamedGroup.secp256r1, NamedGroup.secp384r1, NamedGroup.secp521r1];
/** Signature schemes that need the RSA certificate. */
const RSA_SCHEMES: readonly number[] = [
  SignatureScheme.rsa_pss_rsae_sha256,
  SignatureScheme.rsa_pss_rsae_sha384,
  SignatureScheme.rsa_pkcs1_sha256,
  SignatureScheme.rsa_pkcs1_sha384,
  SignatureScheme.rsa_pkcs1_sha1,
];

export interface SimulationResult {
  options: SimulationOptions;
  steps: Step[];
  connection: ConnectionModel;
  /** With `resumption`: the first, full handshake that produced the session. */
  initial?: { steps: Step[]; connection: ConnectionModel };
  /** Both Finished messages verified and the application data exchanged. */
  ok: boolean;
  error?: string;
}

const CLIENT_ADDR = { ip: "127.0.0.1", port: 49152 };
const SERVER_ADDR = { ip: "127.0.0.1", port: 443 };

const te = new TextEncoder();

/** Defaults filled in from the options (suite, group, scheme), so the caller can show what actually ran. */
export function resolveOptions(
  opts: SimulationOptions,
): Required<Pick<SimulationOptions, "version" | "keyExchange" | "group" | "cipherSuite" | "signatureScheme" | "serverName">> & SimulationOptions {
  const tls13 = opts.version === "1.3";
  let kx = opts.keyExchange ?? "ECDHE";
  let suite = opts.cipherSuite;
  const sp = suite !== undefined ? suiteParams(suite) : undefined;
  if (suite !== undefined && (!sp || sp.tls13 !== tls13)) throw new Error(`cipher suite 0x${suite.toString(16)} is not a supported TLS ${opts.version} suite`);
  if (sp && !tls13) kx = sp.keyExchange as typeof kx;
  if (tls13 && kx !== "ECDHE" && kx !== "DHE") throw new Error("TLS 1.3 key exchange is always (EC)DHE");
  let scheme = opts.signatureScheme;
  const rsaScheme = (s: number | undefined) => s !== undefined && [0x0804, 0x0805, 0x0401, 0x0501, 0x0201].includes(s);
  let auth: "RSA" | "ECDSA" = rsaScheme(scheme) ? "RSA" : "ECDSA";
  if (sp && sp.authentication !== "any") auth = sp.authentication;
  if (!tls13 && kx !== "ECDHE") auth = "RSA";
  if (scheme === undefined) scheme = auth === "RSA" ? (tls13 ? 0x0804 : 0x0804) : 0x0403;
  if (rsaScheme(scheme) !== (auth === "RSA")) throw new Error(`signature scheme 0x${scheme.toString(16)} does not fit a ${auth} certificate`);
  if (suite === undefined) {
    if (tls13) suite = 0x1301;
    else if (kx === "ECDHE") suite = auth === "RSA" ? 0xc02f : 0xc02b;
    else if (kx === "DHE") suite = 0x009e;
    else suite = 0x009c;
  }
  const group = opts.group ?? (kx === "DHE" ? 256 : 29);
  const ffdhe = group >= NamedGroup.ffdhe2048 && group <= NamedGroup.ffdhe8192;
  if (!tls13 && kx === "DHE" && !ffdhe) throw new Error("TLS 1.2 DHE uses an RFC 7919 group (ffdhe2048 … ffdhe8192)");
  if (!tls13 && isHybridGroup(group)) throw new Error(`${hybridLayout(group)!.name} is a TLS 1.3 group (draft-ietf-tls-ecdhe-mlkem)`);
  if (kx === "ECDHE" && !ECDHE_GROUPS.includes(group) && !(tls13 && (ffdhe || isHybridGroup(group)))) throw new Error(`group ${group} is not an ECDHE group`);
  return { ...opts, keyExchange: kx, cipherSuite: suite, group, signatureScheme: scheme, serverName: opts.serverName ?? "localhost" };
}

interface RunConfig {
  opts: ReturnType<typeof resolveOptions>;
  log: StepLog;
  session?: Session;
  cache: ServerSessionCache;
  label: string;
  tamper?: { step: number; offset: number };
  tamperApplied?: boolean;
}

function runOnce(cfg: RunConfig): { client: Client; server: Server; sessions: Session[] } {
  const o = cfg.opts;
  const tls13 = o.version === "1.3";
  const seeded = o.seed !== undefined;
  const pki = generatePki({ seed: o.seed, hostname: o.serverName });
  const auth = RSA_SCHEMES.includes(o.signatureScheme) ? "rsa" : "ecdsa";
  const now = seeded ? () => SEEDED_NOW : undefined;
  const rng = (side: string) => (seeded ? seededRng(`${o.seed}/${cfg.label}/${side}`) : undefined);
  const sessions: Session[] = [];
  const serverGroup = o.group;
  // HelloRetryRequest: the client first shares a group the server does not take (x25519, or P-256 when the
  // server's group is x25519 itself).
  const otherGroup = serverGroup === NamedGroup.x25519 ? NamedGroup.secp256r1 : NamedGroup.x25519;
  const client = new Client({
    log: cfg.log,
    rng: rng("client"),
    now,
    serverName: o.serverName,
    alpn: ["http/1.1"],
    versions: [tls13 ? 0x0304 : 0x0303],
    cipherSuites: [o.cipherSuite],
    groups: tls13 && o.helloRetry ? [otherGroup, serverGroup] : [serverGroup],
    keyShareGroups: tls13 ? [o.helloRetry ? otherGroup : serverGroup] : [],
    trustAnchors: [pki.root.der],
    session: cfg.session,
    clientCertificate: o.clientAuth ? pki.clientChain() : undefined,
    onSession: (s) => sessions.push(s),
    sessionTicket: o.resumeWith !== "session-id",
    extendedMasterSecret: o.extendedMasterSecret !== false,
    encryptThenMac: o.encryptThenMac !== false,
  });
  const server = new Server({
    log: cfg.log,
    rng: rng("server"),
    now,
    versions: [tls13 ? 0x0304 : 0x0303],
    cipherSuites: [o.cipherSuite],
    groups: [serverGroup],
    credentials: { [auth]: pki.serverChain(auth) },
    signatureScheme: o.signatureScheme,
    alpn: ["http/1.1"],
    requestClientCertificate: o.clientAuth,
    clientTrustAnchors: [pki.root.der],
    sessionCache: cfg.cache,
    onApplicationData: (data, s) => {
      if (new TextDecoder().decode(data).startsWith("GET ")) {
        s.sendApplicationData(te.encode("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"));
      }
    },
  });
  client.start();
  server.start();
  const deliver = (records: OutRecord[], to: Endpoint) => {
    for (const r of records) {
      let bytes = r.bytes;
      if (cfg.tamper && r.step === cfg.tamper.step) {
        const t = cfg.tamper;
        const step = cfg.log.steps[t.step];
        const before = step.kind === "message" ? step.records.slice(0, step.records.indexOf(r.bytes)).reduce((n, x) => n + x.length, 0) : 0;
        const at = t.offset - before;
        if (at >= 0 && at < bytes.length) {
          bytes = bytes.slice();
          bytes[at] ^= 0xff;
          cfg.tamperApplied = true;
          if (step.kind === "message")
            step.note = `${step.note ? step.note + "; " : ""}tampered in transit: byte ${t.offset} of its records flipped (0x${r.bytes[at].toString(16).padStart(2, "0")} → 0x${bytes[at].toString(16).padStart(2, "0")})`;
        }
      }
      to.feed(bytes);
    }
  };
  let sentRequest = false;
  for (let round = 0; round < 64; round++) {
    const c = client.takeOutput();
    deliver(c, server);
    const s = server.takeOutput();
    deliver(s, client);
    if (client.state === "connected" && server.state === "connected" && !sentRequest) {
      sentRequest = true;
      if (tls13 && o.keyUpdate) client.updateKeys(true);
      client.sendApplicationData(te.encode(`GET / HTTP/1.1\r\nHost: ${o.serverName}\r\nConnection: close\r\n\r\n`));
      continue;
    }
    if (c.length === 0 && s.length === 0) break;
  }
  // Nothing left in flight: a side still waiting for data never gets it.
  client.endOfInput();
  server.endOfInput();
  deliver(client.takeOutput(), server);
  deliver(server.takeOutput(), client);
  if (client.state === "connected" && client.appData.length > 0) {
    client.close();
    deliver(client.takeOutput(), server);
    server.close();
    deliver(server.takeOutput(), client);
  }
  return { client, server, sessions };
}

function model(r: { client: Client; server: Server }, steps: Step[]): ConnectionModel {
  // The client's own Finished: what the server found when it verified it.
  if (r.server.finishedVerified.c2s !== null) r.client.setVerified("c2s", r.server.finishedVerified.c2s);
  return connectionModel(r.client, {
    client: CLIENT_ADDR,
    server: SERVER_ADDR,
    sni: r.client.version ? (r.server.sni ?? null) : null,
    alpn: r.client.alpn,
    steps,
  });
}

/** Run a simulated handshake. Never throws for protocol failures (they are failed checks); throws for bad options. */
export function simulate(options: SimulationOptions): SimulationResult {
  const opts = resolveOptions(options);
  const cache = new ServerSessionCache();
  let initial: SimulationResult["initial"];
  let session: Session | undefined;
  if (opts.resumption) {
    const log = new StepLog();
    const first = runOnce({ opts: { ...opts, helloRetry: false, keyUpdate: false }, log, cache, label: "initial" });
    initial = { steps: log.steps, connection: model(first, log.steps) };
    session = first.sessions[first.sessions.length - 1];
    if (!session) throw new Error("the first handshake produced no session to resume");
  }
  const log = new StepLog();
  const cfg: RunConfig = { opts, log, cache, session, label: opts.resumption ? "resumed" : "main", tamper: opts.tamper };
  const run = runOnce(cfg);
  if (opts.tamper && !cfg.tamperApplied) {
    const s = log.steps[opts.tamper.step];
    throw new Error(
      s?.kind === "message"
        ? `step ${opts.tamper.step} (${s.title}) has no byte ${opts.tamper.offset} in its records`
        : `step ${opts.tamper.step} is not a message step`,
    );
  }
  const ok =
    run.client.finishedVerified.s2c === true &&
    run.server.finishedVerified.c2s === true &&
    run.client.appData.length > 0 &&
    log.steps.every((s) => s.kind !== "check" || s.ok || !!s.note?.startsWith("not fatal"));
  const result: SimulationResult = { options: opts, steps: log.steps, connection: model(run, log.steps), ok };
  if (initial) result.initial = initial;
  const error = run.client.error ?? run.server.error;
  if (error) result.error = error;
  return result;
}
