/**
 * `connect`: a real TLS 1.2/1.3 handshake over TCP with the engine's client — every record decrypted, both
 * Finished verified — then `GET / HTTP/1.1` and the first line of the answer. Bounded: an overall timeout and a
 * limit on the bytes read.
 */
import * as net from "node:net";
import { rootCertificates } from "node:tls";
import type { ConnectionModel } from "../model";
import { Client } from "./client";
import { connectionModel } from "./connectionModel";
import { pemCertificates } from "./pem";
import { StepLog } from "./stepLog";
import type { Step } from "./steps";
import { DEFAULT_SUITES_12, DEFAULT_SUITES_13 } from "./tls13Common";
import type { PemCredential } from "./keyLoad";
import type { Session } from "./sessions";

/**
 * What `connect` offers unless told otherwise: the engine's defaults, then AES-CCM (RFC 8446 Appendix B.4, RFC 6655,
 * RFC 7251) after them, so a server configured for CCM alone still finds a suite; X448 and P-521 after the usual
 * groups. CCM_8 (half the tag) only when asked for with --cipher.
 */
const CONNECT_SUITES = [...DEFAULT_SUITES_13, 0x1304, ...DEFAULT_SUITES_12, 0xc0ac, 0xc0ad, 0xc09e, 0xc09f, 0xc09c, 0xc09d];
const CONNECT_GROUPS = [29, 23, 24, 30, 25, 256, 257, 258];

export interface ConnectOptions {
  host: string;
  port: number;
  sni?: string;
  alpn?: string[];
  version?: "1.2" | "1.3";
  cipher?: number;
  group?: number;
  /** Trust anchors (PEM); default: Node's bundled root certificates. */
  ca?: string;
  insecure?: boolean;
  timeoutMs?: number;
  keylogOut?: (line: string) => void;
  /** Most bytes read from the server (default 8 MiB). */
  maxBytes?: number;
  /** A client certificate chain and key, sent when the server asks (RFC 8446 §4.4.2, RFC 5246 §7.4.6). */
  clientCertificate?: PemCredential;
  /** TLS 1.3: send KeyUpdate (update_requested) before the request, so both directions change keys (RFC 8446 §4.6.3). */
  keyUpdate?: boolean;
  /** Resume this session (from an earlier connect's `sessions`). */
  session?: Session;
  /** Called for every step as it happens. */
  onStep?: (s: Step) => void;
}

export interface ConnectResult {
  steps: Step[];
  connection: ConnectionModel;
  appData: { sent: number; received: number; firstLine: string | null };
  /** Sessions the server offered for resumption (TLS 1.2 session id or ticket, TLS 1.3 NewSessionTicket). */
  sessions: Session[];
  /** Handshake done, both Finished verified, an answer read. */
  ok: boolean;
  error?: string;
}

const isIp = (h: string) => net.isIP(h) !== 0;

export function connect(opts: ConnectOptions): Promise<ConnectResult> {
  const log = new StepLog();
  const sessions: Session[] = [];
  log.onStep = opts.onStep;
  const sni = opts.sni ?? (isIp(opts.host) ? undefined : opts.host);
  const groups = opts.group !== undefined ? [opts.group, ...CONNECT_GROUPS.filter((g) => g !== opts.group)] : CONNECT_GROUPS;
  const trustAnchors = opts.insecure ? undefined : opts.ca !== undefined ? pemCertificates(opts.ca) : rootCertificates.flatMap(pemCertificates);
  const client = new Client({
    log,
    logReceived: true,
    serverName: sni,
    alpn: opts.alpn ?? ["http/1.1"],
    versions: opts.version === "1.3" ? [0x0304] : opts.version === "1.2" ? [0x0303] : [0x0304, 0x0303],
    cipherSuites: opts.cipher !== undefined ? [opts.cipher] : CONNECT_SUITES,
    groups,
    keyShareGroups: [groups[0]],
    trustAnchors,
    insecure: opts.insecure,
    verifyHostname: opts.sni ?? opts.host,
    keyLog: opts.keylogOut,
    clientCertificate: opts.clientCertificate,
    session: opts.session,
    onSession: (s) => sessions.push(s),
  });
  const maxBytes = opts.maxBytes ?? 8 * 1024 * 1024;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return new Promise((resolve) => {
    const socket = net.connect({ host: opts.host, port: opts.port });
    let received = 0;
    let requested = false;
    let finished = false;
    let socketError: string | undefined;
    let localAddr: { ip: string; port: number } | undefined;
    let remoteIp: string | undefined;
    const firstLine = (): string | null => {
      const text = Buffer.concat(client.appData).toString("latin1");
      const end = text.indexOf("\r\n");
      return end >= 0 ? text.slice(0, end) : text.length > 0 ? text.slice(0, 200) : null;
    };
    const flush = () => {
      for (const r of client.takeOutput()) if (!socket.destroyed) socket.write(r.bytes);
    };
    const finish = (why?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (why) log.check("client", "connection", false, why);
      client.endOfInput();
      flush();
      socket.destroy();
      const local = { ip: localAddr?.ip ?? socket.localAddress ?? "0.0.0.0", port: localAddr?.port ?? socket.localPort ?? 0 };
      const remote = { ip: remoteIp ?? opts.host, port: opts.port };
      const connection = connectionModel(client, { client: local, server: remote, sni: sni ?? null, alpn: client.alpn, steps: log.steps });
      const line = firstLine();
      const ok = client.finishedVerified.s2c === true && line !== null && !client.error;
      const result: ConnectResult = {
        steps: log.steps,
        connection,
        appData: { sent: client.appBytes.sent, received: client.appBytes.received, firstLine: line },
        sessions,
        ok,
      };
      const error = client.error ?? socketError ?? why;
      if (error) result.error = error;
      resolve(result);
    };
    const timer = setTimeout(() => {
      // An answer already read is a success even if the server keeps the connection open.
      if (firstLine() !== null && client.state === "connected") finish();
      else finish(`no complete answer within ${timeoutMs} ms`);
    }, timeoutMs);
    socket.on("connect", () => {
      localAddr = { ip: socket.localAddress ?? "0.0.0.0", port: socket.localPort ?? 0 };
      remoteIp = socket.remoteAddress;
      client.start();
      flush();
    });
    socket.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) return finish(`more than ${maxBytes} bytes from the server`);
      client.feed(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      if (client.state === "connected" && !requested) {
        requested = true;
        if (opts.keyUpdate && client.tls13) client.updateKeys(true);
        const host = opts.sni ?? opts.host;
        client.sendApplicationData(
          new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: tls-handshake-explorer\r\nAccept: */*\r\nConnection: close\r\n\r\n`),
        );
      }
      flush();
      if (client.state === "failed" || client.state === "closed") finish();
    });
    socket.on("error", (e) => {
      socketError = e.message;
      finish(client.state === "start" ? `TCP connection failed: ${e.message}` : undefined);
    });
    socket.on("close", () => finish());
  });
}
