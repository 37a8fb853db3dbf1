/**
 * The analysis model (src/inspect/model.ts, "full" detail) of a connection the engine took part in, from one
 * side's view: every record and message in order with raw bytes, trees and fields, Finished results, alerts and
 * the secrets this side derived.
 */
import type { ConnectionModel, Endpoint as EndpointAddress, SecretInfo } from "../model";
import { clientHelloJa4 } from "../tls/fingerprint/ja4Tree";
import { HandshakeType } from "../tls/registry";
import type { Endpoint } from "./endpoint";
import type { Step } from "./steps";

export function connectionModel(
  side: Endpoint,
  opts: { id?: number; client: EndpointAddress; server: EndpointAddress; sni: string | null; alpn: string | null; steps: Step[] },
): ConnectionModel {
  const secrets: SecretInfo[] = [];
  const seen = new Set<string>();
  for (const s of opts.steps) {
    if (s.kind !== "secret" || !s.knownBy.includes(side.actor)) continue;
    const key = `${s.title}\0${s.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    secrets.push({ label: s.title, value: s.value, source: "derived" });
  }
  const errors = side.error ? [{ message: side.error }] : [];
  const c2s = side.actor === "client" ? side.appBytes.sent : side.appBytes.received;
  const s2c = side.actor === "client" ? side.appBytes.received : side.appBytes.sent;
  const hello = side.messages.find((m) => m.type === HandshakeType.client_hello && m.dir === "c2s");
  const fingerprint = hello?.raw ? clientHelloJa4(hello.raw, "tcp", hello.tree) : null;
  return {
    id: opts.id ?? 0,
    transport: "tcp",
    client: opts.client,
    server: opts.server,
    version: side.version,
    cipherSuite: side.suite?.suite ?? null,
    sni: opts.sni,
    alpn: opts.alpn,
    decrypted: side.suite !== null && side.records.some((r) => r.encrypted && !r.decryptError),
    ja4: fingerprint?.ja4 ?? null,
    ja4_r: fingerprint?.ja4_r ?? null,
    records: side.records,
    messages: side.messages,
    alerts: side.alerts,
    errors,
    secrets,
    appDataBytes: { c2s, s2c },
    firstFrame: side.records.length ? 1 : undefined,
    lastFrame: side.records.length || undefined,
  };
}
