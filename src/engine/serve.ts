/**
 * `serve`: a real TLS 1.2/1.3 server on TCP with the engine's server and a chain generated at start, answering
 * every HTTP request with 200. Each connection's steps and model are reported when it ends.
 */
import * as net from "node:net";
import type { ConnectionModel } from "../model";
import { generatePki, type Pki } from "./certificates";
import { connectionModel } from "./connectionModel";
import { Server, type Credential } from "./server";
import { pemCertificates } from "./pem";
import type { PemCredential } from "./keyLoad";
import { ServerSessionCache } from "./sessions";
import { StepLog } from "./stepLog";
import type { Step } from "./steps";

export interface ServedConnection {
  steps: Step[];
  connection: ConnectionModel;
  appData: { sent: number; received: number; firstLine: string | null };
  ok: boolean;
  error?: string;
}

export interface ServeOptions {
  port: number;
  host?: string;
  onConnection?: (c: ServedConnection) => void;
  /** Stop accepting after this many connections (the server closes when they end). */
  maxConnections?: number;
  /** Per-connection limit (default 15 s). */
  timeoutMs?: number;
  hostname?: string;
  versions?: number[];
  cipherSuites?: number[];
  groups?: number[];
  /** Serve this chain and key (any key type; see keyLoad.ts) instead of the generated ones. */
  credential?: PemCredential;
  /** Ask every client for a certificate and refuse one that sends none or one that does not verify. */
  clientAuth?: boolean;
  /** Trust anchors for client certificates (PEM; default the generated root, which also issues pki.clientChain()). */
  clientCa?: string;
}

export interface RunningServer {
  port: number;
  pki: Pki;
  close(): Promise<void>;
  /** Resolves when the server has closed (after close() or maxConnections). */
  closed: Promise<void>;
}

const te = new TextEncoder();
const MAX_CONNECTION_BYTES = 4 * 1024 * 1024;

export function serve(opts: ServeOptions): Promise<RunningServer> {
  const pki = generatePki({ hostname: opts.hostname ?? "localhost" });
  const credentials: { ecdsa?: Credential; rsa?: Credential } = opts.credential
    ? opts.credential.key.kind === "rsa"
      ? { rsa: opts.credential }
      : { ecdsa: opts.credential }
    : { ecdsa: pki.serverChain("ecdsa"), rsa: pki.serverChain("rsa") };
  const clientTrustAnchors = opts.clientCa !== undefined ? pemCertificates(opts.clientCa) : [pki.root.der];
  const cache = new ServerSessionCache();
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    accepted++;
    if (opts.maxConnections !== undefined && accepted >= opts.maxConnections) tcp.close();
    sockets.add(socket);
    // Addresses are gone once the socket is destroyed: keep them now.
    const peer = { ip: socket.remoteAddress ?? "?", port: socket.remotePort ?? 0 };
    const local = { ip: socket.localAddress ?? "?", port: socket.localPort ?? 0 };
    const log = new StepLog();
    let request = "";
    let answered = false;
    const server = new Server({
      log,
      logReceived: true,
      credentials,
      sessionCache: cache,
      versions: opts.versions,
      cipherSuites: opts.cipherSuites,
      groups: opts.groups,
      requestClientCertificate: opts.clientAuth,
      requireClientCertificate: opts.clientAuth,
      clientTrustAnchors,
      alpn: ["http/1.1"],
      onApplicationData: (data, s) => {
        if (request.length < 65536) request += Buffer.from(data).toString("latin1");
        if (!answered && request.includes("\r\n\r\n")) {
          answered = true;
          const body = `hello from tls-handshake-explorer: ${s.tls13 ? "TLS 1.3" : "TLS 1.2"} ${s.suite?.name ?? ""}\n`;
          s.sendApplicationData(te.encode(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`));
          s.close();
        }
      },
    });
    server.start();
    let done = false;
    const flush = () => {
      for (const r of server.takeOutput()) if (!socket.destroyed) socket.write(r.bytes);
    };
    const finish = (why?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sockets.delete(socket);
      if (why) log.check("server", "connection", false, why);
      server.endOfInput();
      flush();
      socket.end();
      const connection = connectionModel(server, {
        client: peer,
        server: local,
        sni: server.sni,
        alpn: server.alpn,
        steps: log.steps,
      });
      const end = request.indexOf("\r\n");
      const result: ServedConnection = {
        steps: log.steps,
        connection,
        appData: {
          sent: server.appBytes.sent,
          received: server.appBytes.received,
          firstLine: request ? (end >= 0 ? request.slice(0, end) : request.slice(0, 200)) : null,
        },
        ok: server.finishedVerified.c2s === true && !server.error,
      };
      if (server.error) result.error = server.error;
      try {
        opts.onConnection?.(result);
      } catch {
        // A reporting failure must not take the server down.
      }
    };
    const timer = setTimeout(() => finish(`connection still open after ${opts.timeoutMs ?? 15000} ms`), opts.timeoutMs ?? 15000);
    let received = 0;
    socket.on("data", (chunk: Buffer) => {
      received += chunk.length;
      // A client may not make the server hold more than this per connection.
      if (received > MAX_CONNECTION_BYTES) return finish(`client sent more than ${MAX_CONNECTION_BYTES} bytes`);
      server.feed(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      flush();
      if (server.state === "failed") finish();
    });
    socket.on("error", () => finish());
    socket.on("close", () => finish());
  });
  const closed = new Promise<void>((resolve) => tcp.on("close", () => resolve()));
  return new Promise((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(opts.port, opts.host ?? "127.0.0.1", () => {
      const addr = tcp.address() as net.AddressInfo;
      resolve({
        port: addr.port,
        pki,
        closed,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            tcp.close(() => r());
          }),
      });
    });
  });
}
