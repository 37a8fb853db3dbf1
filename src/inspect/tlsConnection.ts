/**
 * One TLS connection over a reassembled TCP connection: records per direction, handshake messages reassembled
 * across records, decryption when a decryptor has keys, and the connection model every view reads.
 */
import { PreambleGate, type Preamble } from "../capture/preamble";
import type { TcpConnection, TcpDir } from "../capture/types";
import { decodeHandshake } from "../tls/handshake/decode";
import { scanHandshake, type HandshakeScan } from "../tls/handshake/scan";
import type { DecodedHandshake, Direction } from "../tls/handshake/types";
import { encodeRecord } from "../tls/record";
import { ContentType, ExtensionType, HandshakeType, ProtocolVersion } from "../tls/registry";
import type { FieldNode } from "../tls/field";
import { ja4, ja4Input, type Ja4Result } from "../tls/fingerprint/ja4";
import { ja4FromBytes } from "../tls/fingerprint/ja4Scan";
import { ja4Node } from "../tls/fingerprint/ja4Tree";
import { annotateEch } from "./echVerdict";
import { RecordSplitter, type RecordSink } from "../tls/recordSplitter";
import { ByteQueue } from "./byteQueue";
import type { ConnectionDecryptor } from "./decryptorTypes";
import type { AlertInfo, ConnectionModel, KeyPhase, LocatedError, MessageInfo, PreambleModel, RecordInfo } from "../model";
import { diagnose, newFacts, type KeyContext } from "./diagnose";
import { keepForDiagnosis } from "./diagnose/keep";

/**
 * How much of each message the model keeps: `summary` (names and sizes), `fields` (plus the spec's `fields`
 * objects), `json` (the same fields, kept as their JSON text: what `inspect --json` writes; a string per message
 * instead of an object graph that lives as long as its connection, which on a large capture is most of the
 * garbage collector's work) and `full` (plus bytes and field trees).
 */
export type Detail = "summary" | "fields" | "json" | "full";

/** Hard bounds against hostile input (see SECURITY.md). */
export const LIMITS = {
  /** RFC 8446 §4: a handshake message's length is a uint24, so at most 2^24 - 1 bytes. */
  maxHandshakeMessage: (1 << 24) - 1,
  /** Records kept per connection in the model (framing continues past it; a located error says so). */
  maxRecordsPerConnection: 100_000,
  /** Handshake messages kept per connection. */
  maxMessagesPerConnection: 10_000,
  /** Alerts and located errors kept per connection (the rest are counted in one closing entry). */
  maxAlertsPerConnection: 1_000,
  maxErrorsPerConnection: 1_000,
};

export interface TlsConnectionOptions {
  detail: Detail;
  /** Creates a decryptor once the ClientHello's random is known (null: no keys for it). */
  decryptorFor?(clientRandom: Uint8Array, conn: TlsConnection): ConnectionDecryptor | null;
  /** Whether any key is available at all (else message bytes need not be kept for a decryptor). */
  mayDecrypt?(): boolean;
  /** The keys given, for the decryption diagnoses (src/inspect/diagnose). */
  keys?: KeyContext | null;
  /** Full detail without the bytes (false): field trees for the text, no copies of records and messages. */
  keepBytes?: boolean;
  /** The timestamp (µs since the epoch) of the packet being read, for checking certificates at the capture's time. */
  clock?: { micros: number };
  /**
   * Full detail for the readable text: each message's field tree made into its lines (MessageInfo.treeText) as
   * soon as it is decoded, and neither the tree nor the `fields` kept. A connection lives for thousands of packets
   * of the others, so its trees outlived V8's young generation and were copied and marked until its end: most of
   * the text's garbage collection. The trees the ECH verdict reads at the end (annotateEch) are kept.
   */
  treeText?(tree: FieldNode): Uint8Array;
}

/** encrypted_client_hello's code point (0xfe0d) as bytes. */
const ECH_HI = ExtensionType.encrypted_client_hello >> 8;
const ECH_LO = ExtensionType.encrypted_client_hello & 0xff;

/**
 * Whether `raw` holds the bytes of encrypted_client_hello's code point anywhere: a message without them has no
 * extension of that type, so none of the nodes annotateEch looks for (encrypted_client_hello, its retry_configs).
 */
function mayCarryEch(raw: Uint8Array): boolean {
  for (let i = raw.indexOf(ECH_HI); i >= 0 && i + 1 < raw.length; i = raw.indexOf(ECH_HI, i + 1)) if (raw[i + 1] === ECH_LO) return true;
  return false;
}

interface DirState {
  /** Null when the records are framed elsewhere (see `framedRecord`). */
  splitter: RecordSplitter | null;
  hs: ByteQueue;
  /** Index in `records` of the record holding the first byte of the message being reassembled. */
  hsRecord: number;
  /** The pending handshake bytes came from a protected record. */
  hsEncrypted: boolean;
  /** TLS 1.2: a ChangeCipherSpec was seen, later records in this direction are protected. */
  ccs: boolean;
  appDataBytes: number;
  /** Too many handshake messages: nothing more from this direction is decoded or reported. */
  stopped: boolean;
}

/** What a message tells the connection (see TlsConnection.learn); the summary scanner's result is one. */
type HelloFacts = Pick<HandshakeScan, "name" | "sni" | "selectedVersion" | "legacyVersion" | "cipherSuite" | "alpn">;

/** The record framing's state at the end of a stream framed outside the connection (see `close`). */
export interface FramingEnd {
  /** Bytes of an unfinished record, per TCP direction. */
  pending: [number, number];
  /** Framing was lost, per TCP direction. */
  dead: [boolean, boolean];
  /** Application data the framer counted instead of passing its records (summary detail), per TCP direction. */
  appData: [number, number];
}

export class TlsConnection {
  readonly model: ConnectionModel;
  /** Whether any valid TLS record was seen. */
  isTls = false;
  /** The TCP initiator is the TLS client (false when a ClientHello came from the responder). */
  private clientIsA = true;
  private readonly dirs: [DirState, DirState];
  private decryptor: ConnectionDecryptor | null = null;
  private sawClientHello = false;
  private sawServerHello = false;
  private tls13 = false;
  private recordsTruncated = false;
  /** A protected record whose plaintext a transcript supplies (see `protectedRecord`). */
  private preOpened: { innerType: number | null; plaintext: Uint8Array | null } | null = null;
  private transcriptDecrypted = false;
  /** TLS 1.3 key phase per direction when plaintext comes from a transcript (advanced by each Finished). */
  private readonly transcriptPhase: Record<Direction, KeyPhase> = { c2s: "handshake", s2c: "handshake" };
  /** Plaintext before TLS (proxies, STARTTLS), held back from the framing until TLS starts (own framing only). */
  private readonly gate: PreambleGate | null;
  /** A preamble found by the thread that framed the records (see `framedPreamble`). */
  private framedPre: Preamble | null = null;
  /** What the diagnoses need beside the model (a few messages' bytes, decryption outcomes). */
  private readonly facts = newFacts();
  /** TLS 1.2: protected handshake records per direction (the first is the Finished; later ones renegotiate). */
  private readonly protectedHandshake: [number, number] = [0, 0];

  constructor(
    readonly tcp: TcpConnection,
    private readonly opts: TlsConnectionOptions,
    /**
     * False when another thread splits the streams into records and feeds them to `framedRecord` and
     * `framingInvalid` (then `data` is not used and `close` is told the framing's end state).
     */
    ownFraming = true,
  ) {
    this.model = {
      id: tcp.id,
      transport: "tcp",
      preamble: null,
      client: tcp.a,
      server: tcp.b,
      version: null,
      cipherSuite: null,
      sni: null,
      alpn: null,
      decrypted: false,
      ja4: null,
      ja4_r: null,
      records: [],
      messages: [],
      alerts: [],
      errors: [],
      appDataBytes: { c2s: 0, s2c: 0 },
      firstFrame: tcp.firstFrame,
    };
    this.dirs = [this.makeDir(0, ownFraming), this.makeDir(1, ownFraming)];
    this.gate = ownFraming ? new PreambleGate((dir, b, frame, start, end) => this.dirs[dir].splitter!.push(b, frame, start, end)) : null;
    const micros = opts.clock?.micros;
    // Whole seconds, as the two-thread framing log carries them (certificate validity is to the second).
    this.facts.timeMs = micros ? Math.floor(micros / 1e6) * 1000 : null;
  }

  private makeDir(tcpDir: TcpDir, ownFraming: boolean): DirState {
    const sink: RecordSink | null = !ownFraming
      ? null
      : {
          wantFragment: (type) => this.wantFragment(tcpDir, type),
          record: (type, version, length, fragment, frame, offset, damaged) => this.onRecord(tcpDir, type, version, length, fragment, frame, offset, damaged),
          invalid: (reason, offset, frame) => this.onInvalid(tcpDir, reason, offset, frame),
        };
    return {
      splitter: sink && new RecordSplitter(sink),
      hs: new ByteQueue(),
      hsRecord: 0,
      hsEncrypted: false,
      ccs: false,
      appDataBytes: 0,
      stopped: false,
    };
  }

  private droppedErrors = 0;
  private droppedAlerts = 0;

  /** Record a located error, up to the per-connection bound. */
  private error(e: LocatedError): void {
    if (this.model.errors.length < LIMITS.maxErrorsPerConnection) this.model.errors.push(e);
    else this.droppedErrors++;
  }

  private alert(a: AlertInfo): void {
    if (this.model.alerts.length < LIMITS.maxAlertsPerConnection) this.model.alerts.push(a);
    else this.droppedAlerts++;
  }

  /**
   * Whether a message of `type` is copied out of its record: when something keeps its bytes past the call — the
   * full model, or a decryptor (which reads its hellos' randoms, session id and extensions at later records; it
   * copies its transcript itself). Other messages are views, which die with their record.
   */
  private retainMessage(type: number): boolean {
    if (this.opts.detail === "full" && this.opts.keepBytes !== false) return true;
    if (type !== HandshakeType.client_hello && type !== HandshakeType.server_hello) return false;
    return this.decryptor !== null || (!this.sawClientHello && (this.opts.mayDecrypt?.() ?? false));
  }

  private dirOf(tcpDir: TcpDir): Direction {
    return (tcpDir === 0) === this.clientIsA ? "c2s" : "s2c";
  }

  // ---- input from the TCP layer ----

  /** In-order stream bytes `bytes[start..end)` of one TCP direction. */
  data(tcpDir: TcpDir, bytes: Uint8Array, frame: number, start = 0, end = bytes.length): void {
    const gate = this.gate;
    if (gate === null || gate.through[tcpDir]) this.dirs[tcpDir].splitter?.push(bytes, frame, start, end);
    else gate.push(tcpDir, bytes, frame, start, end);
  }

  /**
   * A record framed by another thread, which passes every fragment but application data's: the ones this
   * connection would not have asked for (see `wantFragment`) are dropped here, so the outcome is the same.
   */
  framedRecord(tcpDir: TcpDir, type: number, version: number, length: number, fragment: Uint8Array | null, frame: number, damaged: boolean): void {
    if (fragment && !this.wantFragment(tcpDir, type)) fragment = null;
    this.onRecord(tcpDir, type, version, length, fragment, frame, 0, damaged);
  }

  /** What preceded TLS, found by the thread that framed the records (sent before the connection's close). */
  framedPreamble(p: Preamble): void {
    this.framedPre = p;
  }

  /** Framing by another thread failed (see RecordSink.invalid). */
  framingInvalid(tcpDir: TcpDir, reason: string, offset: number, frame: number): void {
    this.onInvalid(tcpDir, reason, offset, frame);
  }

  /**
   * A protected record whose plaintext is known without keys (OpenSSL `-msg` output prints the decrypted
   * content). It is framed like any record, marked encrypted, and its content decoded.
   */
  protectedRecord(
    tcpDir: TcpDir,
    r: { type: number; version: number; length: number; innerType: number | null; plaintext: Uint8Array | null },
    frame: number,
  ): void {
    this.preOpened = { innerType: r.innerType, plaintext: r.plaintext };
    // Protected in the record layer's eyes even when it is the first record after a TLS 1.2 CCS.
    const d = this.dirs[tcpDir];
    const wasCcs = d.ccs;
    if (!this.tls13 && r.type !== ContentType.application_data) d.ccs = true;
    this.onRecord(tcpDir, r.type, r.version, r.length, null, frame, 0, false);
    d.ccs = wasCcs || d.ccs;
    this.preOpened = null;
  }

  gap(tcpDir: TcpDir, bytes: number, frame: number): void {
    this.gate?.gap(tcpDir);
    if (!this.isTls) return;
    this.error({ frame, message: `${this.dirOf(tcpDir)}: ${bytes} byte(s) missing from the capture` });
    this.dirs[tcpDir].splitter?.gap(bytes, frame);
  }

  close(frame: number, framing?: FramingEnd): void {
    this.model.lastFrame = frame;
    this.gate?.close();
    const pre = this.gate ? this.gate.preamble : this.framedPre;
    if (pre) this.model.preamble = this.preambleModel(pre);
    for (const tcpDir of [0, 1] as const) {
      const d = this.dirs[tcpDir];
      if (d.stopped) continue;
      if (framing) d.appDataBytes += framing.appData[tcpDir];
      const pending = framing ? framing.pending[tcpDir] : d.splitter!.pendingBytes();
      const dead = framing ? framing.dead[tcpDir] : d.splitter!.dead;
      if (this.isTls && pending > 0 && !dead) {
        this.error({ frame, message: `${this.dirOf(tcpDir)}: stream ends inside a record (${pending} byte(s) of it captured)` });
      }
      if (this.isTls && d.hs.length > 0) {
        this.error({ frame, message: `${this.dirOf(tcpDir)}: stream ends inside a handshake message (${d.hs.length} byte(s) of it captured)` });
      }
    }
    if (this.droppedAlerts)
      this.model.errors.push({ frame, message: `${this.droppedAlerts} more alert(s) not listed (bound ${LIMITS.maxAlertsPerConnection})` });
    if (this.droppedErrors)
      this.model.errors.push({ frame, message: `${this.droppedErrors} more error(s) not listed (bound ${LIMITS.maxErrorsPerConnection})` });
    if (this.transcriptDecrypted) this.model.decrypted = true;
    if (this.decryptor) {
      this.model.decrypted ||= this.decryptor.decrypted;
      const secrets = this.decryptor.secrets();
      if (secrets.length) this.model.secrets = secrets;
    }
    this.model.appDataBytes = {
      c2s: this.dirs[this.clientIsA ? 0 : 1].appDataBytes,
      s2c: this.dirs[this.clientIsA ? 1 : 0].appDataBytes,
    };
    if (this.opts.detail === "full") annotateEch(this.model);
    this.facts.synSeen = this.tcp.synSeen;
    if (this.isTls) this.model.diagnoses = diagnose(this.model, this.facts, this.opts.keys ?? null);
  }

  private preambleModel(p: Preamble): PreambleModel {
    const [c2s, s2c] = this.clientIsA ? p.bytes : [p.bytes[1], p.bytes[0]];
    return { protocol: p.protocol, target: p.target, c2sBytes: c2s, s2cBytes: s2c };
  }

  // ---- records ----

  private isProtected(tcpDir: TcpDir, type: number): boolean {
    if (type === ContentType.application_data) return true;
    // TLS 1.2: after ChangeCipherSpec every record of that direction is protected, a renegotiation's ChangeCipherSpec
    // included (RFC 5246 §6.1: the new keys start after it; it travels under the current ones). TLS 1.3 sends only
    // application_data records once keys are in use, and its CCS changes nothing — RFC 8446 §5.
    return !this.tls13 && this.dirs[tcpDir].ccs;
  }

  private wantFragment(tcpDir: TcpDir, type: number): boolean {
    if (!this.isProtected(tcpDir, type)) return true;
    return this.decryptor !== null && this.decryptor.canOpen(this.dirOf(tcpDir));
  }

  private onInvalid(tcpDir: TcpDir, reason: string, offset: number, frame: number): void {
    // A stream that never carried a valid record is simply not TLS: no error, it is not listed.
    if (!this.isTls || this.dirs[tcpDir].stopped) return;
    this.error({ frame, offset, message: `${this.dirOf(tcpDir)}: ${reason}` });
  }

  private onRecord(
    tcpDir: TcpDir,
    type: number,
    version: number,
    length: number,
    fragment: Uint8Array | null,
    frame: number,
    _offset: number,
    damaged: boolean,
  ): void {
    this.isTls = true;
    const d = this.dirs[tcpDir];
    if (d.stopped) return;
    const dir = this.dirOf(tcpDir);
    const keep = this.opts.detail !== "summary";
    const records = this.model.records;
    const protectedRecord = this.isProtected(tcpDir, type);
    let info: RecordInfo | undefined;
    if (keep) {
      if (records.length < LIMITS.maxRecordsPerConnection) {
        info = { dir, type, version, length, frame, encrypted: protectedRecord };
        records.push(info);
      } else if (!this.recordsTruncated) {
        this.recordsTruncated = true;
        this.error({ frame, message: `more than ${LIMITS.maxRecordsPerConnection} records: the rest are not listed` });
      }
      if (info && this.opts.detail === "full" && this.opts.keepBytes !== false && fragment) {
        (info as RecordInfo & { raw?: Uint8Array }).raw = encodeRecord(type, version, fragment);
      }
    }
    const recordIndex = records.length - 1;
    if (damaged) {
      this.error({ frame, message: `${dir}: record of type ${type} is missing bytes (not captured)` });
      return;
    }

    let contentType = type;
    let content = fragment;
    let encrypted = false;
    let phase: KeyPhase = "plaintext";
    if (protectedRecord) {
      encrypted = true;
      this.facts.protectedRecords[dir]++;
      if (type === ContentType.handshake && !this.tls13 && ++this.protectedHandshake[tcpDir] > 1 && this.facts.lateHandshakeFrames.length < 8) {
        this.facts.lateHandshakeFrames.push(frame);
      }
      const known = this.preOpened;
      this.preOpened = null;
      if (known) {
        // The transcript already holds this record's plaintext (OpenSSL printed it after decrypting).
        content = known.plaintext;
        if (known.innerType !== null) contentType = known.innerType;
        if (content) {
          phase = this.tls13 ? (dir === "c2s" ? this.transcriptPhase.c2s : this.transcriptPhase.s2c) : "application";
          if (info) {
            info.keyPhase = phase;
            if (this.tls13 && known.innerType !== null) info.innerType = known.innerType;
          }
          this.transcriptDecrypted = true;
        }
      } else if (fragment && this.decryptor && this.decryptor.canOpen(dir)) {
        const r = this.decryptor.open(dir, type, version, fragment);
        if (r.ok) {
          this.facts.opened[dir]++;
          contentType = r.type;
          content = r.plaintext;
          phase = r.phase;
          if (info) {
            info.keyPhase = phase;
            if (this.tls13) info.innerType = r.type;
          }
        } else {
          content = null;
          if (info) info.decryptError = r.error;
          this.facts.decryptFailures[dir] ??= { dir, record: info ? recordIndex : -1, frame, error: r.error };
          this.error({
            frame,
            message: `${dir}: cannot decrypt record ${recordIndex >= 0 ? recordIndex : ""} (type ${type}): ${r.error}`.replace("record  ", "record "),
          });
        }
      } else {
        content = null;
      }
    }

    switch (contentType) {
      case ContentType.handshake:
        if (content) this.onHandshakeBytes(tcpDir, content, frame, recordIndex, encrypted, phase);
        break;
      case ContentType.alert:
        this.onAlert(dir, content, frame, encrypted, length);
        break;
      case ContentType.change_cipher_spec:
        // TLS 1.2's CCS switches the sender to the new keys; it always follows ServerHello. TLS 1.3 (and a CCS
        // sent for middlebox compatibility before or after a HelloRetryRequest) changes nothing (RFC 8446 §D.4).
        // A protected one (a renegotiation's) switches to the new handshake's keys once it is opened.
        if (this.sawServerHello && !this.tls13) {
          d.ccs = true;
          if (this.decryptor) this.decryptor.changeCipherSpec(dir);
        }
        break;
      case ContentType.application_data:
        d.appDataBytes += content ? content.length : length;
        break;
      default:
        break;
    }
  }

  private onAlert(dir: Direction, content: Uint8Array | null, frame: number, encrypted: boolean, length: number): void {
    if (!content) {
      // A protected alert without keys: the record is there, its meaning is not.
      if (encrypted && !this.tls13) this.alert({ dir, level: null, description: null, frame, encrypted: true });
      return;
    }
    if (content.length !== 2) {
      this.error({ frame, message: `${dir}: alert record has ${content.length} bytes, expected 2 (record length ${length})` });
      if (content.length < 2) return;
    }
    const a: AlertInfo = { dir, level: content[0], description: content[1], frame, encrypted };
    this.alert(a);
  }

  // ---- handshake messages ----

  private onHandshakeBytes(tcpDir: TcpDir, bytes: Uint8Array, frame: number, recordIndex: number, encrypted: boolean, phase: KeyPhase): void {
    const d = this.dirs[tcpDir];
    if (d.hs.length === 0) {
      d.hsRecord = recordIndex;
    } else if (d.hsEncrypted !== encrypted) {
      // RFC 8446 §5.1: handshake messages must not span a change of keys.
      this.error({ frame, message: `${this.dirOf(tcpDir)}: handshake message spans a key change; ${d.hs.length} pending byte(s) dropped` });
      d.hs.clear();
      d.hsRecord = recordIndex;
    }
    d.hsEncrypted = encrypted;
    if (d.hs.length === 0) {
      // Fast path: whole messages inside this record are cut straight from it; only a tail goes to the queue.
      let off = 0;
      while (bytes.length - off >= 4) {
        const len = (bytes[off + 1] << 16) | (bytes[off + 2] << 8) | bytes[off + 3];
        if (bytes.length - off < 4 + len) break;
        // A copy only when something may keep the bytes (see retainMessage).
        const owned = this.retainMessage(bytes[off]);
        const raw = owned ? bytes.slice(off, off + 4 + len) : bytes.subarray(off, off + 4 + len);
        this.onMessage(tcpDir, raw, owned, frame, recordIndex, encrypted, phase);
        off += 4 + len;
        if (this.model.messages.length >= LIMITS.maxMessagesPerConnection) return this.tooManyMessages(d, frame);
      }
      if (off === bytes.length) return;
      bytes = bytes.subarray(off);
      d.hsRecord = recordIndex;
    }
    d.hs.push(bytes);
    // Each iteration removes a whole message (at least its 4-byte header), so the loop is bounded.
    while (d.hs.length >= 4) {
      const len = (d.hs.at(1) << 16) | (d.hs.at(2) << 8) | d.hs.at(3);
      if (d.hs.length < 4 + len) break;
      // A copy of the queue's bytes: owned.
      const raw = d.hs.take(4 + len);
      this.onMessage(tcpDir, raw, true, frame, d.hsRecord, encrypted, phase);
      d.hsRecord = recordIndex;
      if (this.model.messages.length >= LIMITS.maxMessagesPerConnection) return this.tooManyMessages(d, frame);
    }
  }

  private tooManyMessages(d: DirState, frame: number): void {
    this.error({ frame, message: `more than ${LIMITS.maxMessagesPerConnection} handshake messages: the rest are not decoded` });
    d.hs.clear();
    d.stopped = true;
  }

  /** A whole handshake message; `owned`: `raw` is a copy of its own (else a view of a buffer that is reused). */
  private onMessage(tcpDir: TcpDir, raw: Uint8Array, owned: boolean, frame: number, recordIndex: number, encrypted: boolean, phase: KeyPhase): void {
    const type = raw[0];
    // A connection captured mid-stream: the first ClientHello tells which side is the client.
    if (type === HandshakeType.client_hello && !this.sawClientHello && !this.tcp.synSeen && tcpDir === 1 && this.clientIsA) {
      this.swapSides();
    }
    const dir = this.dirOf(tcpDir);
    const model = this.model;
    // A summary without keys needs only names and the hellos' values: the scanner checks the message against the
    // same grammar without building its fields, and defers to the full decoder for anything it cannot vouch for.
    if (this.opts.detail === "summary" && !this.decryptor && this.summaryMessage(raw, frame, dir, encrypted)) return;
    const annotate = this.opts.detail === "full";
    const msg = decodeHandshake(raw, { dir, version: model.version, cipherSuite: model.cipherSuite }, annotate);
    const det = msg.details;
    const facts: HelloFacts = {
      name: msg.name,
      sni: det.sni ?? null,
      selectedVersion: det.selectedVersion ?? null,
      legacyVersion: (msg.fields.legacyVersion as number | undefined) ?? null,
      cipherSuite: det.cipherSuite ?? null,
      alpn: det.alpn?.[0] ?? null,
    };
    const firstClientHello = this.learn(type, dir, facts);
    if (firstClientHello) this.fingerprint(msg);
    if (firstClientHello && det.random && this.opts.decryptorFor) this.decryptor = this.opts.decryptorFor(det.random, this);

    let verified: boolean | null | undefined;
    if (this.decryptor) {
      verified = this.decryptor.message(dir, msg, { version: model.version, cipherSuite: model.cipherSuite });
    }
    if (type === HandshakeType.finished) verified ??= null;

    const info: MessageInfo = { dir, type, name: msg.name, length: msg.length, frame, encrypted };
    const treeText = annotate && msg.tree && this.opts.treeText && !mayCarryEch(raw) ? this.opts.treeText : undefined;
    if (this.opts.detail !== "summary") {
      const fields = type === HandshakeType.finished ? { ...msg.fields, verified: verified ?? null } : msg.fields;
      if (this.opts.detail === "json") info.fieldsJson = JSON.stringify(fields);
      else if (!treeText) info.fields = fields;
      if (recordIndex >= 0) info.record = recordIndex;
      info.keyPhase = phase;
    }
    if (type === HandshakeType.finished) {
      info.verified = verified ?? null;
      this.transcriptPhase[dir] = "application";
    }
    if (msg.error) {
      info.error = msg.error.message;
      this.error({ frame, message: `${dir} ${msg.name}: ${msg.error.message} (field ${msg.error.field}, byte ${msg.error.offset})` });
    }
    const keepRaw = annotate && this.opts.keepBytes !== false;
    if (keepRaw) info.raw = raw;
    if (treeText) info.treeText = treeText(msg.tree!);
    else if (annotate && msg.tree) info.tree = msg.tree;
    model.messages.push(info);
    if (!keepRaw) keepForDiagnosis(this.facts, model.messages, raw, owned);
  }

  /** JA4 of the first ClientHello; with a field tree, the fingerprint's node after the message's own fields. */
  private fingerprint(msg: DecodedHandshake): void {
    const input = ja4Input(msg, "tcp");
    if (!input) return;
    const r = ja4(input);
    this.setFingerprint(r);
    if (msg.tree) msg.tree.children = [...(msg.tree.children ?? []), ja4Node(msg.tree, r)];
  }

  private setFingerprint(r: Pick<Ja4Result, "ja4" | "ja4_r">): void {
    this.model.ja4 = r.ja4;
    this.model.ja4_r = r.ja4_r;
  }

  /** The summary's fast path (see scanHandshake): false when the message needs the full decoder. */
  private summaryMessage(raw: Uint8Array, frame: number, dir: Direction, encrypted: boolean): boolean {
    const model = this.model;
    const s = scanHandshake(raw, model.version, model.cipherSuite);
    if (!s) return false;
    const type = s.type;
    // With keys around, the first ClientHello may start a decryptor, which reads the decoded message.
    if (type === HandshakeType.client_hello && dir === "c2s" && !this.sawClientHello && this.opts.mayDecrypt?.()) return false;
    if (this.learn(type, dir, s)) {
      // The scanner vouched for the message: JA4 reads its lists from the bytes (the decoder would build them all).
      const r = ja4FromBytes(raw, "tcp");
      if (r) this.setFingerprint(r);
    }
    const info: MessageInfo = { dir, type, name: s.name, length: s.length, frame, encrypted };
    if (type === HandshakeType.finished) {
      info.verified = null;
      this.transcriptPhase[dir] = "application";
    }
    model.messages.push(info);
    keepForDiagnosis(this.facts, model.messages, raw, false);
    return true;
  }

  /**
   * What the client's first ClientHello (SNI), a ServerHello or HelloRetryRequest (version, suite, ALPN — RFC 8446
   * §4.1.3–4) and EncryptedExtensions (ALPN) fix for the connection, from either decoder. Returns true for the
   * client's first ClientHello.
   */
  private learn(type: number, dir: Direction, f: HelloFacts): boolean {
    const model = this.model;
    if (type === HandshakeType.client_hello && dir === "c2s" && !this.sawClientHello) {
      this.sawClientHello = true;
      if (f.sni !== null) model.sni = f.sni;
      return true;
    }
    if (type === HandshakeType.server_hello && dir === "s2c" && f.name === "ServerHello") {
      this.sawServerHello = true;
      const version = f.selectedVersion ?? f.legacyVersion;
      model.version = version;
      model.cipherSuite = f.cipherSuite;
      this.tls13 = version === ProtocolVersion.TLSv1_3;
      if (f.alpn !== null) model.alpn = f.alpn;
    } else if (type === HandshakeType.server_hello && f.name === "HelloRetryRequest") {
      // The HRR fixes version and suite too (RFC 8446 §4.1.4); the real ServerHello repeats them.
      if (f.selectedVersion !== null) model.version = f.selectedVersion;
      this.tls13 = true;
      if (f.cipherSuite !== null) model.cipherSuite = f.cipherSuite;
    } else if (type === HandshakeType.encrypted_extensions && f.alpn !== null) {
      model.alpn = f.alpn;
    }
    return false;
  }

  private swapSides(): void {
    this.clientIsA = false;
    const m = this.model;
    const t = m.client;
    m.client = m.server;
    m.server = t;
    const flip = (d: Direction): Direction => (d === "c2s" ? "s2c" : "c2s");
    for (const r of m.records) r.dir = flip(r.dir);
    for (const a of m.alerts) a.dir = flip(a.dir);
    for (const msg of m.messages) msg.dir = flip(msg.dir);
  }
}

export type { DecodedHandshake };
