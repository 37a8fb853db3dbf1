/**
 * The decoding thread's half of a two-thread inspection: replays the framing log (framingWire.ts) into one
 * TlsConnection per TCP connection and emits the finished connections in id order, as inspectStream does on one
 * thread. With keys (the reading thread then passes application data's fragments too) it decrypts as inspectStream
 * does; a classic pcap has no Decryption Secrets Blocks, so the keys are all known before the first packet.
 */
import type { PreambleProtocol } from "../capture/preamble";
import type { TcpConnection, TcpEndpoint } from "../capture/types";
import type { FramingTarget } from "./framingWire";
import type { ConnectionModel } from "../model";
import { KeyStore } from "./keyStore";
import { createDecryptor } from "./lazyDecrypt";
import { OrderedEmitter } from "./orderedEmitter";
import { TlsConnection, type Detail, type TlsConnectionOptions } from "./tlsConnection";

export interface FramedOptions<T> {
  /** NSS key log text. */
  keylog?: string;
  /** PEM private keys for RSA key transport. */
  rsaKeys?: string[];
  /** What is kept of a finished connection until its turn (see StreamOptions.prepare). */
  prepare?(c: ConnectionModel): T;
  /** See InspectOptions.keepBytes. */
  keepBytes?: boolean;
  /** See TlsConnectionOptions.treeText. */
  treeText?: TlsConnectionOptions["treeText"];
}

export class FramedInspection<T = ConnectionModel> implements FramingTarget {
  private readonly conns = new Map<number, TlsConnection>();
  private readonly emitter: OrderedEmitter<T>;
  private readonly connOpts: TlsConnectionOptions;
  private readonly prepare: (c: ConnectionModel) => T;

  constructor(detail: Detail, onConnection: (c: T) => void, opts: FramedOptions<T> = {}) {
    this.emitter = new OrderedEmitter(onConnection);
    this.prepare = opts.prepare ?? ((c) => c as T);
    const keys = new KeyStore();
    if (opts.keylog) keys.addKeyLog(opts.keylog, "keylog");
    const rsaKeys = opts.rsaKeys ?? [];
    // As inspectStream: a decryptor for each connection whose client random has keys (or for all, with RSA keys).
    this.connOpts = {
      detail,
      decryptorFor: (random) => (keys.has(random) || rsaKeys.length ? createDecryptor(random, keys, rsaKeys) : null),
      mayDecrypt: () => !keys.empty || rsaKeys.length > 0,
      keys: {
        labelsFor: (random) => keys.labelsFor(random),
        get loggedRandoms() {
          return keys.loggedRandoms;
        },
        rsaKeys,
      },
      clock: this.clock,
      keepBytes: opts.keepBytes,
      treeText: opts.treeText,
    };
  }

  /** The time of the connection being opened (from the framing log), for the certificate checks. */
  private readonly clock = { micros: 0 };

  private conn(id: number): TlsConnection {
    const c = this.conns.get(id);
    if (!c) throw new Error(`framing log: connection ${id} is not open`);
    return c;
  }

  open(id: number, firstFrame: number, synSeen: boolean, a: TcpEndpoint, b: TcpEndpoint, tsMicros = 0): void {
    this.emitter.open(id);
    this.clock.micros = tsMicros;
    const tcp: TcpConnection = { id, a, b, synSeen, firstFrame, lastFrame: firstFrame, user: null };
    this.conns.set(id, new TlsConnection(tcp, this.connOpts, false));
  }

  syn(id: number): void {
    this.conn(id).tcp.synSeen = true;
  }

  record(id: number, tcpDir: 0 | 1, type: number, version: number, length: number, fragment: Uint8Array | null, frame: number, damaged: boolean): void {
    this.conn(id).framedRecord(tcpDir, type, version, length, fragment, frame, damaged);
  }

  invalid(id: number, tcpDir: 0 | 1, reason: string, offset: number, frame: number): void {
    this.conn(id).framingInvalid(tcpDir, reason, offset, frame);
  }

  gap(id: number, tcpDir: 0 | 1, bytes: number, frame: number): void {
    this.conn(id).gap(tcpDir, bytes, frame);
  }

  preamble(id: number, protocol: PreambleProtocol, target: string | null, bytes0: number, bytes1: number): void {
    this.conn(id).framedPreamble({ protocol, target, bytes: [bytes0, bytes1] });
  }

  decoded(id: number, json: string | null): void {
    // Written as it came: the reading thread serialised it (QUIC, cli/pipelineInspect.ts).
    this.emitter.resolve(id, json === null ? null : this.prepare(serialisedConnection(id, json)));
  }

  close(id: number, frame: number, pending0: number, dead0: boolean, pending1: number, dead1: boolean, appData0: number, appData1: number): void {
    const c = this.conn(id);
    this.conns.delete(id);
    c.tcp.lastFrame = frame;
    c.close(frame, { pending: [pending0, pending1], dead: [dead0, dead1], appData: [appData0, appData1] });
    this.emitter.resolve(id, c.isTls ? this.prepare(c.model) : null);
  }
}

/** A stand-in model for a connection that arrives already serialised (writeConnection writes `json` as it is). */
function serialisedConnection(id: number, json: string): ConnectionModel {
  const nowhere = { ip: "", port: 0 };
  return {
    id,
    client: nowhere,
    server: nowhere,
    version: null,
    cipherSuite: null,
    sni: null,
    alpn: null,
    decrypted: false,
    records: [],
    messages: [],
    alerts: [],
    errors: [],
    json,
  };
}
