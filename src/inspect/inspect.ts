/**
 * Inspection: a capture or transcript in, the analysis model out — streamed connection by connection.
 */
import * as fs from "node:fs";
import { NotACaptureError, readHead, readTcpStreams, sniffFormat } from "../capture/pipeline";
import { detectTranscriptKind, parseOpensslMsg, parseTranscript, transcriptStreams } from "../capture/transcript";
import type { CaptureError, DecryptionSecrets, TcpConnection } from "../capture/types";
import type { TranscriptSink } from "../capture/transcript";
import type { UdpDatagram } from "../capture/udp";
import { KeyStore } from "./keyStore";
import { createDecryptor } from "./lazyDecrypt";
import type { CaptureModel, ConnectionModel, InputFormat, LocatedError } from "../model";
import { OrderedEmitter } from "./orderedEmitter";
import { TlsConnection, type Detail, type TlsConnectionOptions } from "./tlsConnection";
import { QuicTracker } from "./quic/quicTracker";
import type { KeyContext } from "./diagnose";

export interface InspectOptions {
  /** NSS key log text (SSLKEYLOGFILE format). */
  keylog?: string;
  /** PEM private keys for RSA key transport. */
  rsaKeys?: string[];
  /** summary: messages without fields or records; fields: spec fields and records; full: also bytes and trees. */
  detail?: Detail;
  /** With detail `full`, false leaves out the bytes (of records and messages) and keeps the field trees: the text. */
  keepBytes?: boolean;
  /** Called with bytes read so far; return false to cancel. */
  onProgress?(done: number, total: number): boolean;
  /** See TlsConnectionOptions.treeText. */
  treeText?: TlsConnectionOptions["treeText"];
}

export interface StreamOptions<T = ConnectionModel> extends InspectOptions {
  /**
   * What is kept of a connection from its end until its turn comes (by default the model itself). Connections
   * end out of order, and a large capture can hold thousands that wait for an earlier one: a reader that needs
   * only, say, the connection's text keeps that instead of the model with its field trees.
   */
  prepare?(conn: ConnectionModel): T;
  /** Each TLS connection (as `prepare` made it), in id order, as soon as it and every earlier one have ended. */
  onConnection(conn: T): void;
}

export interface InspectSummary {
  input: CaptureModel["input"];
  errors: LocatedError[];
}

/** The file is neither a capture nor a transcript. */
export class UnsupportedInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedInputError";
  }
}

/** Capture-level errors kept (the rest are counted in one closing entry). */
export const MAX_CAPTURE_ERRORS = 1_000;

/** A capture's own errors, bounded like a connection's (a file of a million broken packets stays small). */
export class CaptureErrors {
  readonly list: LocatedError[] = [];
  private dropped = 0;

  add(e: LocatedError): void {
    if (this.list.length < MAX_CAPTURE_ERRORS) this.list.push(e);
    else this.dropped++;
  }

  /** The list, closed with the count of those left out. */
  finish(): LocatedError[] {
    if (this.dropped) this.list.push({ message: `${this.dropped} more error(s) not listed (bound ${MAX_CAPTURE_ERRORS})` });
    this.dropped = 0;
    return this.list;
  }
}

const TLS_KEYLOG_SECRETS = 0x544c534b; // pcapng DSB secrets type "TLSK"

function looksLikeText(head: Uint8Array): boolean {
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0 || (b < 0x20 && b !== 9 && b !== 10 && b !== 13)) return false;
  }
  return true;
}

/** Inspect a file or bytes, streaming connections to `onConnection`. */
export function inspectStream<T = ConnectionModel>(input: string | Uint8Array, name: string, opts: StreamOptions<T>): InspectSummary {
  const detail = opts.detail ?? "fields";
  const keys = new KeyStore();
  if (opts.keylog) keys.addKeyLog(opts.keylog, "keylog");
  const rsaKeys = opts.rsaKeys ?? [];
  const errors = new CaptureErrors();
  const addError = (e: LocatedError) => errors.add(e);
  const emitter = new OrderedEmitter<T>(opts.onConnection);
  const prepare = opts.prepare ?? ((c: ConnectionModel) => c as T);

  const decryptorFor = (clientRandom: Uint8Array) => (keys.has(clientRandom) || rsaKeys.length ? createDecryptor(clientRandom, keys, rsaKeys) : null);

  const clock = { micros: 0 };
  const keyContext: KeyContext = {
    labelsFor: (random) => keys.labelsFor(random),
    get loggedRandoms() {
      return keys.loggedRandoms;
    },
    rsaKeys,
  };
  const connOpts = {
    detail,
    decryptorFor,
    mayDecrypt: () => !keys.empty || rsaKeys.length > 0,
    keys: keyContext,
    clock,
    keepBytes: opts.keepBytes,
    treeText: opts.treeText,
  };
  // QUIC over UDP (RFC 9000): its connections share the ids and the output order with TCP's.
  const quic = new QuicTracker(
    { detail, keys, tlsDecryptor: (random) => createDecryptor(random, keys, []) },
    { open: (id) => emitter.open(id), close: (id, c) => emitter.resolve(id, c ? prepare(c.model) : null) },
  );
  const sink: TranscriptSink & { secrets(s: DecryptionSecrets): void; captureError(e: CaptureError): void; datagram(d: UdpDatagram): void } = {
    open(tcp: TcpConnection) {
      emitter.open(tcp.id);
      tcp.user = new TlsConnection(tcp, connOpts);
    },
    data(tcp, dir, data, frame) {
      (tcp.user as TlsConnection | null)?.data(dir, data, frame);
    },
    dataRange(tcp, dir, buf, start, end, frame) {
      (tcp.user as TlsConnection | null)?.data(dir, buf, frame, start, end);
    },
    gap(tcp, dir, bytes, frame) {
      (tcp.user as TlsConnection | null)?.gap(dir, bytes, frame);
    },
    close(tcp, frame) {
      const c = tcp.user as TlsConnection | null;
      tcp.user = null;
      if (!c) return;
      c.close(frame);
      emitter.resolve(tcp.id, c.isTls ? prepare(c.model) : null);
    },
    protectedRecord(tcp, dir, r, frame) {
      (tcp.user as TlsConnection | null)?.protectedRecord(dir, r, frame);
    },
    error(e) {
      addError(e);
    },
    captureError(e) {
      addError(e);
    },
    secrets(s) {
      if (s.secretsType === TLS_KEYLOG_SECRETS) keys.addKeyLog(new TextDecoder().decode(s.data), "dsb");
    },
    datagram(d) {
      quic.datagram(d);
    },
  };

  const bytes: Uint8Array | null = typeof input === "string" ? null : input;
  const head = typeof input === "string" ? readHead(input, 512) : input.subarray(0, 512);

  let format: InputFormat;
  let packets: number;
  const isCapture = sniffFormat(head) !== undefined;
  if (!isCapture && looksLikeText(head)) {
    const text = new TextDecoder().decode(bytes ?? fs.readFileSync(input as string));
    const kind = detectTranscriptKind(text);
    if (!kind) throw new UnsupportedInputError(`${name}: not a capture (pcap/pcapng) or a transcript`);
    const t = kind === "tlstrace" ? parseTranscript(text) : parseOpensslMsg(text);
    if (t.keylog) keys.addKeyLog(t.keylog, "keylog");
    for (const d of t.diagnostics) if (d.severity === "error") addError({ message: `line ${d.line + 1}, column ${d.column + 1}: ${d.message}` });
    transcriptStreams(t, sink);
    format = kind === "tlstrace" ? "transcript" : "openssl-msg";
    packets = t.blocks.length;
  } else {
    try {
      const info = readTcpStreams(input, sink, { onProgress: opts.onProgress, clock });
      quic.finish(info.packets);
      format = info.format;
      packets = info.packets;
    } catch (e) {
      if (e instanceof NotACaptureError) throw new UnsupportedInputError(`${name}: ${e.message}`);
      throw e;
    }
  }
  return { input: { path: name, format, packets }, errors: errors.finish() };
}

/** Inspect a capture or transcript file into one model. */
export function inspectFile(path: string, opts: InspectOptions = {}): CaptureModel {
  return collect(path, path, opts);
}

/** Inspect in-memory bytes (tests, the editor, fuzzing). */
export function inspectBytes(bytes: Uint8Array, name: string, opts: InspectOptions = {}): CaptureModel {
  return collect(bytes, name, opts);
}

function collect(input: string | Uint8Array, name: string, opts: InspectOptions): CaptureModel {
  const connections: ConnectionModel[] = [];
  const r = inspectStream(input, name, { ...opts, onConnection: (c) => connections.push(c) });
  return { schema: 1, input: r.input, connections, errors: r.errors };
}
