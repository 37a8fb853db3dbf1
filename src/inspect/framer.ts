/**
 * The reading thread's half of a two-thread inspection: TCP streams in, TLS records out, as a framing log
 * (framingWire.ts) for the decoding thread. It frames exactly as TlsConnection does on one thread — the same
 * RecordSplitter, the same rule that a gap is reported only once the stream has shown a record — and passes every
 * fragment except application data's, which without keys nobody reads: bulk data is skipped by counting here and
 * never copied, never crosses threads. For a summary (which lists no records) whole application-data records of a
 * stream already known to be TLS do not cross either: without keys their only effect is the byte count, which
 * goes with the connection's close.
 */
import type { TcpStreamSink } from "../capture/pipeline";
import { PreambleGate } from "../capture/preamble";
import type { CaptureError, TcpConnection, TcpDir } from "../capture/types";
import { ContentType } from "../tls/registry";
import { RecordSplitter, type RecordSink } from "../tls/recordSplitter";
import type { FramingWriter } from "./framingWire";
import type { UdpDatagram } from "../capture/udp";
import { KeyStore } from "./keyStore";
import { connectionText } from "./json";
import { QuicTracker } from "./quic/quicTracker";
import { createDecryptor } from "./lazyDecrypt";
import type { ConnectionModel } from "../model";
import type { Detail } from "./tlsConnection";

/** What the reading thread needs beyond the framing: keys (QUIC is decoded here) and how QUIC connections cross. */
export interface FramerOptions {
  /** NSS key log text: application data then crosses for the decoder to open, and QUIC is decrypted here. */
  keylog?: string;
  /** RSA keys given to the decoder: application data crosses. */
  rsaKeys?: string[];
  /** Detail of the QUIC connections decoded here (default: the document's). */
  quicDetail?: Detail;
  /** A QUIC connection as it crosses (default: its JSON object). */
  serialise?(c: ConnectionModel): string;
}

/** One direction's splitter, reporting into the log. */
class DirFramer implements RecordSink {
  readonly splitter: RecordSplitter;
  constructor(
    private readonly conn: ConnFramer,
    private readonly tcpDir: TcpDir,
  ) {
    this.splitter = new RecordSplitter(this);
  }
  wantFragment(type: number): boolean {
    // With keys the decoder opens application data too (and checks its tags): every fragment crosses.
    return this.conn.allFragments || type !== ContentType.application_data;
  }
  record(type: number, version: number, length: number, fragment: Uint8Array | null, frame: number, _offset: number, damaged: boolean): void {
    const c = this.conn;
    if (c.countAppData && c.isTls && type === ContentType.application_data && !damaged) {
      c.appData[this.tcpDir] += length;
      return;
    }
    c.recordSeen();
    c.log.record(c.tcp.id, this.tcpDir, type, version, length, fragment, frame, damaged);
  }
  recordRange(type: number, version: number, length: number, buf: Uint8Array, start: number, frame: number): void {
    const c = this.conn;
    c.recordSeen();
    c.log.recordRange(c.tcp.id, this.tcpDir, type, version, length, buf, start, frame);
  }
  invalid(reason: string, offset: number, frame: number): void {
    const c = this.conn;
    c.log.invalid(c.tcp.id, this.tcpDir, reason, offset, frame);
  }
}

class ConnFramer {
  isTls = false;
  /** Application data counted instead of logged, per TCP direction (see `countAppData`). */
  readonly appData: [number, number] = [0, 0];
  private synSent: boolean;
  readonly dirs: [DirFramer, DirFramer];
  /** Plaintext before TLS (proxies, STARTTLS) is held back here, as TlsConnection does on one thread. */
  readonly gate: PreambleGate;
  constructor(
    readonly tcp: TcpConnection,
    readonly log: FramingWriter,
    /** Summary detail: application-data records are counted, not logged. */
    readonly countAppData: boolean,
    /** Keys are available: application data's fragments are logged too. */
    readonly allFragments = false,
  ) {
    this.synSent = tcp.synSeen;
    this.dirs = [new DirFramer(this, 0), new DirFramer(this, 1)];
    this.gate = new PreambleGate((dir, b, frame, start, end) => this.dirs[dir].splitter.push(b, frame, start, end));
  }
  /**
   * A record is about to be logged: the stream is TLS from now on (as TlsConnection.isTls), and the decoder, which
   * reads `synSeen` when it meets the first ClientHello, gets its copy up to date first.
   */
  recordSeen(): void {
    this.isTls = true;
    this.syncSyn();
  }

  /** Log the SYN if it has been seen since the connection opened. */
  syncSyn(): void {
    if (!this.synSent && this.tcp.synSeen) {
      this.synSent = true;
      this.log.syn(this.tcp.id);
    }
  }
}

/**
 * A TcpStreamSink writing the framing log; capture-level errors go to `onError`. QUIC connections are decoded here
 * whole (their TLS is a few messages per connection, behind per-packet work this thread does anyway) and cross
 * as their finished JSON objects.
 */
export class RecordFramer implements TcpStreamSink {
  /** The packet timestamps readTcpStreams sets (TcpStreamSink.clock): each connection's crosses with its opening. */
  readonly clock = { micros: 0 };
  private readonly quic: QuicTracker;
  private readonly withKeys: boolean;

  constructor(
    private readonly log: FramingWriter,
    private readonly onError: (e: CaptureError) => void,
    /** The decoding side builds a summary (no record list): application-data records need not cross. */
    private readonly summary = false,
    opts: FramerOptions = {},
  ) {
    const keys = new KeyStore();
    if (opts.keylog) keys.addKeyLog(opts.keylog, "keylog");
    this.withKeys = !keys.empty || (opts.rsaKeys?.length ?? 0) > 0;
    const serialise = opts.serialise ?? ((c: ConnectionModel) => connectionText(c, summary));
    this.quic = new QuicTracker(
      {
        detail: opts.quicDetail ?? (summary ? "summary" : "json"),
        keys,
        tlsDecryptor: (random) => (keys.empty ? null : createDecryptor(random, keys, [])),
      },
      { open: () => {}, close: (id, c) => this.log.decoded(id, c ? serialise(c.model) : null) },
    );
  }

  datagram(d: UdpDatagram): void {
    this.quic.datagram(d);
  }

  /** End of input: the QUIC connections still open end (TCP's are closed by the reassembler). */
  finish(frame: number): void {
    this.quic.finish(frame);
  }

  open(tcp: TcpConnection): void {
    tcp.user = new ConnFramer(tcp, this.log, this.summary && !this.withKeys, this.withKeys);
    this.log.open(tcp.id, tcp.firstFrame, tcp.synSeen, tcp.a, tcp.b, this.clock.micros);
  }

  data(tcp: TcpConnection, dir: TcpDir, data: Uint8Array, frame: number): void {
    const c = tcp.user as ConnFramer;
    if (c.gate.through[dir]) c.dirs[dir].splitter.push(data, frame);
    else c.gate.push(dir, data, frame);
  }

  dataRange(tcp: TcpConnection, dir: TcpDir, buf: Uint8Array, start: number, end: number, frame: number): void {
    const c = tcp.user as ConnFramer;
    if (c.gate.through[dir]) c.dirs[dir].splitter.push(buf, frame, start, end);
    else c.gate.push(dir, buf, frame, start, end);
  }

  gap(tcp: TcpConnection, dir: TcpDir, bytes: number, frame: number): void {
    const c = tcp.user as ConnFramer;
    c.gate.gap(dir);
    // As TlsConnection.gap: a stream that has not shown a record yet is not (yet) TLS; nothing to report.
    if (!c.isTls) return;
    this.log.gap(tcp.id, dir, bytes, frame);
    c.dirs[dir].splitter.gap(bytes, frame);
  }

  close(tcp: TcpConnection, frame: number): void {
    const c = tcp.user as ConnFramer;
    tcp.user = null;
    c.gate.close();
    c.syncSyn();
    const pre = c.gate.preamble;
    if (pre) this.log.preamble(tcp.id, pre.protocol, pre.target, pre.bytes[0], pre.bytes[1]);
    const [s0, s1] = [c.dirs[0].splitter, c.dirs[1].splitter];
    this.log.close(tcp.id, frame, s0.pendingBytes(), s0.dead, s1.pendingBytes(), s1.dead, c.appData[0], c.appData[1]);
  }

  error(e: CaptureError): void {
    this.onError(e);
  }

  captureError(e: CaptureError): void {
    this.onError(e);
  }
}
