/**
 * What the client and server state machines share: the record layer (framing, protection, reassembly of handshake
 * messages across records), the transcript, the step log and the analysis model of the connection as this side
 * sees it. Sans-I/O: `feed` takes bytes from the peer, `takeOutput` hands back the records to send.
 *
 * Every failure becomes a failed CheckStep and a fatal alert (RFC 8446 §6.2), never an exception out of `feed`.
 */
import { concatBytes } from "../tls/bytes";
import { encodeRecord } from "../tls/record";
import { decodeHandshake } from "../tls/handshake/decode";
import type { DecodedHandshake, Direction } from "../tls/handshake/types";
import type { AlertInfo, MessageInfo, RecordInfo } from "../model";
import { randomBytes, type Rng } from "./crypto/random";
import { RecordProtector } from "./recordProtection";
import type { TrafficKeys } from "./prf12";
import type { SuiteParams } from "./suites";
import type { KeySchedule13 } from "./keySchedule13";
import { encodeKeyUpdate } from "../tls/encode";
import { Transcript } from "./transcript";
import { StepLog } from "./stepLog";
import type { Actor } from "./steps";
import type { KeyPhase } from "../model";
import { AlertLevel, ContentType, HandshakeType, ProtocolVersion } from "../tls/registry";
import { Alert, alertName, ProtocolError } from "./alerts";

export interface OutRecord {
  bytes: Uint8Array;
  /** Index of the step that produced it. */
  step: number;
}

export interface EndpointOptions {
  rng?: Rng;
  log?: StepLog;
  /** Log a MessageStep for every message received too (live connections, where the peer logs nothing). */
  logReceived?: boolean;
  /** Largest handshake message accepted (default 256 KiB): bounds reassembly against hostile lengths. */
  maxHandshakeMessage?: number;
}

const MAX_RECORD_FRAGMENT = (1 << 14) + 2048;
const HANDSHAKE_FRAGMENT = 1 << 14;

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => concatBytes(a, b);

export type EndpointState = "start" | "handshake" | "connected" | "closed" | "failed";

export abstract class Endpoint {
  abstract readonly actor: Actor;
  readonly log: StepLog;
  readonly rng: Rng;
  state: EndpointState = "start";
  error?: string;
  /** Negotiated version (0x0303 / 0x0304) once known. */
  version: number | null = null;
  suite: SuiteParams | null = null;
  /** TLS 1.3 application traffic secret generation per side (advanced by KeyUpdate). */
  protected generation = { client: 0, server: 0 };
  readonly transcript = new Transcript();
  /** Every handshake message in the transcript, in order (TLS 1.2 CertificateVerify signs their concatenation). */
  readonly handshakeMessages: Uint8Array[] = [];

  // The connection as this side sees it (both directions, in order).
  readonly records: RecordInfo[] = [];
  readonly messages: MessageInfo[] = [];
  readonly alerts: AlertInfo[] = [];
  readonly appData: Uint8Array[] = [];
  readonly appBytes = { sent: 0, received: 0 };
  /** Finished verification results by direction. */
  readonly finishedVerified: { c2s: boolean | null; s2c: boolean | null } = { c2s: null, s2c: null };

  protected writeProtector: RecordProtector | null = null;
  protected readProtector: RecordProtector | null = null;
  protected writePhase: KeyPhase = "plaintext";
  protected readPhase: KeyPhase = "plaintext";
  protected readonly logReceived: boolean;
  private readonly maxHandshake: number;
  private out: OutRecord[] = [];
  private inBuf: Uint8Array = new Uint8Array(0);
  private hsBuf: Uint8Array = new Uint8Array(0);
  private hsFirstRecord = -1;
  private hsEncrypted = false;
  private hsPhase: KeyPhase = "plaintext";
  private hsRecords: Uint8Array[] = [];

  constructor(opts: EndpointOptions) {
    this.log = opts.log ?? new StepLog();
    this.rng = opts.rng ?? ((n: number) => randomBytes(n));
    this.logReceived = !!opts.logReceived;
    this.maxHandshake = opts.maxHandshakeMessage ?? 256 * 1024;
  }

  get peer(): Actor {
    return this.actor === "client" ? "server" : "client";
  }
  get sendDir(): Direction {
    return this.actor === "client" ? "c2s" : "s2c";
  }
  get recvDir(): Direction {
    return this.actor === "client" ? "s2c" : "c2s";
  }
  get tls13(): boolean {
    return this.version === ProtocolVersion.TLSv1_3;
  }
  get done(): boolean {
    return this.state === "connected" || this.state === "closed" || this.state === "failed";
  }

  /** Records waiting to be sent. */
  takeOutput(): OutRecord[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  hasOutput(): boolean {
    return this.out.length > 0;
  }

  // ------------------------------------------------------------------------------------------------ sending

  /** Add a handshake message to the transcript (and the TLS 1.2 message list). */
  absorb(raw: Uint8Array): void {
    this.transcript.add(raw);
    this.handshakeMessages.push(raw);
  }

  private decodeCtx(dir: Direction) {
    return { dir, version: this.version, cipherSuite: this.suite?.suite ?? null };
  }

  private writeRecord(type: number, fragment: Uint8Array, recordVersion: number): Uint8Array {
    if (this.writeProtector && type !== ContentType.change_cipher_spec) return this.writeProtector.seal(type, fragment);
    return encodeRecord(type, recordVersion, fragment);
  }

  private noteSentRecord(rec: Uint8Array, innerType: number): number {
    const encrypted = this.writeProtector !== null && innerType !== ContentType.change_cipher_spec;
    const info: RecordInfo = {
      dir: this.sendDir,
      type: rec[0],
      version: (rec[1] << 8) | rec[2],
      length: rec.length - 5,
      frame: this.records.length + 1,
      encrypted,
    };
    if (encrypted) {
      if (this.tls13) info.innerType = innerType;
      info.keyPhase = this.writePhase;
    } else info.keyPhase = "plaintext";
    this.records.push(info);
    return this.records.length - 1;
  }

  /** Send one handshake message: transcript (unless `inTranscript` is false), records, MessageStep, MessageInfo. */
  sendHandshake(raw: Uint8Array, opts: { inTranscript?: boolean; recordVersion?: number; note?: string } = {}): DecodedHandshake {
    if (opts.inTranscript !== false) this.absorb(raw);
    const decoded = decodeHandshake(raw, this.decodeCtx(this.sendDir), true);
    const records: Uint8Array[] = [];
    let firstRecord = -1;
    const encrypted = this.writeProtector !== null;
    for (let o = 0; o < raw.length || o === 0; o += HANDSHAKE_FRAGMENT) {
      const rec = this.writeRecord(22, raw.subarray(o, o + HANDSHAKE_FRAGMENT), opts.recordVersion ?? 0x0303);
      const idx = this.noteSentRecord(rec, 22);
      if (firstRecord < 0) firstRecord = idx;
      records.push(rec);
      if (raw.length === 0) break;
    }
    this.noteMessage(this.sendDir, decoded, firstRecord, encrypted, this.writePhase);
    // Our own Finished was computed from the keys: recomputing it matches by construction (the peer's verdict is
    // its own check step).
    if (raw[0] === 20) this.setVerified(this.sendDir, true);
    const step = this.log.message({
      actor: this.actor,
      dir: this.sendDir,
      title: decoded.name,
      contentType: 22,
      handshakeType: raw[0],
      raw,
      tree: decoded.tree,
      records,
      encrypted,
      keyPhase: this.writePhase,
      note: opts.note,
    });
    for (const r of records) this.out.push({ bytes: r, step: step.index });
    return decoded;
  }

  /** RFC 5246 §7.1 ChangeCipherSpec; in TLS 1.3 only the middlebox-compatibility record (RFC 8446 D.4). */
  sendChangeCipherSpec(note?: string): void {
    const raw = Uint8Array.of(1);
    const rec = this.writeRecord(20, raw, 0x0303);
    this.noteSentRecord(rec, 20);
    const step = this.log.message({
      actor: this.actor,
      dir: this.sendDir,
      title: "ChangeCipherSpec",
      contentType: 20,
      raw,
      records: [rec],
      encrypted: false,
      keyPhase: "plaintext",
      note,
    });
    this.out.push({ bytes: rec, step: step.index });
  }

  sendAlert(level: 1 | 2, description: number): void {
    const raw = Uint8Array.of(level, description);
    let rec: Uint8Array;
    try {
      rec = this.writeRecord(21, raw, 0x0303);
    } catch {
      return;
    }
    const encrypted = this.writeProtector !== null;
    this.noteSentRecord(rec, 21);
    this.alerts.push({ dir: this.sendDir, level, description, frame: this.records.length, encrypted });
    const step = this.log.message({
      actor: this.actor,
      dir: this.sendDir,
      title: `Alert (${level === AlertLevel.fatal ? "fatal" : "warning"}, ${alertName(description)})`,
      contentType: 21,
      raw,
      records: [rec],
      encrypted,
      keyPhase: this.writePhase,
    });
    this.out.push({ bytes: rec, step: step.index });
  }

  /** Application data (after the handshake): split into records of at most 2^14 bytes. */
  sendApplicationData(data: Uint8Array): void {
    if (this.state !== "connected" || !this.writeProtector) throw new Error("not connected");
    const records: Uint8Array[] = [];
    for (let o = 0; o < data.length; o += HANDSHAKE_FRAGMENT) {
      const rec = this.writeProtector.seal(23, data.subarray(o, o + HANDSHAKE_FRAGMENT));
      this.noteSentRecord(rec, 23);
      records.push(rec);
    }
    this.appBytes.sent += data.length;
    const step = this.log.message({
      actor: this.actor,
      dir: this.sendDir,
      title: "ApplicationData",
      contentType: 23,
      raw: data,
      records,
      encrypted: true,
      keyPhase: "application",
    });
    for (const r of records) this.out.push({ bytes: r, step: step.index });
  }

  /** close_notify (RFC 8446 §6.1). */
  close(): void {
    if (this.state === "connected") {
      this.sendAlert(1, Alert.close_notify);
      this.state = "closed";
    }
  }

  /** The TLS 1.3 key schedule and suite of an established TLS 1.3 connection (KeyUpdate's inputs), else undefined. */
  protected abstract keys13(): { ks: KeySchedule13; suite: SuiteParams } | undefined;

  /**
   * RFC 8446 §4.6.3 / §7.2: the peer sent KeyUpdate — read with its next application traffic secret, and answer
   * with our own KeyUpdate when it asked for one.
   */
  peerKeyUpdate(k: { ks: KeySchedule13; suite: SuiteParams }, requestUpdate: number | undefined): void {
    const peer = this.peer;
    k.ks.keyUpdate(peer, this.generation[peer]);
    this.generation[peer]++;
    this.setReadKeys(k.suite, k.ks.trafficKeys(k.suite, `${peer}_application_traffic_secret_${this.generation[peer]}`), "application");
    if (requestUpdate === 1) this.updateKeys(false);
  }

  /**
   * RFC 8446 §4.6.3: send KeyUpdate and switch writes to our next application traffic secret; `requestPeer` asks
   * the peer to update its own (update_requested).
   */
  updateKeys(requestPeer: boolean): void {
    const k = this.tls13 && this.state === "connected" ? this.keys13() : undefined;
    if (!k) throw new Error("KeyUpdate needs a TLS 1.3 connection");
    this.sendHandshake(encodeKeyUpdate(requestPeer ? 1 : 0), { inTranscript: false });
    const self = this.actor;
    k.ks.keyUpdate(self, this.generation[self]);
    this.generation[self]++;
    this.setWriteKeys(k.suite, k.ks.trafficKeys(k.suite, `${self}_application_traffic_secret_${this.generation[self]}`), "application");
  }

  setWriteKeys(params: SuiteParams, keys: TrafficKeys, phase: KeyPhase, etm = false): void {
    this.writeProtector = new RecordProtector(params, keys, { version: params.tls13 ? "tls13" : "tls12", encryptThenMac: etm, rng: this.rng });
    this.writePhase = phase;
  }

  setReadKeys(params: SuiteParams, keys: TrafficKeys, phase: KeyPhase, etm = false): void {
    this.readProtector = new RecordProtector(params, keys, { version: params.tls13 ? "tls13" : "tls12", encryptThenMac: etm, rng: this.rng });
    this.readPhase = phase;
  }

  private noteMessage(dir: Direction, d: DecodedHandshake, record: number, encrypted: boolean, phase: KeyPhase): void {
    const m: MessageInfo = {
      dir,
      type: d.type,
      name: d.name,
      length: d.length,
      frame: this.records.length,
      encrypted,
      fields: d.fields,
      record,
      keyPhase: phase,
      raw: d.raw,
      tree: d.tree,
    };
    if (d.error) m.error = d.error.message;
    this.messages.push(m);
  }

  /** Record a Finished verification on its MessageInfo (spec: `verified`). */
  markFinished(dir: Direction, ok: boolean): void {
    this.finishedVerified[dir] = ok;
    this.setVerified(dir, ok);
  }

  /** Set `verified` on the last Finished of a direction in this side's message list. */
  setVerified(dir: Direction, ok: boolean): void {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const m = this.messages[i];
      if (m.dir === dir && m.type === HandshakeType.finished) {
        m.verified = ok;
        if (m.fields) m.fields = { ...m.fields, verified: ok };
        break;
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ receiving

  /** Bytes from the peer. Never throws: failures end the connection with an alert and a failed check. */
  feed(data: Uint8Array): void {
    if (this.state === "failed" || this.state === "closed") return;
    try {
      this.inBuf = concat(this.inBuf, data);
      for (let guard = 0; guard < 1_000_000 && this.inBuf.length >= 5; guard++) {
        const b = this.inBuf;
        const type = b[0];
        const version = (b[1] << 8) | b[2];
        const length = (b[3] << 8) | b[4];
        if (type < ContentType.change_cipher_spec || type > ContentType.heartbeat || b[1] !== 3 || b[2] > 4)
          throw new ProtocolError(Alert.unexpected_message, `not a TLS record header: ${Buffer.from(b.subarray(0, 5)).toString("hex")}`, "record header");
        if (length > MAX_RECORD_FRAGMENT) throw new ProtocolError(Alert.record_overflow, `record length ${length} exceeds 2^14 + 2048`, "record header");
        if (b.length < 5 + length) break;
        const record = b.slice(0, 5 + length);
        this.inBuf = b.subarray(5 + length);
        this.onRecord(type, version, record);
        if (this.isOver()) break;
      }
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * The peer will send nothing more (connection closed, or a simulation with no records left in flight). A
   * handshake still in progress fails visibly, naming what was pending.
   */
  endOfInput(): void {
    if (this.state === "start" || this.state === "handshake") {
      const pending =
        this.inBuf.length >= 5
          ? `a record of ${(this.inBuf[3] << 8) | this.inBuf[4]} bytes announced, ${this.inBuf.length - 5} received`
          : `${this.inBuf.length} byte(s) of a record header`;
      const hs = this.hsBuf.length > 0 ? `, ${this.hsBuf.length} byte(s) of an incomplete handshake message` : "";
      this.fail(
        new ProtocolError(
          Alert.unexpected_message,
          `no more data from the ${this.peer} while the handshake was in progress (${pending}${hs})`,
          "handshake completes",
        ),
      );
    } else if (this.state === "connected" && this.inBuf.length > 0) {
      this.fail(
        new ProtocolError(Alert.decode_error, `the ${this.peer}'s data ended inside a record (${this.inBuf.length} byte(s) left over)`, "records complete"),
      );
    }
  }

  private isOver(): boolean {
    return this.state === "failed" || this.state === "closed";
  }

  /** Ends the connection after an error thrown by a handler. */
  protected fail(e: unknown): void {
    if (this.state === "failed") return;
    const pe = e instanceof ProtocolError ? e : new ProtocolError(Alert.internal_error, (e as Error)?.message ?? String(e), "internal error");
    if (!pe.logged) this.log.check(this.actor, pe.check, false, pe.message);
    this.error = pe.message;
    this.sendAlert(2, pe.alert);
    this.state = "failed";
  }

  private onRecord(type: number, version: number, record: Uint8Array): void {
    const fragment = record.subarray(5);
    const info: RecordInfo = { dir: this.recvDir, type, version, length: fragment.length, frame: this.records.length + 1, encrypted: false };
    this.records.push(info);
    const recordIndex = this.records.length - 1;
    // TLS 1.3 middlebox-compatibility CCS (RFC 8446 §5): a plaintext 0x01 record, ignored.
    if (type === ContentType.change_cipher_spec) {
      info.keyPhase = "plaintext";
      if (fragment.length !== 1 || fragment[0] !== 1)
        throw new ProtocolError(Alert.unexpected_message, "ChangeCipherSpec must be the single byte 0x01", "ChangeCipherSpec");
      if (this.logReceived)
        this.log.message({
          actor: this.peer,
          dir: this.recvDir,
          title: "ChangeCipherSpec",
          contentType: 20,
          raw: fragment.slice(),
          records: [record],
          encrypted: false,
          keyPhase: "plaintext",
        });
      this.onChangeCipherSpec();
      return;
    }
    let innerType = type;
    let plaintext = fragment;
    const encrypted = this.readProtector !== null;
    if (this.readProtector) {
      if (this.tls13 && type !== ContentType.application_data)
        throw new ProtocolError(Alert.unexpected_message, `plaintext record of type ${type} after keys were set`, "record protection");
      const r = this.readProtector.open(type, version, fragment);
      if (!r.ok) {
        info.encrypted = true;
        info.decryptError = r.error;
        throw new ProtocolError(
          Alert.bad_record_mac,
          `record ${info.frame} (${this.readPhase} keys, sequence ${this.readProtector.seq - 1n}): ${r.error}`,
          "record protection (integrity)",
        );
      }
      innerType = r.type;
      plaintext = r.plaintext;
      info.encrypted = true;
      info.keyPhase = this.readPhase;
      if (this.tls13) info.innerType = innerType;
    } else info.keyPhase = "plaintext";
    switch (innerType) {
      case ContentType.handshake:
        this.onHandshakeBytes(plaintext, recordIndex, record, encrypted);
        return;
      case ContentType.alert: {
        const level = plaintext.length >= 1 ? plaintext[0] : null;
        const desc = plaintext.length >= 2 ? plaintext[1] : null;
        this.alerts.push({ dir: this.recvDir, level, description: desc, frame: info.frame, encrypted });
        if (this.logReceived)
          this.log.message({
            actor: this.peer,
            dir: this.recvDir,
            title: `Alert (${level === AlertLevel.fatal ? "fatal" : "warning"}, ${alertName(desc ?? -1)})`,
            contentType: 21,
            raw: plaintext.slice(),
            records: [record],
            encrypted,
            keyPhase: this.readPhase,
          });
        if (desc === Alert.close_notify) {
          this.state = this.state === "connected" ? "closed" : "failed";
          if (this.state === "failed") this.error = "peer closed before the handshake finished";
          return;
        }
        if (level === AlertLevel.fatal || this.tls13) {
          this.log.check(this.actor, "peer alert", false, `${this.peer} sent alert ${alertName(desc ?? -1)} (${desc})`);
          this.error = `${this.peer} sent alert ${alertName(desc ?? -1)}`;
          this.state = "failed";
        }
        return;
      }
      case ContentType.application_data:
        if (this.state !== "connected") throw new ProtocolError(Alert.unexpected_message, "application data before the handshake finished", "record order");
        this.appData.push(plaintext.slice());
        this.appBytes.received += plaintext.length;
        if (this.logReceived)
          this.log.message({
            actor: this.peer,
            dir: this.recvDir,
            title: "ApplicationData",
            contentType: 23,
            raw: plaintext.slice(),
            records: [record],
            encrypted: true,
            keyPhase: this.readPhase,
          });
        this.onApplicationData(plaintext);
        return;
      default:
        throw new ProtocolError(Alert.unexpected_message, `unexpected content type ${innerType}`, "record type");
    }
  }

  private onHandshakeBytes(data: Uint8Array, recordIndex: number, record: Uint8Array, encrypted: boolean): void {
    if (this.hsBuf.length === 0) {
      this.hsFirstRecord = recordIndex;
      this.hsEncrypted = encrypted;
      this.hsPhase = encrypted ? this.readPhase : "plaintext";
      this.hsRecords = [];
    }
    this.hsRecords.push(record);
    this.hsBuf = concat(this.hsBuf, data);
    for (let guard = 0; guard < 100_000 && this.hsBuf.length >= 4; guard++) {
      const len = (this.hsBuf[1] << 16) | (this.hsBuf[2] << 8) | this.hsBuf[3];
      if (len > this.maxHandshake)
        throw new ProtocolError(Alert.decode_error, `handshake message of ${len} bytes exceeds the ${this.maxHandshake}-byte limit`, "handshake framing");
      if (this.hsBuf.length < 4 + len) break;
      const raw = this.hsBuf.slice(0, 4 + len);
      this.hsBuf = this.hsBuf.subarray(4 + len);
      const decoded = decodeHandshake(raw, this.decodeCtx(this.recvDir), true);
      this.noteMessage(this.recvDir, decoded, this.hsFirstRecord, this.hsEncrypted, this.hsPhase);
      if (this.logReceived) {
        this.log.message({
          actor: this.peer,
          dir: this.recvDir,
          title: decoded.name,
          contentType: 22,
          handshakeType: raw[0],
          raw,
          tree: decoded.tree,
          records: this.hsRecords,
          encrypted: this.hsEncrypted,
          keyPhase: this.hsPhase,
        });
      }
      if (decoded.error) {
        // Located: the field being read and its byte offset in the message, and the record that carried it.
        const e = decoded.error;
        const where = `${e.field ? `${e.field}, ` : ""}byte ${e.offset} of the ${raw.length}-byte message, record ${this.records[recordIndex]?.frame ?? recordIndex + 1}`;
        throw new ProtocolError(Alert.decode_error, `${decoded.name}: ${e.message} (${where})`, `${decoded.name} decodes`);
      }
      const keyBefore = this.readProtector;
      this.onHandshake(decoded);
      if ((this.state as EndpointState) === "failed" || (this.state as EndpointState) === "closed") return;
      // RFC 8446 §5.1: handshake messages must not span a key change.
      if (this.readProtector !== keyBefore && this.hsBuf.length > 0) {
        throw new ProtocolError(Alert.unexpected_message, "handshake data after a key change in the same record", "record boundaries");
      }
      this.hsFirstRecord = recordIndex;
      this.hsEncrypted = encrypted;
      this.hsPhase = this.readProtector ? this.readPhase : "plaintext";
      this.hsRecords = this.hsBuf.length > 0 ? [record] : [];
    }
  }

  protected abstract onHandshake(msg: DecodedHandshake): void;

  protected abstract onChangeCipherSpec(): void;
  protected onApplicationData(_data: Uint8Array): void {}

  /** `require` for a check whose passing yields a value: logged, thrown when `value` is falsy, returned narrowed. */
  must<T>(title: string, value: T | undefined | null | false | 0 | "", detail: string, alert: number): T {
    this.require(title, !!value, detail, alert);
    return value as T;
  }

  /** A check that must pass; logs it and throws (aborting the handshake) when it fails, unless `soft`. */
  require(title: string, ok: boolean, detail: string, alert: number, soft = false): void {
    this.log.check(this.actor, title, ok, detail);
    if (!ok && !soft) throw new ProtocolError(alert, `${title}: ${detail}`, title, true);
  }

  /** Log a derived secret. */
  secret(title: string, value: Uint8Array, inputs: string[], derivation: string, note?: string): void {
    this.log.secret(this.actor, title, value, inputs, derivation, note);
  }
}
