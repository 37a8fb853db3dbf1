/**
 * The `inspect --json` / `--summary` documents of shared/spec/inspect-json.md (schema 1). Key names and meanings
 * are fixed by the spec; extra keys may be added, none renamed or dropped.
 */
import type { AlertInfo, ConnectionModel, Diagnosis, LocatedError, MessageInfo, QuicPacketInfo, RecordInfo } from "../model";
import { JsonByteWriter } from "./jsonBytes";

function record(r: RecordInfo): Record<string, unknown> {
  const o: Record<string, unknown> = { dir: r.dir, type: r.type, version: r.version, length: r.length, frame: r.frame, encrypted: r.encrypted };
  if (r.innerType !== undefined) o.innerType = r.innerType;
  if (r.decryptError) o.decryptError = r.decryptError;
  return o;
}

function message(m: MessageInfo, summary: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = { dir: m.dir, type: m.type, name: m.name, length: m.length, frame: m.frame, encrypted: m.encrypted };
  if (m.space !== undefined) o.space = m.space;
  if (!summary) o.fields = m.fieldsJson !== undefined ? (JSON.parse(m.fieldsJson) as unknown) : (m.fields ?? {});
  if (m.error) o.error = m.error;
  return o;
}

/** A QUIC packet as the spec's QUIC section lists it, plus what Retry and Version Negotiation carry. */
function packet(p: QuicPacketInfo): Record<string, unknown> {
  const o: Record<string, unknown> = {
    dir: p.dir,
    frame: p.frame,
    type: p.type,
    version: p.version,
    dcid: p.dcid,
    scid: p.scid,
    packetNumber: p.packetNumber,
    length: p.length,
    decrypted: p.decrypted,
    frames: p.frames,
  };
  if (p.keyPhase !== undefined && p.decrypted) o.keyPhase = p.keyPhase;
  if (p.retryIntegrity !== undefined) o.retryIntegrity = p.retryIntegrity;
  if (p.supportedVersions) o.supportedVersions = p.supportedVersions;
  return o;
}

function alert(a: AlertInfo): Record<string, unknown> {
  return { dir: a.dir, level: a.level, description: a.description, frame: a.frame, encrypted: a.encrypted };
}

/** A diagnosis as the spec's `diagnoses` entry (plus `actionKo` and `note`). */
export function diagnosisJson(d: Diagnosis): Record<string, unknown> {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    messageKo: d.messageKo,
    frames: d.frames,
    fields: d.fields,
    rfc: d.rfc,
    action: d.action,
    actionKo: d.actionKo,
    note: d.note,
  };
}

function error(e: LocatedError): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (e.frame !== undefined) o.frame = e.frame;
  if (e.offset !== undefined) o.offset = e.offset;
  o.message = e.message;
  return o;
}

/** The spec's `preamble`: what preceded TLS on the stream, or null. */
function preambleJson(c: ConnectionModel): Record<string, unknown> | null {
  const p = c.preamble;
  return p ? { protocol: p.protocol, target: p.target, c2sBytes: p.c2sBytes, s2cBytes: p.s2cBytes } : null;
}

/** One connection as the spec's JSON object (summary: without `records` and message `fields`). */
export function connectionJson(c: ConnectionModel, summary: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = {
    id: c.id,
    client: { ip: c.client.ip, port: c.client.port },
    server: { ip: c.server.ip, port: c.server.port },
    version: c.version,
    cipherSuite: c.cipherSuite,
    sni: c.sni,
    alpn: c.alpn,
    decrypted: c.decrypted,
    // The spec's "Every connection" addition: the transport TLS ran over.
    transport: c.transport ?? "tcp",
    preamble: preambleJson(c),
    ja4: c.ja4 ?? null,
    ja4_r: c.ja4_r ?? null,
  };
  if (c.quic) {
    const q = c.quic;
    o.quic = { version: q.version, clientCid: q.clientCid, serverCid: q.serverCid, retry: q.retry, versionNegotiation: q.versionNegotiation };
  }
  if (!summary) o.records = c.records.map(record);
  if (!summary && c.packets) o.packets = c.packets.map(packet);
  o.messages = c.messages.map((m) => message(m, summary));
  o.alerts = c.alerts.map(alert);
  o.errors = c.errors.map(error);
  o.diagnoses = (c.diagnoses ?? []).map(diagnosisJson);
  return o;
}

export function errorsJson(errors: LocatedError[]): Record<string, unknown>[] {
  return errors.map(error);
}

/**
 * Writes the document as a stream: connections are written as they arrive. `input` (whose packet count is known
 * only at the end) follows the connections; JSON objects are unordered, so readers see the same document.
 */
export class JsonDocumentWriter {
  private first = true;
  constructor(
    private readonly w: JsonByteWriter,
    private readonly summary: boolean,
  ) {
    w.ascii('{"schema":1,"connections":[');
  }

  connection(c: ConnectionModel): void {
    this.w.ascii(this.first ? "\n" : ",\n");
    this.first = false;
    writeConnection(this.w, c, this.summary);
  }

  /** Close the document and flush it to the writer's sink. */
  end(input: { path: string; format: string; packets: number }, errors: LocatedError[], extra?: Record<string, unknown>): void {
    let tail = `\n],"input":${JSON.stringify(input)},"errors":${JSON.stringify(errorsJson(errors))}`;
    if (extra) for (const [k, v] of Object.entries(extra)) tail += `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
    this.w.text(tail + "}\n");
    this.w.flush();
  }
}

const utf8 = (s: string): Uint8Array => Buffer.from(s, "utf8");

/**
 * The opening of a message object up to its length — `{"dir":"c2s","type":1,"name":"ClientHello","length":` —
 * is fixed by direction, type and name: encoded once per combination and copied after that.
 */
const messageHeads: { name: string; bytes: Uint8Array }[][] = [];

function messageHead(m: MessageInfo): Uint8Array {
  const slot = (messageHeads[(m.dir === "c2s" ? 0 : 256) + (m.type & 0xff)] ??= []);
  for (const e of slot) if (e.name === m.name) return e.bytes;
  const bytes = utf8(`{"dir":"${m.dir}","type":${m.type},"name":${JSON.stringify(m.name)},"length":`);
  // A hostile capture cannot grow this without bound: names come from the registry (or "unknown").
  if (slot.length < 8) slot.push({ name: m.name, bytes });
  return bytes;
}

/**
 * Openings encoded once, by a numeric key made of the parts they hold (each a byte-sized field of the wire, so
 * distinct parts give distinct keys); at most HEADS_KEPT of a kind are kept, as the parts come from the capture.
 */
const HEADS_KEPT = 4096;

function cachedHead<T>(cache: Map<number, Uint8Array>, key: number, item: T, text: (item: T) => string): Uint8Array {
  let bytes = cache.get(key);
  if (!bytes) {
    bytes = utf8(text(item));
    if (cache.size < HEADS_KEPT) cache.set(key, bytes);
  }
  return bytes;
}

/** A record object up to its length, by direction, type (a byte) and version (two bytes). */
const recordHeads = new Map<number, Uint8Array>();
const recordHeadText = (r: RecordInfo) => `{"dir":"${r.dir}","type":${r.type},"version":${r.version},"length":`;
const recordHead = (r: RecordInfo) => cachedHead(recordHeads, ((r.dir === "c2s" ? 0 : 1) * 256 + r.type) * 65536 + r.version, r, recordHeadText);

/** An alert object up to its frame, by direction, level and description (bytes, or null without keys). */
const alertHeads = new Map<number, Uint8Array>();
const alertHeadText = (a: AlertInfo) => `{"dir":"${a.dir}","level":${a.level},"description":${a.description},"frame":`;
const alertHead = (a: AlertInfo) =>
  cachedHead(alertHeads, ((a.dir === "c2s" ? 0 : 1) * 257 + (a.level ?? 256)) * 257 + (a.description ?? 256), a, alertHeadText);

const K = {
  id: utf8('{"id":'),
  clientIp: utf8(',"client":{"ip":'),
  port: utf8(',"port":'),
  serverIp: utf8('},"server":{"ip":'),
  version: utf8('},"version":'),
  cipherSuite: utf8(',"cipherSuite":'),
  sni: utf8(',"sni":'),
  alpn: utf8(',"alpn":'),
  decrypted: utf8(',"decrypted":'),
  transportTcp: utf8(',"transport":"tcp"'),
  preambleNull: utf8(',"preamble":null'),
  ja4: utf8(',"ja4":'),
  ja4_r: utf8(',"ja4_r":'),
  records: utf8(',"records":['),
  messages: utf8(',"messages":['),
  frame: utf8(',"frame":'),
  plain: utf8(',"encrypted":false}'),
  encrypted: utf8(',"encrypted":true}'),
  plainOpen: utf8(',"encrypted":false'),
  encryptedOpen: utf8(',"encrypted":true'),
  fields: utf8(',"fields":'),
  error: utf8(',"error":'),
  alerts: utf8('],"alerts":['),
  errors: utf8('],"errors":['),
  noDiagnoses: utf8('],"diagnoses":[]}'),
};

/**
 * One connection object, written directly: the same text `JSON.stringify(connectionJson(c, summary))` produces
 * (a unit test holds them equal), without building the intermediate objects or strings — a 1 GB capture writes a
 * hundred thousand of these.
 */
export function writeConnection(w: JsonByteWriter, c: ConnectionModel, summary: boolean): void {
  if (c.json !== undefined) {
    // Serialised already, on the thread that decoded it.
    w.text(c.json);
    return;
  }
  if (c.transport === "quic") {
    // QUIC connections are few beside TCP's and their packets vary in shape: the object path writes them.
    w.text(JSON.stringify(connectionJson(c, summary)));
    return;
  }
  w.bytes(K.id);
  w.number(c.id);
  w.bytes(K.clientIp);
  w.string(c.client.ip);
  w.bytes(K.port);
  w.number(c.client.port);
  w.bytes(K.serverIp);
  w.string(c.server.ip);
  w.bytes(K.port);
  w.number(c.server.port);
  w.bytes(K.version);
  w.numberOrNull(c.version);
  w.bytes(K.cipherSuite);
  w.numberOrNull(c.cipherSuite);
  w.bytes(K.sni);
  w.string(c.sni);
  w.bytes(K.alpn);
  w.string(c.alpn);
  w.bytes(K.decrypted);
  w.boolean(c.decrypted);
  if (c.transport === undefined || c.transport === "tcp") w.bytes(K.transportTcp);
  else {
    w.ascii(',"transport":');
    w.string(c.transport);
  }
  if (!c.preamble) w.bytes(K.preambleNull);
  else {
    // Rare (proxies, STARTTLS): written through the object path.
    w.ascii(',"preamble":');
    w.text(JSON.stringify(preambleJson(c)));
  }
  w.bytes(K.ja4);
  w.string(c.ja4 ?? null);
  w.bytes(K.ja4_r);
  w.string(c.ja4_r ?? null);
  if (!summary) {
    w.bytes(K.records);
    for (let i = 0; i < c.records.length; i++) {
      const r = c.records[i];
      if (i) w.ascii(",");
      w.bytes(recordHead(r));
      w.number(r.length);
      w.bytes(K.frame);
      w.number(r.frame);
      w.bytes(r.encrypted ? K.encryptedOpen : K.plainOpen);
      if (r.innerType !== undefined) {
        w.ascii(',"innerType":');
        w.number(r.innerType);
      }
      if (r.decryptError) {
        w.ascii(',"decryptError":');
        w.string(r.decryptError);
      }
      w.ascii("}");
    }
    w.ascii("]");
  }
  w.bytes(K.messages);
  for (let i = 0; i < c.messages.length; i++) {
    const m = c.messages[i];
    if (i) w.ascii(",");
    w.bytes(messageHead(m));
    w.number(m.length);
    w.bytes(K.frame);
    w.number(m.frame);
    if (summary && !m.error) {
      w.bytes(m.encrypted ? K.encrypted : K.plain);
      continue;
    }
    w.bytes(m.encrypted ? K.encryptedOpen : K.plainOpen);
    if (!summary) {
      w.bytes(K.fields);
      w.text(m.fieldsJson ?? JSON.stringify(m.fields ?? {}));
    }
    if (m.error) {
      w.bytes(K.error);
      w.string(m.error);
    }
    w.ascii("}");
  }
  w.bytes(K.alerts);
  for (let i = 0; i < c.alerts.length; i++) {
    const a = c.alerts[i];
    if (i) w.ascii(",");
    w.bytes(alertHead(a));
    w.number(a.frame);
    w.bytes(a.encrypted ? K.encrypted : K.plain);
  }
  w.bytes(K.errors);
  for (let i = 0; i < c.errors.length; i++) {
    const e = c.errors[i];
    w.ascii(i ? ",{" : "{");
    if (e.frame !== undefined) {
      w.ascii('"frame":');
      w.number(e.frame);
      w.ascii(",");
    }
    if (e.offset !== undefined) {
      w.ascii('"offset":');
      w.number(e.offset);
      w.ascii(",");
    }
    w.ascii('"message":');
    w.string(e.message);
    w.ascii("}");
  }
  const ds = c.diagnoses;
  if (!ds || ds.length === 0) w.bytes(K.noDiagnoses);
  else w.text(`],"diagnoses":${JSON.stringify(ds.map(diagnosisJson))}}`);
}

/** One connection object as text (see writeConnection). */
export function connectionText(c: ConnectionModel, summary: boolean): string {
  let text = "";
  const w = new JsonByteWriter((b) => (text += Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8")), 4096);
  writeConnection(w, c, summary);
  w.flush();
  return text;
}
