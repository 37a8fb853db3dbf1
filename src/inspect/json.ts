/**
 * The `inspect --json` / `--summary` documents of shared/spec/inspect-json.md (schema 1). Key names and meanings
 * are fixed by the spec; extra keys may be added, none renamed or dropped.
 */
import type { AlertInfo, ConnectionModel, LocatedError, MessageInfo, RecordInfo } from "./model";
import { JsonByteWriter } from "./jsonBytes";

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

/**
 * One connection object, written directly: the same text `JSON.stringify(connectionJson(c, summary))` produces
 * (a unit test holds them equal), without building the intermediate objects or strings — a 1 GB capture writes a
 * hundred thousand of these.
 */
export function writeConnection(w: JsonByteWriter, c: ConnectionModel, summary: boolean): void {
  w.ascii('{"id":');
  w.number(c.id);
  w.ascii(',"client":{"ip":');
  w.string(c.client.ip);
  w.ascii(',"port":');
  w.number(c.client.port);
  w.ascii('},"server":{"ip":');
  w.string(c.server.ip);
  w.ascii(',"port":');
  w.number(c.server.port);
  w.ascii('},"version":');
  w.numberOrNull(c.version);
  w.ascii(',"cipherSuite":');
  w.numberOrNull(c.cipherSuite);
  w.ascii(',"sni":');
  w.string(c.sni);
  w.ascii(',"alpn":');
  w.string(c.alpn);
  w.ascii(',"decrypted":');
  w.boolean(c.decrypted);
  if (!summary) {
    w.ascii(',"records":[');
    for (let i = 0; i < c.records.length; i++) {
      const r = c.records[i];
      w.ascii(i ? ',{"dir":"' : '{"dir":"');
      w.ascii(r.dir);
      w.ascii('","type":');
      w.number(r.type);
      w.ascii(',"version":');
      w.number(r.version);
      w.ascii(',"length":');
      w.number(r.length);
      w.ascii(',"frame":');
      w.number(r.frame);
      w.ascii(',"encrypted":');
      w.boolean(r.encrypted);
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
  w.ascii(',"messages":[');
  for (let i = 0; i < c.messages.length; i++) {
    const m = c.messages[i];
    w.ascii(i ? ',{"dir":"' : '{"dir":"');
    w.ascii(m.dir);
    w.ascii('","type":');
    w.number(m.type);
    w.ascii(',"name":');
    w.string(m.name);
    w.ascii(',"length":');
    w.number(m.length);
    w.ascii(',"frame":');
    w.number(m.frame);
    w.ascii(',"encrypted":');
    w.boolean(m.encrypted);
    if (!summary) {
      w.ascii(',"fields":');
      w.text(m.fieldsJson ?? JSON.stringify(m.fields ?? {}));
    }
    if (m.error) {
      w.ascii(',"error":');
      w.string(m.error);
    }
    w.ascii("}");
  }
  w.ascii('],"alerts":[');
  for (let i = 0; i < c.alerts.length; i++) {
    const a = c.alerts[i];
    w.ascii(i ? ',{"dir":"' : '{"dir":"');
    w.ascii(a.dir);
    w.ascii('","level":');
    w.numberOrNull(a.level);
    w.ascii(',"description":');
    w.numberOrNull(a.description);
    w.ascii(',"frame":');
    w.number(a.frame);
    w.ascii(',"encrypted":');
    w.boolean(a.encrypted);
    w.ascii("}");
  }
  w.ascii('],"errors":[');
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
  w.ascii("]}");
}

/** One connection object as text (see writeConnection). */
export function connectionText(c: ConnectionModel, summary: boolean): string {
  let text = "";
  const w = new JsonByteWriter((b) => (text += Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("utf8")), 4096);
  writeConnection(w, c, summary);
  w.flush();
  return text;
}
