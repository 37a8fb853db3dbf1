/**
 * The `inspect --json` / `--summary` documents of shared/spec/inspect-json.md (schema 1). Key names and meanings
 * are fixed by the spec; extra keys may be added, none renamed or dropped.
 */
import type { AlertInfo, ConnectionModel, LocatedError, MessageInfo, RecordInfo } from "./model";

function record(r: RecordInfo): Record<string, unknown> {
  const o: Record<string, unknown> = { dir: r.dir, type: r.type, version: r.version, length: r.length, frame: r.frame, encrypted: r.encrypted };
  if (r.innerType !== undefined) o.innerType = r.innerType;
  if (r.decryptError) o.decryptError = r.decryptError;
  return o;
}

function message(m: MessageInfo, summary: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = { dir: m.dir, type: m.type, name: m.name, length: m.length, frame: m.frame, encrypted: m.encrypted };
  if (!summary) o.fields = m.fieldsJson !== undefined ? (JSON.parse(m.fieldsJson) as unknown) : m.fields ?? {};
  if (m.error) o.error = m.error;
  return o;
}

function alert(a: AlertInfo): Record<string, unknown> {
  return { dir: a.dir, level: a.level, description: a.description, frame: a.frame, encrypted: a.encrypted };
}

function error(e: LocatedError): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (e.frame !== undefined) o.frame = e.frame;
  if (e.offset !== undefined) o.offset = e.offset;
  o.message = e.message;
  return o;
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
  };
  if (!summary) o.records = c.records.map(record);
  o.messages = c.messages.map((m) => message(m, summary));
  o.alerts = c.alerts.map(alert);
  o.errors = c.errors.map(error);
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
    private readonly write: (s: string) => void,
    private readonly summary: boolean,
  ) {
    this.write('{"schema":1,"connections":[');
  }

  connection(c: ConnectionModel): void {
    this.connectionText(connectionText(c, this.summary));
  }

  /** A connection already serialised by `connectionText` (e.g. by a worker thread). */
  connectionText(text: string): void {
    this.write((this.first ? "\n" : ",\n") + text);
    this.first = false;
  }

  end(input: { path: string; format: string; packets: number }, errors: LocatedError[], extra?: Record<string, unknown>): void {
    let tail = `\n],"input":${JSON.stringify(input)},"errors":${JSON.stringify(errorsJson(errors))}`;
    if (extra) for (const [k, v] of Object.entries(extra)) tail += `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
    this.write(tail + "}\n");
  }
}

const str = (v: string | null): string => (v === null ? "null" : JSON.stringify(v));

/**
 * A connection object written directly: the same text `JSON.stringify(connectionJson(c, summary))` produces (a
 * unit test holds them equal), without building the intermediate objects — a 1 GB capture writes a hundred
 * thousand of these.
 */
export function connectionText(c: ConnectionModel, summary: boolean): string {
  let s = `{"id":${c.id},"client":{"ip":${str(c.client.ip)},"port":${c.client.port}},"server":{"ip":${str(c.server.ip)},"port":${c.server.port}},"version":${c.version},"cipherSuite":${c.cipherSuite},"sni":${str(c.sni)},"alpn":${str(c.alpn)},"decrypted":${c.decrypted}`;
  if (!summary) {
    s += `,"records":[`;
    for (let i = 0; i < c.records.length; i++) {
      const r = c.records[i];
      s += `${i ? "," : ""}{"dir":"${r.dir}","type":${r.type},"version":${r.version},"length":${r.length},"frame":${r.frame},"encrypted":${r.encrypted}`;
      if (r.innerType !== undefined) s += `,"innerType":${r.innerType}`;
      if (r.decryptError) s += `,"decryptError":${str(r.decryptError)}`;
      s += "}";
    }
    s += "]";
  }
  s += `,"messages":[`;
  for (let i = 0; i < c.messages.length; i++) {
    const m = c.messages[i];
    s += `${i ? "," : ""}{"dir":"${m.dir}","type":${m.type},"name":${str(m.name)},"length":${m.length},"frame":${m.frame},"encrypted":${m.encrypted}`;
    if (!summary) s += `,"fields":${m.fieldsJson ?? JSON.stringify(m.fields ?? {})}`;
    if (m.error) s += `,"error":${str(m.error)}`;
    s += "}";
  }
  s += `],"alerts":${JSON.stringify(c.alerts.map(alert))},"errors":${JSON.stringify(c.errors.map(error))}}`;
  return s;
}
