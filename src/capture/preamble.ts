/**
 * TLS that starts after plaintext on the same TCP stream: through an HTTP CONNECT or SOCKS proxy, or after a
 * STARTTLS-style upgrade. Sits in front of each direction's record framing. A direction whose first byte can start
 * a TLS record goes straight through (one comparison per connection and direction: what keeps the detection off
 * the cost of ordinary captures); any other is held, up to a bound, until a ClientHello (or, from the server, a
 * ServerHello or alert) record starts in it. The client's bytes before it must be a preamble
 * `identifyPreamble` recognises, and the server's are accepted only once the client's were. Otherwise the held
 * bytes are handed on exactly as they came, so a stream that is not TLS is framed (and refused) as it was before.
 */
import { AlertLevel, ContentType, HandshakeType } from "../tls/registry";
import { identifyPreamble, type PreambleIdentity } from "./preambleProtocols";
import type { TcpDir } from "./types";

export type { PreambleProtocol } from "./preambleProtocols";

export interface Preamble extends PreambleIdentity {
  /** Plaintext bytes before the first TLS record, per TCP direction. */
  bytes: [number, number];
}

/** Where a direction's bytes go: the record framing. */
export type PreambleOut = (tcpDir: TcpDir, bytes: Uint8Array, frame: number, start: number, end: number) => void;

/** Bytes held per direction before giving up: a proxy request or an upgrade dialogue is far shorter. */
export const MAX_PREAMBLE_BYTES = 16 * 1024;

const enum State {
  /** Bytes are held while looking for TLS. */
  Holding,
  /** Bytes go to the framing as they come. */
  Through,
}

/** Record header and handshake header bytes needed to recognise a hello (up to its legacy_version's first byte). */
const HELLO_PROBE = 10;
/** An alert record: header and both bytes. */
const ALERT_PROBE = 7;
/** RFC 8446 §4.1.2: a hello's fixed part (version, random, session id length...) is at least 38 bytes. */
const MIN_HELLO_BODY = 38;
const TLS_MAJOR = 3;
const MAX_MINOR = 4;

interface DirHold {
  state: State;
  buf: Uint8Array | null;
  fill: number;
  /** Where each held chunk starts in `buf` and the packet it came in (handed on with the same frames). */
  chunks: { at: number; frame: number }[];
  /** First offset not yet searched. */
  searched: number;
  /** This direction's plaintext before TLS (set when TLS was found after some). */
  preambleBytes: number;
  /** TLS in this direction starts with a ClientHello. */
  client: boolean;
}

export class PreambleGate {
  /** Made only for a direction that is held (most never are). */
  private readonly dirs: [DirHold | null, DirHold | null] = [null, null];
  private identity: PreambleIdentity | null = null;
  /**
   * Per TCP direction: bytes now go straight to the framing. Callers on the hot path test this and call the
   * framing themselves (one array read per chunk instead of a call through the gate).
   */
  readonly through: [boolean, boolean] = [false, false];

  constructor(private readonly out: PreambleOut) {}

  /** What preceded TLS, once the client's side has been recognised (null otherwise). */
  get preamble(): Preamble | null {
    if (!this.identity) return null;
    return { ...this.identity, bytes: [this.dirs[0]?.preambleBytes ?? 0, this.dirs[1]?.preambleBytes ?? 0] };
  }

  /** In-order stream bytes `bytes[start..end)` of one direction. */
  push(tcpDir: TcpDir, bytes: Uint8Array, frame: number, start = 0, end = bytes.length): void {
    if (this.through[tcpDir]) return this.out(tcpDir, bytes, frame, start, end);
    if (end <= start) return;
    let d = this.dirs[tcpDir];
    if (d === null) {
      const first = bytes[start];
      if (first >= ContentType.change_cipher_spec && first <= ContentType.ack) {
        this.through[tcpDir] = true;
        return this.out(tcpDir, bytes, frame, start, end);
      }
      d = this.dirs[tcpDir] = newHold();
    }
    this.hold(tcpDir, d, bytes, frame, start, end);
  }

  /** Bytes were lost: a held direction gives up (framing then sees the gap as it would have). */
  gap(tcpDir: TcpDir): void {
    const d = this.dirs[tcpDir];
    if (d !== null && d.state === State.Holding) this.release(tcpDir, d, 0);
    else this.through[tcpDir] = true;
  }

  /** The stream ends: what is still held goes to the framing. */
  close(): void {
    for (const tcpDir of [0, 1] as const) {
      const d = this.dirs[tcpDir];
      if (d !== null && d.state === State.Holding) this.release(tcpDir, d, 0);
    }
  }

  private hold(tcpDir: TcpDir, d: DirHold, bytes: Uint8Array, frame: number, start: number, end: number): void {
    const n = end - start;
    if (d.fill + n > MAX_PREAMBLE_BYTES) {
      this.release(tcpDir, d, 0);
      return this.out(tcpDir, bytes, frame, start, end);
    }
    if (!d.buf || d.buf.length < d.fill + n) {
      // Grown by doubling: most held streams are short (an upgrade dialogue) or not TLS at all.
      const grown = new Uint8Array(Math.min(MAX_PREAMBLE_BYTES, Math.max(2048, 2 * (d.fill + n))));
      if (d.buf) grown.set(d.buf.subarray(0, d.fill));
      d.buf = grown;
    }
    d.buf.set(bytes.subarray(start, end), d.fill);
    d.chunks.push({ at: d.fill, frame });
    d.fill += n;
    const at = this.search(d);
    if (at < 0) return;
    if (d.client) {
      this.identity = identifyPreamble(d.buf.subarray(0, at));
      if (!this.identity) return this.release(tcpDir, d, 0);
    } else if (!this.identity) {
      // The server's TLS counts only after the client's was found behind a known preamble.
      return this.release(tcpDir, d, 0);
    }
    d.preambleBytes = at;
    this.release(tcpDir, d, at);
  }

  /** The first offset where a TLS hello (or a server's alert) record starts; -1 when none yet. */
  private search(d: DirHold): number {
    const b = d.buf!;
    const n = d.fill;
    let i = d.searched;
    for (; i + ALERT_PROBE <= n; i++) {
      const t = b[i];
      if (t !== ContentType.handshake && t !== ContentType.alert) continue;
      if (b[i + 1] !== TLS_MAJOR || b[i + 2] > MAX_MINOR) continue;
      const length = (b[i + 3] << 8) | b[i + 4];
      if (t === ContentType.alert) {
        if (length === 2 && (b[i + 5] === AlertLevel.warning || b[i + 5] === AlertLevel.fatal)) {
          d.client = false;
          return i;
        }
        continue;
      }
      if (i + HELLO_PROBE > n) break;
      const hs = b[i + 5];
      const hsLength = (b[i + 6] << 16) | (b[i + 7] << 8) | b[i + 8];
      if ((hs === HandshakeType.client_hello || hs === HandshakeType.server_hello) && hsLength >= MIN_HELLO_BODY && b[i + 9] === TLS_MAJOR && length > 4) {
        d.client = hs === HandshakeType.client_hello;
        return i;
      }
    }
    d.searched = i;
    return -1;
  }

  /** Hand the held bytes from `from` on, chunk by chunk with their frames; the direction then goes through. */
  private release(tcpDir: TcpDir, d: DirHold, from: number): void {
    d.state = State.Through;
    this.through[tcpDir] = true;
    const buf = d.buf;
    if (buf) {
      for (let k = 0; k < d.chunks.length; k++) {
        const c = d.chunks[k];
        const chunkEnd = k + 1 < d.chunks.length ? d.chunks[k + 1].at : d.fill;
        const s = Math.max(c.at, from);
        if (s < chunkEnd) this.out(tcpDir, buf, c.frame, s, chunkEnd);
      }
    }
    d.buf = null;
    d.chunks = [];
  }
}

function newHold(): DirHold {
  return { state: State.Holding, buf: null, fill: 0, chunks: [], searched: 0, preambleBytes: 0, client: false };
}
