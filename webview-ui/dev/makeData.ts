/**
 * Dev only: builds preview data (HostToWebview messages) from a real capture and a real simulation, converted to
 * the ConnectionView shape with a small stand-in for the host's src/inspect/viewModel.ts.
 * Run: npx tsx webview-ui/dev/makeData.ts > /tmp/wv/data.json
 */
import { readFileSync } from "node:fs";
import { inspectFile } from "../../src/inspect/inspect";
import { simulate } from "../../src/engine/simulate";
import type { ConnectionModel } from "../../src/model";
import type { Step } from "../../src/engine/steps";
import { cipherSuites, versionName, alertLevels, alertDescriptions, contentTypes } from "../../src/tls/registry/index";
import type { ConnectionView, ConnectionSummaryView, StepView, DocumentView } from "../../src/protocol/messages";

const hex = (b?: Uint8Array) => (b ? Buffer.from(b).toString("hex") : "");

function summary(c: ConnectionModel): ConnectionSummaryView {
  const status = c.alerts.some((a) => a.level === 2) ? "alert: fatal" : c.errors.length ? `error: ${c.errors[0].message}` : "complete";
  return {
    id: c.id,
    client: c.client,
    server: c.server,
    version: c.version === null ? "?" : versionName(c.version),
    suite: c.cipherSuite === null ? "?" : cipherSuites.display(c.cipherSuite),
    sni: c.sni,
    alpn: c.alpn,
    ja4: c.ja4 ?? null,
    decrypted: c.decrypted,
    status,
    messages: c.messages.length,
  };
}

function view(c: ConnectionModel, steps?: Step[]): ConnectionView {
  return {
    ...summary(c),
    records: c.records.map(({ raw: _raw, ...r }: ConnectionModel["records"][number] & { raw?: unknown }, index) => ({
      index,
      ...r,
      typeName: contentTypes.display(r.type),
    })),
    messageList: c.messages.map((m, index) => ({
      index,
      dir: m.dir,
      type: m.type,
      name: m.name,
      length: m.length,
      frame: m.frame,
      encrypted: m.encrypted,
      keyPhase: m.keyPhase ?? "plaintext",
      record: m.record,
      verified: m.verified,
      hex: hex(m.raw),
      tree: m.tree,
      note: "handshake-" + m.name.toLowerCase(),
      error: m.error,
    })),
    alerts: c.alerts.map((a) => ({
      ...a,
      text: a.level === null ? "encrypted alert" : `${alertLevels.name(a.level)} ${alertDescriptions.name(a.description ?? 0)}`,
    })),
    errors: c.errors,
    secrets: (c.secrets ?? []).map((s) => ({ ...s })),
    steps: steps?.map((s): StepView => {
      if (s.kind === "message") {
        // Map a message step to the connection's message with the same bytes.
        const raw = hex(s.raw);
        const mi = c.messages.findIndex((m) => hex(m.raw) === raw);
        return {
          index: s.index,
          kind: "message",
          actor: s.actor,
          title: s.title,
          message: mi >= 0 ? mi : undefined,
          dir: s.dir,
          encrypted: s.encrypted,
          keyPhase: s.keyPhase,
          note: s.note,
        };
      }
      if (s.kind === "secret")
        return {
          index: s.index,
          kind: "secret",
          actor: s.actor,
          title: s.title,
          value: s.value,
          inputs: s.inputs,
          derivation: s.derivation,
          knownBy: s.knownBy,
          note: s.note,
        };
      return { index: s.index, kind: "check", actor: s.actor, title: s.title, ok: s.ok, detail: s.detail, note: s.note };
    }),
  };
}

const which = process.argv[2] ?? "all";
const out: Record<string, unknown> = {};
if (which === "all" || which === "capture") {
  const keylog = readFileSync("samples/tls13-x25519-aes128gcm.keylog", "utf8");
  const cap = inspectFile("samples/tls13-x25519-aes128gcm.pcap", { keylog, detail: "full" });
  const doc: DocumentView = {
    kind: "capture",
    title: "tls13-x25519-aes128gcm.pcap",
    source: "tls13-x25519-aes128gcm.pcap",
    format: cap.input.format,
    packets: cap.input.packets,
    connections: cap.connections.map(summary),
    errors: cap.errors,
    canAttachKeyLog: true,
  };
  out.capture = { document: doc, connection: view(cap.connections[0]) };
}
if (which === "all" || which === "simulate") {
  for (const [name, opts] of [
    ["sim13", { version: "1.3", seed: "demo" }],
    ["sim13hrr", { version: "1.3", seed: "demo", helloRetry: true, clientAuth: true }],
    ["sim12", { version: "1.2", seed: "demo" }],
  ] as const) {
    const r = simulate(opts);
    const doc: DocumentView = {
      kind: "simulation",
      title: `Simulated TLS ${opts.version}`,
      connections: [summary(r.connection)],
      errors: [],
      canAttachKeyLog: false,
    };
    out[name] = { document: doc, connection: view(r.connection, r.steps) };
  }
}
process.stdout.write(JSON.stringify(out));
