/**
 * The analysis model turned into what the webviews and trees show (src/protocol/messages.ts): plain data, byte
 * strings as lowercase hex, names from the IANA registries, one explanatory note id per message, a status line
 * per connection, and the engine's steps tied to the connection's messages. Pure: no vscode, no I/O.
 */
import { preambleName, preambleServerFirst } from "./preambleText";
import type {
  AlertView,
  ConnectionSummaryView,
  ConnectionView,
  DiagnosisView,
  DocumentView,
  MessageView,
  QuicView,
  RecordView,
  StepView,
} from "../protocol/messages";
import type { FieldNode } from "../tls/field";
import { packetView, quicVersionText } from "./quic/packetView";
import type { Step } from "../engine/steps";
import { AlertLevel, ContentType, HandshakeType, alertDescriptions, alertLevels, cipherSuites, contentTypes, versionName } from "../tls/registry";
import { annotateFieldNotes } from "../tls/fieldNotes";
import type { AlertInfo, CaptureModel, ConnectionModel, Diagnosis, MessageInfo, RecordInfo } from "../model";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lowercase hex without separators. */
export function toHex(bytes: Uint8Array | undefined): string {
  if (!bytes) return "";
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX[bytes[i]];
  return parts.join("");
}

/**
 * Note ids (media/notes/<lang>/<id>.md) by HandshakeType, for messages without a field tree (summary detail).
 * With a tree the decoder's own note (set on the tree root) wins.
 */
const NOTE_BY_TYPE: Readonly<Record<number, string>> = {
  [HandshakeType.client_hello]: "client-hello",
  [HandshakeType.server_hello]: "server-hello",
  [HandshakeType.new_session_ticket]: "new-session-ticket",
  [HandshakeType.end_of_early_data]: "psk-0rtt",
  [HandshakeType.encrypted_extensions]: "encrypted-handshake",
  [HandshakeType.certificate]: "certificate",
  [HandshakeType.server_key_exchange]: "server-key-exchange",
  [HandshakeType.certificate_request]: "certificate-request",
  [HandshakeType.server_hello_done]: "server-hello-done",
  [HandshakeType.certificate_verify]: "certificate-verify",
  [HandshakeType.client_key_exchange]: "client-key-exchange",
  [HandshakeType.finished]: "finished",
  [HandshakeType.key_update]: "key-update",
  [HandshakeType.compressed_certificate]: "certificate",
};

/** The note that explains a message (HelloRetryRequest shares ServerHello's type but has its own note). */
export function messageNote(m: Pick<MessageInfo, "type" | "name" | "tree">): string | undefined {
  if (m.tree?.note) return m.tree.note;
  if (m.name === "HelloRetryRequest") return "hello-retry-request";
  return NOTE_BY_TYPE[m.type];
}

export function versionText(v: number | null): string {
  return v === null ? "—" : versionName(v);
}

export function suiteText(v: number | null): string {
  if (v === null) return "—";
  const n = cipherSuites.name(v);
  return n === "unknown" ? cipherSuites.display(v) : n;
}

export function alertText(a: Pick<AlertInfo, "level" | "description">): string {
  if (a.level === null || a.description === null) return "encrypted alert";
  return `${alertLevels.name(a.level)} ${alertDescriptions.name(a.description)}`;
}

/**
 * One line about how the connection went: a fatal alert first (it is why a handshake stops), then whether both
 * Finished messages (RFC 8446 §4.4.4, RFC 5246 §7.4.9) were seen — or, without keys, whether application data
 * flowed both ways after the hellos — then the first decoding error.
 */
export function statusText(c: ConnectionModel): string {
  const fatal = c.alerts.find((a) => a.level === AlertLevel.fatal);
  if (fatal) return `alert: ${alertText(fatal)}`;
  const finished = new Set(c.messages.filter((m) => m.type === HandshakeType.finished && m.name === "Finished").map((m) => m.dir));
  const hellos = c.messages.some((m) => m.type === HandshakeType.server_hello);
  const appBoth = (c.appDataBytes?.c2s ?? 0) > 0 && (c.appDataBytes?.s2c ?? 0) > 0;
  if (finished.size === 2 || (hellos && appBoth)) return "complete";
  if (c.errors.length) return `error: ${c.errors[0].message}`;
  return "incomplete";
}

export function summaryView(c: ConnectionModel): ConnectionSummaryView {
  const v: ConnectionSummaryView = {
    id: c.id,
    transport: c.transport ?? "tcp",
    client: { ip: c.client.ip, port: c.client.port },
    server: { ip: c.server.ip, port: c.server.port },
    version: versionText(c.version),
    suite: suiteText(c.cipherSuite),
    sni: c.sni,
    alpn: c.alpn,
    ja4: c.ja4 ?? null,
    preamble: c.preamble
      ? {
          protocol: c.preamble.protocol,
          name: preambleName(c.preamble.protocol),
          target: c.preamble.target,
          c2sBytes: c.preamble.c2sBytes,
          s2cBytes: c.preamble.s2cBytes,
          serverFirst: preambleServerFirst(c.preamble.protocol),
        }
      : null,
    decrypted: c.decrypted,
    status: statusText(c),
    messages: c.messages.length,
  };
  const ds = c.diagnoses ?? [];
  if (ds.length) {
    v.diagnosisErrors = ds.filter((d) => d.severity === "error").length;
    v.diagnosisWarnings = ds.filter((d) => d.severity === "warning").length;
  }
  if (c.quic?.version !== undefined && c.quic.version !== null) v.quicVersion = quicVersionText(c.quic.version);
  return v;
}

export function recordView(r: RecordInfo, index: number): RecordView {
  const v: RecordView = {
    index,
    dir: r.dir,
    type: r.type,
    typeName: contentTypes.name(r.type),
    version: r.version,
    length: r.length,
    frame: r.frame,
    encrypted: r.encrypted,
  };
  if (r.innerType !== undefined) v.innerType = r.innerType;
  if (r.keyPhase !== undefined) v.keyPhase = r.keyPhase;
  if (r.decryptError !== undefined) v.decryptError = r.decryptError;
  return v;
}

export function messageView(m: MessageInfo, index: number): MessageView {
  const v: MessageView = {
    index,
    dir: m.dir,
    type: m.type,
    name: m.name,
    length: m.length,
    frame: m.frame,
    encrypted: m.encrypted,
    keyPhase: m.keyPhase ?? (m.encrypted ? "handshake" : "plaintext"),
    hex: toHex(m.raw),
  };
  if (m.record !== undefined) v.record = m.record;
  if (m.space !== undefined) v.space = m.space;
  if (m.packet !== undefined) v.packet = m.packet;
  if (m.verified !== undefined) v.verified = m.verified;
  if (m.tree) v.tree = annotateFieldNotes(m.tree);
  const note = messageNote(m);
  if (note) v.note = note;
  if (m.error) v.error = m.error;
  return v;
}

function alertView(a: AlertInfo): AlertView {
  return { dir: a.dir, level: a.level, description: a.description, text: alertText(a), frame: a.frame, encrypted: a.encrypted };
}

/**
 * Engine steps → StepViews. A handshake-message step is tied to the connection message carrying the same bytes
 * (or, failing that, the next one of the same direction and type); records that are not handshake messages
 * (ChangeCipherSpec, Alert, application data) have no `message`.
 */
export function stepViews(steps: readonly Step[], conn: ConnectionModel): StepView[] {
  const out: StepView[] = [];
  let next = 0; // connection messages before this index are already matched
  const sameBytes = (a: Uint8Array | undefined, b: Uint8Array): boolean => {
    if (!a || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  };
  for (const s of steps) {
    const base = { index: out.length, actor: s.actor, title: s.title } as const;
    if (s.kind === "message") {
      const v: StepView = { ...base, kind: "message", dir: s.dir, encrypted: s.encrypted, keyPhase: s.keyPhase };
      if (s.note) v.note = s.note;
      if (s.contentType === ContentType.handshake) {
        let found = -1;
        // Bounded forward search: messages and steps are both in wire order.
        for (let i = next; i < conn.messages.length && found < 0; i++) if (conn.messages[i].dir === s.dir && sameBytes(conn.messages[i].raw, s.raw)) found = i;
        for (let i = next; i < conn.messages.length && found < 0; i++) {
          const m = conn.messages[i];
          if (m.dir === s.dir && m.type === (s.handshakeType ?? s.raw[0])) found = i;
        }
        if (found >= 0) {
          v.message = found;
          next = found + 1;
        }
      }
      out.push(v);
    } else if (s.kind === "secret") {
      const v: StepView = { ...base, kind: "secret", value: s.value, inputs: [...s.inputs], derivation: s.derivation, knownBy: [...s.knownBy] };
      if (s.note) v.note = s.note;
      out.push(v);
    } else {
      const v: StepView = { ...base, kind: "check", ok: s.ok, detail: s.detail };
      if (s.note) v.note = s.note;
      out.push(v);
    }
  }
  return out;
}

export function connectionView(c: ConnectionModel, steps?: readonly Step[]): ConnectionView {
  const v: ConnectionView = {
    ...summaryView(c),
    records: c.records.map(recordView),
    messageList: c.messages.map(messageView),
    alerts: c.alerts.map(alertView),
    errors: c.errors.map((e) => (e.frame !== undefined ? { frame: e.frame, message: e.message } : { message: e.message })),
    secrets: (c.secrets ?? []).map((s) => ({ label: s.label, value: s.value, source: s.source })),
  };
  if (steps) v.steps = stepViews(steps, c);
  if (c.diagnoses?.length) v.diagnoses = c.diagnoses.map((d) => diagnosisView(d, c));
  if (c.quic) {
    const q: QuicView = {
      version: c.quic.version === null ? "—" : quicVersionText(c.quic.version),
      clientCid: c.quic.clientCid,
      serverCid: c.quic.serverCid,
      retry: c.quic.retry,
      versionNegotiation: c.quic.versionNegotiation,
    };
    if (c.quic.originalDcid !== undefined) q.originalDcid = c.quic.originalDcid;
    v.quic = q;
  }
  if (c.packets) {
    // Each packet lists the messages it completed (a message spanning packets belongs to its last one).
    const carried = c.packets.map((): number[] => []);
    c.messages.forEach((m, i) => {
      if (m.packet !== undefined && carried[m.packet]) carried[m.packet].push(i);
    });
    v.packets = c.packets.map((p, i) => packetView(p, i, carried[i]));
  }
  return v;
}

/** The field tree's node names for the spec's `fields` keys the diagnoses cite (RFC 8446 §4 names). */
const FIELD_NODES: Record<string, string[]> = {
  random: ["random"],
  sessionId: ["legacy_session_id", "session_id"],
  legacyVersion: ["legacy_version", "client_version", "server_version"],
  cipherSuites: ["cipher_suites"],
  cipherSuite: ["cipher_suite"],
  extensions: ["extensions"],
  sni: ["server_name"],
  alpn: ["application_layer_protocol_negotiation"],
  supportedVersions: ["supported_versions"],
  selectedVersion: ["supported_versions"],
  supportedGroups: ["supported_groups"],
  signatureAlgorithms: ["signature_algorithms"],
  keyShareGroups: ["key_share"],
  keyShareGroup: ["key_share"],
  certificates: ["certificate_list"],
};

function findNode(tree: FieldNode, names: string[], depth = 0): FieldNode | undefined {
  if (depth > 8) return undefined;
  for (const c of tree.children ?? []) {
    if (names.some((n) => c.name === n || c.name.startsWith(`${n} `) || c.name.startsWith(`${n}(`))) return c;
  }
  for (const c of tree.children ?? []) {
    const hit = findNode(c, names, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}

/** A diagnosis for the views: the first message its evidence names, and that field's bytes when the tree has them. */
export function diagnosisView(d: Diagnosis, c: ConnectionModel): DiagnosisView {
  const v: DiagnosisView = {
    code: d.code,
    severity: d.severity,
    message: d.message,
    messageKo: d.messageKo,
    rfc: d.rfc,
    action: d.action,
    actionKo: d.actionKo,
    note: d.note,
    frames: d.frames,
    fields: d.fields,
  };
  for (const f of d.fields) {
    const m = /^messages\[(\d+)\](?:\.fields\.([A-Za-z]+))?/.exec(f);
    if (!m) continue;
    const index = Number(m[1]);
    const msg = c.messages[index];
    if (!msg) continue;
    v.messageIndex = index;
    const node = m[2] && msg.tree ? findNode(msg.tree, FIELD_NODES[m[2]] ?? [m[2]]) : undefined;
    if (node) {
      v.start = node.start;
      v.end = node.end;
    }
    break;
  }
  if (v.messageIndex === undefined) {
    // No message cited: the message of the first evidence frame.
    const i = c.messages.findIndex((m) => d.frames.includes(m.frame));
    if (i >= 0) v.messageIndex = i;
  }
  return v;
}

function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf("/"), p.lastIndexOf("\\"));
  return i >= 0 ? p.slice(i + 1) : p;
}

/** A capture (or transcript) file's document. */
export function captureDocument(model: CaptureModel, opts: { canAttachKeyLog?: boolean } = {}): DocumentView {
  const name = baseName(model.input.path);
  return {
    kind: "capture",
    title: name,
    source: name,
    format: model.input.format,
    packets: model.input.packets,
    connections: model.connections.map(summaryView),
    errors: model.errors.map((e) => (e.frame !== undefined ? { frame: e.frame, message: e.message } : { message: e.message })),
    canAttachKeyLog: opts.canAttachKeyLog ?? (model.input.format === "pcap" || model.input.format === "pcapng"),
  };
}

/** One engine run (simulate or connect) as a document of one connection. */
export function engineDocument(kind: "simulation" | "live", title: string, conn: ConnectionModel): DocumentView {
  return { kind, title, connections: [summaryView(conn)], errors: conn.errors.map((e) => ({ message: e.message })), canAttachKeyLog: false };
}

export function emptyDocument(title: string): DocumentView {
  return { kind: "empty", title, connections: [], errors: [], canAttachKeyLog: false };
}
