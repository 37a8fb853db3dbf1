/**
 * Finds QUIC in a capture's UDP datagrams and sorts them into connections. QUIC is recognised by what it is, not
 * by port: a long header of a QUIC version (or a reserved one, RFC 9000 §15) in a datagram a client Initial could
 * be (at least 1200 bytes, RFC 9000 §14.1; a DCID of at least 8 bytes, §7.2) starts a connection. After that a
 * packet belongs to the connection whose connection ID it carries as Destination Connection ID (RFC 9000 §5.2);
 * zero-length connection IDs and the client's restart after Version Negotiation fall back to the UDP addresses.
 * Connection IDs are learnt as the peers choose them: the client's first DCID and SCID, the server's SCID, a
 * Retry's, NEW_CONNECTION_ID frames. Bounded: connection IDs per connection and in all, open connections.
 */
import type { UdpDatagram } from "../../capture/udp";
import { ipText } from "../../capture/ipText";
import { isLongHeader, longPacketType, MAX_CID_LENGTH } from "../../capture/quic/header";
import { isDraftQuicVersion, isKnownQuicVersion, isReservedQuicVersion, QUIC_VERSION_NEGOTIATION } from "../../tls/registry/quicVersions";
import type { Direction } from "../../tls/handshake/types";
import { QuicConnection, type QuicConnectionOptions } from "./quicConnection";
import { cidKey } from "./cidKey";

/** Connection IDs in the table at most; past it the oldest connection is ended to make room. */
export const MAX_TRACKED_CIDS = 1_000_000;
/** Open QUIC connections at most (the least recently active one is ended first). */
export const MAX_OPEN_QUIC_CONNECTIONS = 100_000;
/**
 * A connection idle this long in capture time has ended: RFC 9000 §10.1 discards a connection silently after its
 * idle timeout, which the stacks recorded here (ngtcp2, Chromium) set to 30 s; a longer one shortens its entry.
 */
export const IDLE_MICROS = 30_000_000;
/** A connection that sent CONNECTION_CLOSE ends after this much capture time (the draining period, §10.2). */
export const DRAINING_MICROS = 3_000_000;

/** RFC 9000 §14.1: a client's datagram carrying an Initial is at least 1200 bytes. */
const MIN_INITIAL_DATAGRAM = 1200;
/** RFC 9000 §7.2: the client's first Destination Connection ID is at least 8 bytes. */
const MIN_FIRST_DCID = 8;

export interface TrackerSink {
  /** A new connection with this id (to keep the output in order of first packet). */
  open(id: number): void;
  /** The connection ended: its model, or null when it never proved to be QUIC. */
  close(id: number, conn: QuicConnection | null): void;
}

/** The sender's address and port then the receiver's, as a compact key (no text per datagram). */
function pathKey(buf: Uint8Array, fromOff: number, toOff: number, addrLen: number, fromPort: number, toPort: number): string {
  return cidKey(buf, fromOff, addrLen) + String.fromCharCode(fromPort) + cidKey(buf, toOff, addrLen) + String.fromCharCode(toPort);
}

export class QuicTracker {
  /** Which connection a DCID names, and the direction of packets carrying it (looked up per datagram: no copy made). */
  private readonly byCid = new Map<string, { conn: QuicConnection; dir: Direction }>();
  /** Address pairs client→server and server→client of each connection (zero-length CIDs, restarts). */
  private readonly byTuple = new Map<string, { conn: QuicConnection; dir: Direction }>();
  private readonly tuples = new Map<QuicConnection, string[]>();
  /** Open connections, least recently active first (Map keeps insertion order; activity re-inserts). */
  private readonly open = new Map<QuicConnection, true>();
  /** DCID lengths of short headers that some connection accepts. */
  private readonly shortLengths = new Map<number, number>();
  private readonly connOpts: QuicConnectionOptions;
  private lastFrame = 0;
  private now = 0;

  constructor(
    opts: Omit<QuicConnectionOptions, "registerCid">,
    private readonly sink: TrackerSink,
  ) {
    this.connOpts = { ...opts, registerCid: (conn, cid, toServer) => this.registerCid(conn, cid, toServer) };
  }

  /** Whether any QUIC connection was found. */
  get active(): boolean {
    return this.open.size > 0;
  }

  datagram(d: UdpDatagram): void {
    const buf = d.buf;
    const p = d.start;
    if (d.end - p < 1) return;
    this.lastFrame = d.frame;
    this.now = d.tsMicros;
    const first = buf[p];
    let found: { conn: QuicConnection; dir: Direction } | undefined;
    if (isLongHeader(first)) {
      found = this.findLong(d);
    } else if (this.open.size > 0) {
      found = this.findShort(d);
    }
    if (!found) return;
    const { conn, dir } = found;
    this.touch(conn);
    conn.datagram(d, dir);
    this.expire();
  }

  /** End of input: every open connection ends. */
  finish(frame: number): void {
    for (const conn of [...this.open.keys()]) this.end(conn, frame);
  }

  private findLong(d: UdpDatagram): { conn: QuicConnection; dir: Direction } | undefined {
    const buf = d.buf;
    const p = d.start;
    if (d.end - p < 7) return undefined;
    const version = ((buf[p + 1] << 24) | (buf[p + 2] << 16) | (buf[p + 3] << 8) | buf[p + 4]) >>> 0;
    const dcidLen = buf[p + 5];
    if (dcidLen > MAX_CID_LENGTH || p + 6 + dcidLen > d.end) return undefined;
    if (this.open.size > 0) {
      if (dcidLen > 0) {
        const e = this.byCid.get(cidKey(buf, p + 6, dcidLen));
        // A client Initial to a known CID after a restart of another attempt stays where it is.
        if (e) return e;
      }
      const t = this.byAddress(d);
      if (t) {
        const isClientInitial = t.dir === "c2s" && version !== QUIC_VERSION_NEGOTIATION && longPacketType(buf[p], version) === "Initial";
        // The same addresses with a new DCID: the client's new attempt after Version Negotiation, or a new
        // connection from a reused port (then a new entry in the list).
        if (!isClientInitial || t.conn.restartExpected || dcidLen === 0) return t;
      }
    }
    if (!this.plausibleClientInitial(d, version, dcidLen)) return undefined;
    const src = { ip: ipText(buf, d.srcOff, d.addrLen), port: d.srcPort };
    const dst = { ip: ipText(buf, d.dstOff, d.addrLen), port: d.dstPort };
    const conn = new QuicConnection(d.allocateId(), src, dst, d.frame, this.connOpts);
    this.sink.open(conn.model.id);
    this.open.set(conn, true);
    const keys = [pathKey(buf, d.srcOff, d.dstOff, d.addrLen, d.srcPort, d.dstPort), pathKey(buf, d.dstOff, d.srcOff, d.addrLen, d.dstPort, d.srcPort)];
    this.byTuple.set(keys[0], { conn, dir: "c2s" });
    this.byTuple.set(keys[1], { conn, dir: "s2c" });
    this.tuples.set(conn, keys);
    return { conn, dir: "c2s" };
  }

  private plausibleClientInitial(d: UdpDatagram, version: number, dcidLen: number): boolean {
    if (version === QUIC_VERSION_NEGOTIATION) return false;
    if (!(isKnownQuicVersion(version) || isReservedQuicVersion(version) || isDraftQuicVersion(version))) return false;
    const first = d.buf[d.start];
    // RFC 9000 §17.2: the Fixed Bit is 1 (a peer that negotiated grease_quic_bit does so only later, RFC 9287).
    if ((first & 0x40) === 0) return false;
    if (longPacketType(first, version) !== "Initial") return false;
    return d.end - d.start + d.missing >= MIN_INITIAL_DATAGRAM && dcidLen >= MIN_FIRST_DCID;
  }

  private findShort(d: UdpDatagram): { conn: QuicConnection; dir: Direction } | undefined {
    const buf = d.buf;
    const p = d.start + 1;
    for (const len of this.shortLengths.keys()) {
      if (len === 0 || p + len > d.end) continue;
      const e = this.byCid.get(cidKey(buf, p, len));
      if (e) return e;
    }
    // Zero-length connection IDs (RFC 9000 §5.1): the addresses say which connection.
    return this.byAddress(d);
  }

  private byAddress(d: UdpDatagram): { conn: QuicConnection; dir: Direction } | undefined {
    return this.byTuple.get(pathKey(d.buf, d.srcOff, d.dstOff, d.addrLen, d.srcPort, d.dstPort));
  }

  private registerCid(conn: QuicConnection, key: string, toServer: boolean): void {
    const had = this.byCid.get(key);
    if (had && had.conn !== conn) {
      // The same CID chosen again by a later connection (a restarted client, a stateless server): the newest wins.
      const i = had.conn.cids.findIndex((c) => c.key === key);
      if (i >= 0) had.conn.cids.splice(i, 1);
    }
    this.byCid.set(key, { conn, dir: toServer ? "c2s" : "s2c" });
    this.shortLengths.set(key.length, (this.shortLengths.get(key.length) ?? 0) + (had ? 0 : 1));
    while (this.byCid.size > MAX_TRACKED_CIDS && this.open.size > 0) this.end(this.open.keys().next().value!, this.lastFrame);
  }

  private touch(conn: QuicConnection): void {
    this.open.delete(conn);
    this.open.set(conn, true);
    if (this.open.size > MAX_OPEN_QUIC_CONNECTIONS) this.end(this.open.keys().next().value!, this.lastFrame);
  }

  /** Ends the least recently active connections whose idle or draining time has passed. */
  private expire(): void {
    // Bounded: each pass ends a connection.
    for (let guard = this.open.size; guard > 0; guard--) {
      const oldest: QuicConnection | undefined = this.open.keys().next().value;
      if (!oldest) return;
      const idle = this.now - oldest.lastSeen;
      if (idle < DRAINING_MICROS || (!oldest.closing && idle < IDLE_MICROS)) return;
      this.end(oldest, this.lastFrame);
    }
  }

  private end(conn: QuicConnection, frame: number): void {
    if (!this.open.delete(conn)) return;
    for (const c of conn.cids) {
      const e = this.byCid.get(c.key);
      if (e?.conn === conn) {
        this.byCid.delete(c.key);
        const n = (this.shortLengths.get(c.key.length) ?? 1) - 1;
        if (n <= 0) this.shortLengths.delete(c.key.length);
        else this.shortLengths.set(c.key.length, n);
      }
    }
    for (const k of this.tuples.get(conn) ?? []) if (this.byTuple.get(k)?.conn === conn) this.byTuple.delete(k);
    this.tuples.delete(conn);
    conn.close(Math.min(frame, conn.lastFrame));
    this.sink.close(conn.model.id, conn.confirmed ? conn : null);
  }
}
