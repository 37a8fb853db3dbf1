/**
 * The engine as a peer: `connect` to a server peer, `serve` for a client peer, each asserting what a cell needs —
 * the handshake done, both Finished verified, an HTTP exchange carried — and giving what was negotiated.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { connect, type ConnectOptions, type ConnectResult } from "../../../src/engine/connect";
import { serve, type ServedConnection, type ServeOptions } from "../../../src/engine/serve";
import { credentialFromPem } from "../../../src/engine/keyLoad";
import type { ConnectionModel } from "../../../src/model";
import { pki, type KeyType } from "./pki";

export interface Negotiated {
  version: number | null;
  suite: number | null;
  group: number | null;
  scheme: number | null;
}

/** What the handshake's messages say was negotiated (TLS 1.3 key_share or the TLS 1.2 ServerKeyExchange). */
export function negotiated(c: ConnectionModel): Negotiated {
  const sh = c.messages.find((m) => m.name === "ServerHello");
  const ske = c.messages.find((m) => m.name === "ServerKeyExchange");
  const cv = c.messages.find((m) => m.name === "CertificateVerify" && m.dir === "s2c");
  const group = (sh?.fields?.keyShareGroup as number | undefined) ?? (ske?.fields?.namedGroup as number | undefined) ?? null;
  const scheme = (cv?.fields?.signatureAlgorithm as number | undefined) ?? (ske?.fields?.signatureAlgorithm as number | undefined) ?? null;
  return { version: c.version ?? null, suite: c.cipherSuite ?? null, group, scheme };
}

function failedChecks(steps: ConnectResult["steps"]): string {
  return steps
    .filter((s) => s.kind === "check" && !s.ok)
    .map((s) => (s.kind === "check" ? `${s.title}: ${s.detail}` : ""))
    .join(" | ");
}

/** The engine's client against a server on 127.0.0.1:port, trusting the test CA. */
export async function connectOk(port: number, o: Partial<ConnectOptions> = {}): Promise<ConnectResult & { n: Negotiated }> {
  const r = await connect({ host: "127.0.0.1", port, ca: readFileSync(pki().ca, "utf8"), timeoutMs: 10_000, ...o });
  assert.ok(r.ok, `connect failed: ${r.error ?? ""} ${failedChecks(r.steps)}`);
  const fin = r.connection.messages.filter((m) => m.name === "Finished");
  assert.ok(fin.length >= 2 && fin.every((m) => m.verified === true), "both Finished verified");
  assert.match(r.appData.firstLine ?? "", /^HTTP\/1\.[01] 200/, "an HTTP 200 answer");
  return { ...r, n: negotiated(r.connection) };
}

export function clientCredential(t: KeyType) {
  const l = pki().leaf(t);
  return credentialFromPem(readFileSync(l.cert, "utf8"), readFileSync(l.key, "utf8"));
}

/**
 * The engine's server on a free port for one client: `client(port)` runs the peer; resolves with the server's
 * report of the connection and whatever the client returned. The server is closed in every case.
 */
export async function serveOnce<T>(
  o: Partial<ServeOptions> & { cert?: KeyType },
  client: (port: number) => Promise<T>,
): Promise<{ served: ServedConnection; client: T }> {
  // A browser may open a connection it never uses (Chromium's preconnect): the one that carried a request counts.
  const all: ServedConnection[] = [];
  let got: () => void = () => {};
  const reported = new Promise<void>((r) => (got = r));
  const onConnection = (c: ServedConnection) => {
    all.push(c);
    if (c.appData.firstLine !== null) got();
  };
  const opts: ServeOptions = { port: 0, timeoutMs: 12_000, ...o, onConnection };
  if (o.cert) opts.credential = clientCredential(o.cert);
  const srv = await serve(opts);
  try {
    const result = await client(srv.port);
    // The report follows the client's end closely; bounded anyway.
    await Promise.race([reported, new Promise((r) => setTimeout(r, 5000))]);
    const served = all.find((c) => c.appData.firstLine !== null) ?? all[all.length - 1];
    assert.ok(served, "the server reported no connection");
    return { served, client: result };
  } finally {
    await srv.close();
  }
}

/** A served connection that completed: Finished verified on both sides and the request answered. */
export function assertServed(s: ServedConnection, clientOut: string): Negotiated {
  assert.ok(s.ok, `serve failed: ${s.error ?? ""} ${failedChecks(s.steps)}`);
  const fin = s.connection.messages.filter((m) => m.name === "Finished");
  assert.ok(fin.length >= 2 && fin.every((m) => m.verified === true), "both Finished verified");
  assert.match(s.appData.firstLine ?? "", /^GET \//, "the client's request read");
  assert.match(clientOut, /hello from tls-handshake-explorer/, `the client got the answer; its output:\n${clientOut.slice(-2000)}`);
  return negotiated(s.connection);
}
