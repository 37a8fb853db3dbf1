/**
 * The one typed message protocol between the extension host and the webviews (the "TLS Handshake" panel and the
 * capture editor). Plain data only: byte strings travel as lowercase hex, field trees as FieldNode objects.
 * Both sides validate what they receive with the guards below and drop anything else.
 *
 * This module imports nothing at run time, so the webview bundle can include it.
 */
import type { FieldNode } from "../tls/field";
import type { KeyPhase, QuicPacketType, QuicSpace, Transport } from "../model";

export type { FieldNode, KeyPhase, QuicPacketType, QuicSpace, Transport };

export type Dir = "c2s" | "s2c";
export type Lang = "en" | "ko";

export interface EndpointView {
  ip: string;
  port: number;
}

export interface RecordView {
  index: number;
  dir: Dir;
  type: number;
  typeName: string;
  version: number;
  length: number;
  frame: number;
  encrypted: boolean;
  innerType?: number;
  keyPhase?: KeyPhase;
  decryptError?: string;
}

export interface MessageView {
  index: number;
  dir: Dir;
  type: number;
  name: string;
  length: number;
  frame: number;
  encrypted: boolean;
  keyPhase: KeyPhase;
  /** Index into `records` of the record carrying the message's first byte. */
  record?: number;
  /** QUIC: the packet number space whose CRYPTO stream carried the message (RFC 9000 §12.3). */
  space?: QuicSpace;
  /** QUIC: index into the connection's `packets` of the packet that carried the message's last CRYPTO byte. */
  packet?: number;
  /** Finished: recomputed verify_data matched (true/false), or unknown (null). */
  verified?: boolean | null;
  /** The message's bytes (header included), lowercase hex. */
  hex: string;
  /** Field tree over those bytes (offsets relative to the message start). */
  tree?: FieldNode;
  /** Explanatory note id for the message. */
  note?: string;
  error?: string;
}

export interface AlertView {
  dir: Dir;
  level: number | null;
  description: number | null;
  /** "fatal handshake_failure", or "encrypted alert". */
  text: string;
  frame: number;
  encrypted: boolean;
}

export interface SecretView {
  label: string;
  value: string;
  source: string;
}

/** One engine step (simulate/connect), for stepping through a handshake. */
export interface StepView {
  index: number;
  kind: "message" | "secret" | "check";
  actor: "client" | "server";
  title: string;
  /** message steps: index into the connection's `messages` (when the step is a handshake message). */
  message?: number;
  dir?: Dir;
  encrypted?: boolean;
  keyPhase?: KeyPhase;
  /** secret steps */
  value?: string;
  inputs?: string[];
  derivation?: string;
  knownBy?: ("client" | "server")[];
  /** check steps */
  ok?: boolean;
  detail?: string;
  note?: string;
}

/** Plaintext before TLS on the stream (a proxy request or a STARTTLS upgrade). */
export interface PreambleView {
  /** The spec's protocol code (http-connect, socks5, smtp...). */
  protocol: string;
  /** Its display name ("HTTP CONNECT", "SMTP STARTTLS"). */
  name: string;
  /** Proxies: the host:port asked for. */
  target: string | null;
  c2sBytes: number;
  s2cBytes: number;
  /** The server spoke first (a greeting): its plaintext goes first in the timeline. */
  serverFirst: boolean;
}

/** A diagnosis of a connection (src/inspect/diagnose), with its evidence resolved to what the views can select. */
export interface DiagnosisView {
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  messageKo: string;
  rfc: string;
  action: string | null;
  actionKo: string | null;
  /** The note explaining its family. */
  note: string;
  frames: number[];
  fields: string[];
  /** The first message the evidence names (index into `messageList`), and the field's byte range within it. */
  messageIndex?: number;
  start?: number;
  end?: number;
}

export interface ConnectionSummaryView {
  id: number;
  /** TLS over TCP, or TLS inside QUIC. */
  transport: Transport;
  /** QUIC: the version in use, named ("QUIC v1", "QUIC v2"). */
  quicVersion?: string;
  client: EndpointView;
  server: EndpointView;
  version: string;
  suite: string;
  sni: string | null;
  alpn: string | null;
  /** JA4 fingerprint of the first ClientHello (FoxIO's specification); null without one. */
  ja4: string | null;
  /** What preceded TLS on the stream; null when TLS started with it. */
  preamble: PreambleView | null;
  decrypted: boolean;
  /** "complete", "alert: fatal handshake_failure", "incomplete", "error: …" */
  status: string;
  messages: number;
  /** How many error- and warning-level diagnoses it has (the table marks the connection). */
  diagnosisErrors?: number;
  diagnosisWarnings?: number;
}

/**
 * Bytes shown in the bytes pane with the field tree over them (offsets relative to `hex`'s first byte).
 */
export interface ByteView {
  hex: string;
  tree: FieldNode;
}

/** One QUIC packet (RFC 9000 §17) of a connection, for the timeline and the bytes pane. */
export interface QuicPacketView {
  index: number;
  dir: Dir;
  frame: number;
  type: QuicPacketType;
  /** Long header version, named ("QUIC v1 (0x00000001)"); null for 1-RTT. */
  version: string | null;
  dcid: string;
  scid: string | null;
  packetNumber: number | null;
  /** Bytes of the packet on the wire. */
  length: number;
  decrypted: boolean;
  /** Which keys protect it (RFC 9001 §4; Initial keys come from the client's first DCID, §5.2). */
  keys?: "initial" | "early" | "handshake" | "application";
  /** 1-RTT: the Key Phase bit and the key generation it selected (RFC 9001 §6). */
  keyPhase?: number;
  keyGeneration?: number;
  /** Frame type names in order (decrypted packets only). */
  frames: string[];
  /** Indexes into `messageList` of the handshake messages whose last CRYPTO byte this packet carried. */
  messages: number[];
  tokenLength?: number;
  /** Retry: whether its integrity tag verified (RFC 9001 §5.8). */
  retryIntegrity?: boolean;
  /** Version Negotiation: the versions the server offers, named. */
  supportedVersions?: string[];
  decryptError?: string;
  error?: string;
  /** The packet as captured: header protection on, payload sealed (RFC 9001 §5.3, §5.4). */
  protectedBytes?: ByteView;
  /** Decrypted packets: the header with its protection removed, then the plaintext frames (AEAD tag dropped). */
  plaintextBytes?: ByteView;
}

/** What a QUIC connection is beside its handshake (shared/spec/inspect-json.md, "QUIC connections"). */
export interface QuicView {
  version: string;
  clientCid: string;
  serverCid: string;
  originalDcid?: string;
  retry: boolean;
  versionNegotiation: boolean;
}

export interface ConnectionView extends ConnectionSummaryView {
  quic?: QuicView;
  /** QUIC: the packets, in capture order. */
  packets?: QuicPacketView[];
  records: RecordView[];
  messageList: MessageView[];
  alerts: AlertView[];
  errors: { frame?: number; message: string }[];
  secrets: SecretView[];
  steps?: StepView[];
  /** Why it failed, errors first (shown above the timeline). */
  diagnoses?: DiagnosisView[];
}

export interface SimulateRequest {
  version: "1.2" | "1.3";
  keyExchange?: "ECDHE" | "DHE" | "RSA";
  group?: number;
  cipherSuite?: number;
  helloRetry?: boolean;
  resumption?: boolean;
  clientAuth?: boolean;
  seed?: string;
}

/** An explanatory note, sent as its Markdown (the page renders it as text nodes: no HTML is parsed). */
export interface NoteView {
  id: string;
  lang: Lang;
  title: string;
  markdown: string;
  /** The RFC sections index.json lists for the note (its References). */
  rfc: string[];
  /** index.json's "related": the notes to read next, with their titles in the note's language. */
  related: { id: string; title: string }[];
  /** Index of the heading (##, ###, … in document order) to scroll to. */
  section?: number;
}

/** One step of a lesson, in the lesson's language (media/lessons/lessons.json). */
export interface LessonStepView {
  title: string;
  /** Plain text paragraphs (no markup). */
  text: string[];
  question: string;
  answer: string;
  note: string;
  section?: string;
  /** The same step can be shown in a real capture (samples/). */
  capture: boolean;
  /** The same step can be seen on a live `connect` (a trusted workspace). */
  live: boolean;
  /** Two handshakes side by side: their messages, in order, each with its direction. */
  compare?: { title: string; messages: { name: string; dir: Dir }[] }[];
}

export interface LessonView {
  route: string;
  title: string;
  index: number;
  count: number;
  step: LessonStepView;
  /** The engine step (index into the shown connection's steps) the timeline is stepped to. */
  engineStep?: number;
  tab?: "message" | "keys";
  /** The lesson's other route, offered at the end. */
  other: { id: string; title: string };
}

/** What the panel or editor shows. */
export interface DocumentView {
  /** "capture": a file's connections; "simulation"/"live": one engine run. */
  kind: "capture" | "simulation" | "live" | "empty";
  title: string;
  /** Source file name (text only, for display). */
  source?: string;
  format?: string;
  packets?: number;
  connections: ConnectionSummaryView[];
  /**
   * Set when `connections` holds only the first CONNECTIONS_PAGE of them: the total. The page asks for the rest
   * with `loadConnections` as its table is scrolled (a 1 GB capture has ~100,000; sending all at once kept the
   * page busy for seconds).
   */
  connectionCount?: number;
  errors: { frame?: number; message: string }[];
  /** Whether the document can attach a key log / save transcripts (captures). */
  canAttachKeyLog: boolean;
}

export interface Selection {
  connection?: number;
  message?: number;
  /** QUIC: a selected packet (index into `packets`) and which of its byte views is shown. */
  packet?: number;
  packetView?: "protected" | "plaintext";
  /** Byte range within the selected message. */
  start?: number;
  end?: number;
}

export type HostToWebview =
  | { type: "init"; document: DocumentView; lang: Lang; selection: Selection; mode: "panel" | "editor"; trusted: boolean }
  | { type: "document"; document: DocumentView }
  | { type: "connection"; connection: ConnectionView }
  | { type: "select"; selection: Selection }
  | { type: "busy"; text: string | null }
  | { type: "error"; text: string }
  | { type: "lang"; lang: Lang }
  /** Lesson mode on (a lesson step to show) or off (null). */
  | { type: "lesson"; lesson: LessonView | null }
  /** The note page (mode "note") or the lesson's note pane: show this note. */
  | { type: "note"; note: NoteView }
  /** More of the document's connections, starting at index `from` (the answer to `loadConnections`). */
  | { type: "connections"; from: number; connections: ConnectionSummaryView[] };

/** Connections per message: the first ones go with the document, the rest on request. */
export const CONNECTIONS_PAGE = 2000;

export type WebviewToHost =
  | { type: "ready" }
  | { type: "selectConnection"; id: number }
  | { type: "selectMessage"; connection: number; message: number }
  | { type: "selectField"; connection: number; message: number; start: number; end: number }
  /** A QUIC packet was chosen in the timeline (the Handshake Fields tree then shows no message). */
  | { type: "selectPacket"; connection: number; packet: number }
  /** Open note `note` (at the section whose English heading is `section`). */
  | { type: "explain"; note: string; section?: string }
  | { type: "simulate"; request: SimulateRequest }
  | { type: "connect"; host: string; port: number; sni?: string }
  | { type: "attachKeyLog" }
  | { type: "saveTranscript"; connection: number }
  | { type: "copy"; text: string }
  /** Lesson mode: go to step `index`, show it in a capture or live, start route `route`, or leave. */
  | { type: "lesson"; action: "goto" | "capture" | "live" | "exit" | "route"; index?: number; route?: string }
  /** The page has shown what it has: connections from index `from` on, please. */
  | { type: "loadConnections"; from: number };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown, max = 2 ** 31): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= max;
const isStr = (v: unknown, max = 4096): v is string => typeof v === "string" && v.length <= max;
const optional = <T>(v: unknown, check: (x: unknown) => x is T): boolean => v === undefined || check(v);

/** Host side: accept only well-formed messages from the webview. */
export function isWebviewToHost(m: unknown): m is WebviewToHost {
  if (!isObj(m) || !isStr(m.type, 64)) return false;
  switch (m.type) {
    case "ready":
    case "attachKeyLog":
      return true;
    case "selectConnection":
      return isInt(m.id);
    case "selectMessage":
      return isInt(m.connection) && isInt(m.message);
    case "selectPacket":
      return isInt(m.connection) && isInt(m.packet);
    case "selectField":
      return isInt(m.connection) && isInt(m.message) && isInt(m.start) && isInt(m.end) && (m.start as number) <= (m.end as number);
    case "explain":
      return isStr(m.note, 64) && /^[a-z0-9-]+$/.test(m.note as string) && optional(m.section, (x): x is string => isStr(x, 200));
    case "simulate": {
      const r = m.request;
      if (!isObj(r) || (r.version !== "1.2" && r.version !== "1.3")) return false;
      return (
        optional(r.keyExchange, (x): x is string => x === "ECDHE" || x === "DHE" || x === "RSA") &&
        optional(r.group, (x): x is number => isInt(x, 0xffff)) &&
        optional(r.cipherSuite, (x): x is number => isInt(x, 0xffff)) &&
        optional(r.helloRetry, (x): x is boolean => typeof x === "boolean") &&
        optional(r.resumption, (x): x is boolean => typeof x === "boolean") &&
        optional(r.clientAuth, (x): x is boolean => typeof x === "boolean") &&
        optional(r.seed, (x): x is string => isStr(x, 256))
      );
    }
    case "connect":
      return (
        isStr(m.host, 253) &&
        /^[A-Za-z0-9.:[\]-]+$/.test(m.host as string) &&
        isInt(m.port, 65535) &&
        (m.port as number) > 0 &&
        optional(m.sni, (x): x is string => isStr(x, 253))
      );
    case "saveTranscript":
      return isInt(m.connection);
    case "loadConnections":
      return isInt(m.from);
    case "copy":
      return isStr(m.text, 1 << 20);
    case "lesson":
      return (
        (m.action === "goto" || m.action === "capture" || m.action === "live" || m.action === "exit" || m.action === "route") &&
        optional(m.index, (x): x is number => isInt(x, 1000)) &&
        optional(m.route, (x): x is string => isStr(x, 64) && /^[a-z0-9-]+$/.test(x))
      );
    default:
      return false;
  }
}

/** A diagnosis as the views read it: its strings bounded, its severity one of three, its evidence numbers. */
export function isDiagnosisView(d: unknown): d is DiagnosisView {
  if (!isObj(d)) return false;
  const text = (x: unknown): x is string => isStr(x, 4096);
  const textOrNull = (x: unknown) => x === null || text(x);
  return (
    isStr(d.code, 64) &&
    /^[a-z0-9-]+$/.test(d.code as string) &&
    (d.severity === "error" || d.severity === "warning" || d.severity === "info") &&
    text(d.message) &&
    text(d.messageKo) &&
    isStr(d.rfc, 64) &&
    textOrNull(d.action) &&
    textOrNull(d.actionKo) &&
    isStr(d.note, 64) &&
    /^[a-z0-9-]+$/.test(d.note as string) &&
    Array.isArray(d.frames) &&
    d.frames.every((x) => isInt(x)) &&
    Array.isArray(d.fields) &&
    d.fields.every((x) => isStr(x, 256)) &&
    optional(d.messageIndex, (x): x is number => isInt(x)) &&
    optional(d.start, (x): x is number => isInt(x)) &&
    optional(d.end, (x): x is number => isInt(x))
  );
}

/** Webview side: accept only well-formed messages from the host (shape of the envelope and its type). */
export function isHostToWebview(m: unknown): m is HostToWebview {
  if (!isObj(m) || !isStr(m.type, 64)) return false;
  switch (m.type) {
    case "init":
      return (
        isObj(m.document) && Array.isArray((m.document as Record<string, unknown>).connections) && (m.lang === "en" || m.lang === "ko") && isObj(m.selection)
      );
    case "document":
      return isObj(m.document) && Array.isArray((m.document as Record<string, unknown>).connections);
    case "connection": {
      const c = m.connection as Record<string, unknown>;
      return isObj(c) && Array.isArray(c.messageList) && (c.diagnoses === undefined || (Array.isArray(c.diagnoses) && c.diagnoses.every(isDiagnosisView)));
    }
    case "select":
      return isObj(m.selection);
    case "busy":
      return m.text === null || isStr(m.text);
    case "error":
      return isStr(m.text, 1 << 16);
    case "connections":
      return isInt(m.from) && Array.isArray(m.connections) && (m.connections as unknown[]).length <= CONNECTIONS_PAGE;
    case "lang":
      return m.lang === "en" || m.lang === "ko";
    case "lesson": {
      const l = m.lesson;
      return l === null || (isObj(l) && isStr(l.route, 64) && isInt(l.index, 1000) && isInt(l.count, 1000) && isObj(l.step) && isObj(l.other));
    }
    case "note": {
      const n = m.note;
      return (
        isObj(n) &&
        isStr(n.id, 64) &&
        isStr(n.title, 400) &&
        isStr(n.markdown, 1 << 20) &&
        (n.lang === "en" || n.lang === "ko") &&
        Array.isArray(n.rfc) &&
        Array.isArray(n.related) &&
        optional(n.section, (x): x is number => isInt(x, 1000))
      );
    }
    default:
      return false;
  }
}
