/**
 * One QUIC connection of a capture (RFC 9000, RFC 9001): its packets — coalesced ones split, header protection
 * removed and packet numbers recovered where keys allow, payloads opened, frames named — and the TLS 1.3
 * handshake its CRYPTO streams carry, decoded by the same decoders as over TCP, into the connection model every
 * view reads. Which connection a datagram belongs to is the tracker's business (quicTracker.ts).
 */
import type { UdpDatagram } from "../../capture/udp";
import { isLongHeader, parseLongHeader, parseShortHeader, type QuicHeader } from "../../capture/quic/header";
import { decodePacketNumber } from "../../capture/quic/packetNumber";
import { parseFrames, type QuicFrameInfo } from "../../capture/quic/frames";
import { openPayload, removeHeaderProtection, type Unprotected } from "../../engine/quic/protection";
import { verifyRetryIntegrity } from "../../engine/quic/retry";
import type { QuicKeys } from "../../engine/quic/keys";
import { decodeHandshake } from "../../tls/handshake/decode";
import { scanHandshake } from "../../tls/handshake/scan";
import { HandshakeType } from "../../tls/registry/handshakeTypes";
import type { DecodedHandshake, Direction } from "../../tls/handshake/types";
import { isKnownQuicVersion, QUIC_V1, QUIC_VERSION_NEGOTIATION } from "../../tls/registry/quicVersions";
import { QuicFrame } from "../../tls/registry/quicFrameTypes";
import { ByteQueue } from "../byteQueue";
import { CryptoStream } from "./cryptoStream";
import { PacketKeys } from "./packetKeys";
import { cidKey } from "./cidKey";
import { transportParametersOf } from "./transportParameterFields";
import { ja4, ja4Input } from "../../tls/fingerprint/ja4";
import { ja4FromBytes } from "../../tls/fingerprint/ja4Scan";
import { ja4Node } from "../../tls/fingerprint/ja4Tree";
import type { KeyStore } from "../keyStore";
import type { ConnectionDecryptor } from "../decryptorTypes";
import { LIMITS, type Detail } from "../tlsConnection";
import type { ConnectionModel, Endpoint, KeyPhase, LocatedError, MessageInfo, QuicFrameModel, QuicPacketInfo, QuicSpace } from "../../model";

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");

/** Packets kept per connection in the model (decoding continues past it; a located error says so). */
export const MAX_QUIC_PACKETS_PER_CONNECTION = 100_000;
/** Connection IDs one connection may register (its own and its peer's NEW_CONNECTION_IDs together). */
export const MAX_CIDS_PER_CONNECTION = 64;
/** Coalesced packets read from one datagram at most (each takes at least its header's bytes anyway). */
const MAX_PACKETS_PER_DATAGRAM = 64;

export interface QuicConnectionOptions {
  detail: Detail;
  keys: KeyStore;
  /** The TLS decryptor that recomputes Finished (loaded with the engine's crypto on first use). */
  tlsDecryptor(clientRandom: Uint8Array): ConnectionDecryptor | null;
  /** A connection ID (its cidKey) now names this connection; `toServer`: packets carrying it as DCID go to the server. */
  registerCid(conn: QuicConnection, key: string, toServer: boolean): void;
}

type SpaceState = { crypto: CryptoStream; hs: ByteQueue; largest: number };

const SPACES: QuicSpace[] = ["initial", "handshake", "application"];

export class QuicConnection {
  readonly model: ConnectionModel;
  /** Whether anything showed this is QUIC (a known version, a Version Negotiation, a packet opened). */
  confirmed = false;
  /** A CONNECTION_CLOSE was seen (RFC 9000 §10.2): the connection drains, then ends. */
  closing = false;
  /** Capture time of the last packet, microseconds, and its frame number. */
  lastSeen = 0;
  lastFrame = 0;
  /** A Version Negotiation or Retry made the client start again: its next Initial may carry a new DCID. */
  restartExpected = false;
  /** Connection IDs registered for this connection (latin1 keys, with the side they lead to). */
  readonly cids: { key: string; toServer: boolean }[] = [];
  /** Lengths of the DCIDs each side's short headers carry (the CIDs the other side issued). */
  readonly shortDcidLengths: Record<Direction, Set<number>> = { c2s: new Set(), s2c: new Set() };

  private readonly keys: PacketKeys;
  private readonly spaces: Record<Direction, Partial<Record<QuicSpace, SpaceState>>> = { c2s: {}, s2c: {} };
  /** The DCID of the client's current Initial: the Initial keys come from it (RFC 9001 §5.2). */
  private clientDcid: Uint8Array | null = null;
  private clientVersion: number = QUIC_V1;
  private serverVersion: number | null = null;
  private tls: ConnectionDecryptor | null = null;
  private sawClientHello = false;
  private packetsTruncated = false;
  private droppedErrors = 0;
  private stoppedMessages = false;
  /** The packet being processed: its index in model.packets (-1 when not kept) and frame. */
  private current = -1;
  /**
   * The ServerHello arrived: the Initial space has nothing more to say (RFC 9001 §4.9.1: both sides move on to
   * Handshake keys; later Initials are ACKs and retransmissions). A summary, which lists no packets, then leaves
   * the remaining Initial packets sealed — the most expensive part of a key-less QUIC summary otherwise.
   */
  private initialDone = false;
  private clientCidSet = false;
  /** A summary's packet record (summaryInfo). */
  private scratch: QuicPacketInfo | null = null;
  private serverCidSet = false;

  constructor(
    id: number,
    client: Endpoint,
    server: Endpoint,
    firstFrame: number,
    private readonly opts: QuicConnectionOptions,
  ) {
    this.model = {
      id,
      transport: "quic",
      client,
      server,
      version: null,
      cipherSuite: null,
      sni: null,
      alpn: null,
      decrypted: false,
      records: [],
      messages: [],
      alerts: [],
      errors: [],
      quic: { version: null, clientCid: "", serverCid: "", retry: false, versionNegotiation: false },
      firstFrame,
      ja4: null,
      ja4_r: null,
    };
    if (opts.detail !== "summary") this.model.packets = [];
    this.keys = new PacketKeys(opts.keys);
  }

  /**
   * The state of one direction's packet number space, made when its first packet comes: a key-less summary of a
   * large capture opens thousands of connections that only ever use two of their six.
   */
  private space(dir: Direction, space: QuicSpace): SpaceState {
    const have = this.spaces[dir][space];
    if (have) return have;
    const st: SpaceState = {
      crypto: new CryptoStream(`${dir} ${space} CRYPTO stream`, {
        data: (bytes, _offset, frame) => this.cryptoBytes(dir, space, bytes, frame),
        error: (message, frame) => this.error({ frame, message }),
      }),
      hs: new ByteQueue(),
      largest: -1,
    };
    this.spaces[dir][space] = st;
    return st;
  }

  private error(e: LocatedError): void {
    if (this.model.errors.length < LIMITS.maxErrorsPerConnection) this.model.errors.push(e);
    else this.droppedErrors++;
  }

  // ---- datagrams ----

  /** One datagram of this connection in direction `dir`: its packets, coalesced ones in turn (RFC 9000 §12.2). */
  datagram(d: UdpDatagram, dir: Direction): void {
    this.lastSeen = d.tsMicros;
    this.lastFrame = d.frame;
    const buf = d.buf;
    let p = d.start;
    for (let n = 0; p < d.end && n < MAX_PACKETS_PER_DATAGRAM; n++) {
      const h = this.header(buf, p, d.end, dir);
      if (typeof h === "string") {
        // A datagram's tail after its packets may be padding (RFC 9000 §12.2 lets senders pad with junk).
        if (n === 0 || buf[p] !== 0) this.error({ frame: d.frame, message: `${dir}: ${h} (byte ${p - d.start} of the datagram)` });
        return;
      }
      this.packet(d, dir, h);
      p = h.end;
    }
    if (d.missing > 0) this.error({ frame: d.frame, message: `${dir}: ${d.missing} byte(s) of the datagram not captured (snapshot length)` });
  }

  private header(buf: Uint8Array, p: number, end: number, dir: Direction): QuicHeader | string {
    if (isLongHeader(buf[p])) return parseLongHeader(buf, p, end);
    // A short header's DCID length is known only to its receiver: the lengths of the CIDs it issued.
    const lengths = this.shortDcidLengths[dir];
    if (lengths.size <= 1) return parseShortHeader(buf, p, end, lengths.size ? lengths.values().next().value! : 0);
    for (const len of lengths) {
      if (this.knowsCid(buf, p + 1, len)) return parseShortHeader(buf, p, end, len);
    }
    return parseShortHeader(buf, p, end, lengths.values().next().value!);
  }

  private knowsCid(buf: Uint8Array, off: number, len: number): boolean {
    if (off + len > buf.length) return false;
    const key = cidKey(buf, off, len);
    return this.cids.some((c) => c.key === key);
  }

  /** Registers a CID (bounded per connection). */
  addCid(cid: Uint8Array, toServer: boolean): void {
    this.addCidAt(cid, 0, cid.length, toServer);
  }

  /** Registers the CID at `buf[off..off+len)`, read in place. */
  private addCidAt(buf: Uint8Array, off: number, len: number, toServer: boolean): void {
    if (len === 0) {
      this.shortDcidLengths[toServer ? "c2s" : "s2c"].add(0);
      return;
    }
    const key = cidKey(buf, off, len);
    if (this.cids.some((c) => c.key === key)) return;
    if (this.cids.length >= MAX_CIDS_PER_CONNECTION) return;
    this.cids.push({ key, toServer });
    this.shortDcidLengths[toServer ? "c2s" : "s2c"].add(len);
    this.opts.registerCid(this, key, toServer);
  }

  private packet(d: UdpDatagram, dir: Direction, h: QuicHeader): void {
    const buf = d.buf;
    const hasScid = h.scidStart >= 0;
    const keep = this.model.packets !== undefined;
    // A summary keeps no packets: their connection IDs are not turned into text, and one record serves each in turn.
    const info: QuicPacketInfo = keep
      ? {
          dir,
          frame: d.frame,
          type: h.type,
          version: h.version,
          dcid: hex(buf.subarray(h.dcidStart, h.dcidStart + h.dcidLength)),
          scid: hasScid ? hex(buf.subarray(h.scidStart, h.scidStart + h.scidLength)) : null,
          packetNumber: null,
          length: h.end - h.start,
          decrypted: false,
          frames: [],
          datagramOffset: h.start - d.start,
        }
      : this.summaryInfo(d, dir, h);
    if (keep) {
      if (this.model.packets!.length < MAX_QUIC_PACKETS_PER_CONNECTION) {
        this.model.packets!.push(info);
        this.current = this.model.packets!.length - 1;
      } else {
        this.current = -1;
        if (!this.packetsTruncated) {
          this.packetsTruncated = true;
          this.error({ frame: d.frame, message: `more than ${MAX_QUIC_PACKETS_PER_CONNECTION} packets: the rest are not listed` });
        }
      }
      if (this.opts.detail === "full") info.raw = buf.slice(h.start, h.end);
    }
    const q = this.model.quic!;
    if (h.version !== null && h.version !== QUIC_VERSION_NEGOTIATION) {
      if (dir === "c2s") {
        this.clientVersion = h.version;
        if (q.version === null) q.version = h.version;
      } else if (this.serverVersion === null) {
        this.serverVersion = h.version;
        q.version = h.version;
      }
      if (isKnownQuicVersion(h.version)) this.confirmed = true;
    }
    switch (h.type) {
      case "VersionNegotiation":
        return this.versionNegotiation(buf, h, info);
      case "Retry":
        return this.retry(buf, h, info, buf.subarray(h.scidStart, h.scidStart + h.scidLength));
      default:
        break;
    }
    if (h.type !== "1-RTT" && hasScid) {
      // The sender's SCID: the receiver sends to it (RFC 9000 §7.2).
      if (dir === "c2s" && !this.clientCidSet && (h.type === "Initial" || h.type === "0-RTT")) {
        this.clientCidSet = true;
        q.clientCid = hex(buf.subarray(h.scidStart, h.scidStart + h.scidLength));
      }
      if (dir === "s2c" && !this.serverCidSet && (h.type === "Initial" || h.type === "Handshake")) {
        this.serverCidSet = true;
        q.serverCid = hex(buf.subarray(h.scidStart, h.scidStart + h.scidLength));
      }
      this.addCidAt(buf, h.scidStart, h.scidLength, dir === "s2c");
    }
    if (h.type === "Initial") {
      info.tokenLength = h.tokenLength;
      if (dir === "c2s") this.clientInitial(buf.subarray(h.dcidStart, h.dcidStart + h.dcidLength));
    }
    this.open(d, dir, h, info);
  }

  /**
   * The record a summary's packet is carried in through open() and frames(): reset for each packet (what those
   * read of it is what this sets; the rest they only write, and nothing keeps it).
   */
  private summaryInfo(d: UdpDatagram, dir: Direction, h: QuicHeader): QuicPacketInfo {
    const s = (this.scratch ??= {
      dir,
      frame: 0,
      type: h.type,
      version: null,
      dcid: "",
      scid: null,
      packetNumber: null,
      length: 0,
      decrypted: false,
      frames: [],
      datagramOffset: 0,
    });
    s.dir = dir;
    s.frame = d.frame;
    s.type = h.type;
    s.version = h.version;
    s.scid = h.scidStart >= 0 ? "" : null;
    s.packetNumber = null;
    s.length = h.end - h.start;
    s.decrypted = false;
    s.frames.length = 0;
    s.datagramOffset = h.start - d.start;
    return s;
  }

  /** The client's Initial: its DCID picks the Initial keys; a new one after Retry or VN starts a new attempt. */
  private clientInitial(dcid: Uint8Array): void {
    if (this.clientDcid === null || (this.restartExpected && hex(dcid) !== hex(this.clientDcid))) {
      this.clientDcid = dcid.slice();
      this.restartExpected = false;
      this.model.quic!.originalDcid ??= hex(dcid);
      // The client's first DCID leads to the server until the server picks its own (RFC 9000 §7.2).
      this.addCid(dcid, true);
    }
  }

  private versionNegotiation(buf: Uint8Array, h: QuicHeader, info: QuicPacketInfo): void {
    const versions: number[] = [];
    for (let p = h.versionsStart; p + 4 <= h.end && versions.length < 256; p += 4) {
      versions.push(((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]) >>> 0);
    }
    info.supportedVersions = versions;
    this.model.quic!.versionNegotiation = true;
    this.confirmed = true;
    this.restartExpected = true;
  }

  private retry(buf: Uint8Array, h: QuicHeader, info: QuicPacketInfo, scid: Uint8Array): void {
    info.tokenLength = h.tokenLength;
    const q = this.model.quic!;
    q.retry = true;
    if (this.clientDcid && h.version !== null && isKnownQuicVersion(h.version)) {
      // RFC 9001 §5.8: the tag covers the DCID of the Initial the Retry answers.
      info.retryIntegrity = verifyRetryIntegrity(h.version, this.clientDcid, buf.subarray(h.start, h.end));
      if (!info.retryIntegrity) this.error({ frame: info.frame, message: "s2c: Retry integrity tag does not verify (RFC 9001 §5.8)" });
    }
    this.restartExpected = true;
    // RFC 9000 §17.2.5.2: the client's next Initial goes to the Retry's SCID.
    this.addCid(scid, true);
  }

  // ---- packet protection ----

  private spaceOf(type: QuicHeader["type"]): QuicSpace {
    return type === "Initial" ? "initial" : type === "Handshake" ? "handshake" : "application";
  }

  /** Candidate keys for a packet, in the order to try. */
  private candidates(dir: Direction, h: QuicHeader, keyPhase: number): { keys: QuicKeys; kind: QuicPacketInfo["keys"]; generation?: number }[] {
    const version = h.version ?? this.serverVersion ?? this.clientVersion;
    switch (h.type) {
      case "Initial":
        if (!this.clientDcid || h.version === null) return [];
        if (isKnownQuicVersion(h.version)) return [{ keys: this.keys.initial(h.version, this.clientDcid, dir), kind: "initial" }];
        // A version this project does not know has unknown Initial keys (RFC 8999 §5: only the invariants are
        // shared); stacks that grease version negotiation (RFC 9000 §15) protect such a probe with v1's layout and
        // v1's or the last draft's salt, so both are tried — the AEAD tag says whether one was right.
        return (["version", "draft-29"] as const).map((salt) => ({ keys: this.keys.initial(QUIC_V1, this.clientDcid!, dir, salt), kind: "initial" as const }));
      case "Handshake": {
        const k = this.keys.handshakeKeys(dir);
        return k ? [{ keys: k, kind: "handshake" }] : [];
      }
      case "0-RTT":
        return dir === "c2s" && isKnownQuicVersion(version) ? this.keys.earlyKeys(version).map((k) => ({ keys: k, kind: "early" as const })) : [];
      case "1-RTT":
        return this.keys.applicationKeys(version, dir, keyPhase).map((g) => ({ keys: g.keys, kind: "application" as const, generation: g.generation }));
      default:
        return [];
    }
  }

  private open(d: UdpDatagram, dir: Direction, h: QuicHeader, info: QuicPacketInfo): void {
    if (h.type === "Initial" && this.initialDone && this.opts.detail === "summary") return;
    const buf = d.buf;
    const space = this.spaceOf(h.type);
    if (h.type === "1-RTT" || h.type === "0-RTT" || h.type === "Handshake") {
      if (!this.keys.hasSecrets) {
        info.decryptError = "no keys for this packet (the key log has no secrets for this connection)";
        return;
      }
    }
    // The header protection key is the same for every candidate of a space but 0-RTT's (and 1-RTT's across
    // generations, RFC 9001 §6.1): remove it with the first, read the Key Phase bit, then choose the payload keys.
    const first = this.candidates(dir, h, 0);
    if (first.length === 0) {
      info.decryptError = `no ${space} keys for this packet`;
      return;
    }
    let u: Unprotected | null = null;
    let list = first;
    for (const c of first) {
      u = removeHeaderProtection(c.keys, buf, h.start, h.pnOffset, h.end);
      if (u) break;
    }
    if (!u) {
      info.decryptError = "packet too short for a header protection sample (RFC 9001 §5.4.2)";
      this.error({ frame: d.frame, message: `${dir} ${h.type}: ${info.decryptError}` });
      return;
    }
    if (h.type === "1-RTT") {
      info.keyPhase = (u.header[0] >> 2) & 1;
      list = this.candidates(dir, h, info.keyPhase);
    }
    // The space's state is made only for a packet that can be opened (a key-less summary never opens most).
    const st = this.space(dir, space);
    const pn = decodePacketNumber(st.largest, u.truncatedPn, u.pnLength);
    const payloadStart = h.pnOffset + u.pnLength;
    for (const c of list) {
      // A different header protection key (0-RTT candidates) gives a different header.
      const uc = c === list[0] || c.keys.hp === list[0].keys.hp ? u : removeHeaderProtection(c.keys, buf, h.start, h.pnOffset, h.end);
      if (!uc) continue;
      const pnc = uc === u ? pn : decodePacketNumber(st.largest, uc.truncatedPn, uc.pnLength);
      const plain = openPayload(c.keys, uc.header, pnc, buf.subarray(h.pnOffset + uc.pnLength, h.end));
      if (!plain) continue;
      if (h.type === "0-RTT") this.keys.earlyConfirmed(c.keys);
      if (c.generation !== undefined) {
        this.keys.applicationOpened(dir, c.generation);
        info.keyGeneration = c.generation;
      }
      if (pnc > st.largest) st.largest = pnc;
      info.packetNumber = pnc;
      info.decrypted = true;
      info.keys = c.kind;
      info.headerLength = uc.header.length;
      this.confirmed = true;
      if (h.type !== "Initial") this.model.decrypted = true;
      if (this.opts.detail === "full") {
        info.plaintext = plain;
        info.header = uc.header;
      }
      this.frames(d, dir, space, info, plain);
      return;
    }
    info.packetNumber = null;
    info.headerLength = payloadStart - h.start;
    info.decryptError = `${h.type} payload does not open with the ${list[0].kind} keys (AEAD tag mismatch)`;
    // Without a secret for it a packet simply stays sealed; with keys that fail, the capture is worth a word
    // (but not for an unknown version's Initial, whose keys were only a guess).
    if ((h.type === "Initial" && isKnownQuicVersion(h.version ?? 0)) || (h.type !== "Initial" && this.keys.hasSecrets))
      this.error({ frame: d.frame, message: `${dir}: ${info.decryptError}` });
  }

  // ---- frames ----

  private frames(d: UdpDatagram, dir: Direction, space: QuicSpace, info: QuicPacketInfo, plain: Uint8Array): void {
    const parsed = parseFrames(plain, 0, plain.length);
    const details: QuicFrameModel[] | undefined = this.model.packets ? [] : undefined;
    for (const f of parsed.frames) {
      info.frames.push(f.name);
      details?.push({ type: f.type, name: f.name, start: f.start, end: f.end, fields: f.fields });
      this.frame(d, dir, space, f, plain);
    }
    if (details) info.frameDetails = details;
    if (parsed.error) {
      info.error = parsed.error.message;
      this.error({
        frame: d.frame,
        message: `${dir} ${info.type} packet ${info.packetNumber}: ${parsed.error.message} (byte ${parsed.error.offset} of the payload)`,
      });
    }
  }

  private frame(d: UdpDatagram, dir: Direction, space: QuicSpace, f: QuicFrameInfo, plain: Uint8Array): void {
    switch (f.type) {
      case QuicFrame.CRYPTO:
        this.space(dir, space).crypto.insert(f.cryptoOffset!, plain.subarray(f.dataStart!, f.end), d.frame);
        break;
      case QuicFrame.NEW_CONNECTION_ID:
        // RFC 9000 §19.15: the sender will accept packets to this CID.
        this.addCid(Uint8Array.from(Buffer.from(f.fields.cid as string, "hex")), dir === "s2c");
        break;
      case QuicFrame.CONNECTION_CLOSE:
      case QuicFrame.CONNECTION_CLOSE_APP:
        this.closing = true;
        break;
      default:
        break;
    }
  }

  // ---- the TLS handshake in the CRYPTO streams ----

  private cryptoBytes(dir: Direction, space: QuicSpace, bytes: Uint8Array, frame: number): void {
    const st = this.space(dir, space);
    if (this.stoppedMessages) return;
    st.hs.push(bytes);
    // Each iteration removes a whole message (at least its 4-byte header): bounded.
    while (st.hs.length >= 4) {
      const len = (st.hs.at(1) << 16) | (st.hs.at(2) << 8) | st.hs.at(3);
      if (st.hs.length < 4 + len) break;
      this.message(dir, space, st.hs.take(4 + len), frame);
      if (this.model.messages.length >= LIMITS.maxMessagesPerConnection) {
        this.error({ frame, message: `more than ${LIMITS.maxMessagesPerConnection} handshake messages: the rest are not decoded` });
        this.stoppedMessages = true;
        st.hs.clear();
        return;
      }
    }
  }

  private message(dir: Direction, space: QuicSpace, raw: Uint8Array, frame: number): void {
    const model = this.model;
    // A summary without keys needs names and the hellos' values only: the scanner checks the message against the
    // decoders' grammar without building fields (as TlsConnection's summary does), the decoder takes the rest.
    if (this.opts.detail === "summary" && this.opts.keys.empty) {
      const sc = scanHandshake(raw, model.version, model.cipherSuite);
      if (sc) {
        if (sc.type === HandshakeType.client_hello && dir === "c2s" && !this.sawClientHello) {
          this.sawClientHello = true;
          if (sc.sni !== null) model.sni = sc.sni;
          const r = ja4FromBytes(raw, "quic");
          if (r) {
            model.ja4 = r.ja4;
            model.ja4_r = r.ja4_r;
          }
        } else if (sc.type === HandshakeType.server_hello && dir === "s2c" && sc.name === "ServerHello") {
          model.version = sc.selectedVersion ?? sc.legacyVersion;
          model.cipherSuite = sc.cipherSuite;
          this.finishInitial();
        } else if (sc.type === HandshakeType.encrypted_extensions && sc.alpn !== null) {
          model.alpn = sc.alpn;
        }
        const info: MessageInfo = { dir, type: sc.type, name: sc.name, length: sc.length, frame, encrypted: space !== "initial", space };
        if (sc.type === HandshakeType.finished) info.verified = null;
        model.messages.push(info);
        return;
      }
    }
    const annotate = this.opts.detail === "full";
    const msg = decodeHandshake(raw, { dir, version: model.version, cipherSuite: model.cipherSuite }, annotate);
    this.learn(dir, msg);
    let verified: boolean | null | undefined;
    if (this.tls) verified = this.tls.message(dir, msg, { version: model.version, cipherSuite: model.cipherSuite });
    if (msg.type === HandshakeType.finished) verified ??= null;
    const encrypted = space !== "initial";
    const info: MessageInfo = { dir, type: msg.type, name: msg.name, length: msg.length, frame, encrypted, space };
    if (this.current >= 0) info.packet = this.current;
    if (this.opts.detail !== "summary") {
      let fields: Record<string, unknown> = msg.fields;
      if (msg.type === HandshakeType.client_hello || msg.type === HandshakeType.encrypted_extensions) {
        const tp = transportParametersOf(msg);
        if (tp) fields = { ...fields, quicTransportParameters: tp };
      }
      if (msg.type === HandshakeType.finished) fields = { ...fields, verified: verified ?? null };
      if (this.opts.detail === "json") info.fieldsJson = JSON.stringify(fields);
      else info.fields = fields;
      info.keyPhase = (space === "initial" ? "plaintext" : space) as KeyPhase;
    }
    if (msg.type === HandshakeType.finished) info.verified = verified ?? null;
    if (msg.error) {
      info.error = msg.error.message;
      this.error({ frame, message: `${dir} ${msg.name}: ${msg.error.message} (field ${msg.error.field}, byte ${msg.error.offset})` });
    }
    if (annotate) {
      info.raw = raw;
      if (msg.tree) info.tree = msg.tree;
    }
    model.messages.push(info);
  }

  /** What the hellos and EncryptedExtensions fix for the connection (RFC 8446 §4.1.2–3, RFC 9001 §8). */
  private learn(dir: Direction, msg: DecodedHandshake): void {
    const model = this.model;
    const det = msg.details;
    if (msg.type === HandshakeType.client_hello && dir === "c2s" && !this.sawClientHello) {
      this.sawClientHello = true;
      if (det.sni !== undefined) model.sni = det.sni;
      this.fingerprint(msg);
      if (det.random) {
        this.keys.clientHello(det.random);
        if (this.keys.hasSecrets) this.tls = this.opts.tlsDecryptor(det.random);
      }
    } else if (msg.type === HandshakeType.server_hello && dir === "s2c" && msg.name === "ServerHello") {
      model.version = det.selectedVersion ?? (msg.fields.legacyVersion as number | undefined) ?? null;
      model.cipherSuite = det.cipherSuite ?? null;
      this.keys.serverHello(this.serverVersion ?? this.clientVersion, model.cipherSuite);
      this.finishInitial();
    } else if (msg.type === HandshakeType.encrypted_extensions && det.alpn?.[0] !== undefined) {
      model.alpn = det.alpn[0];
    }
  }

  /**
   * The ServerHello closed the Initial stage (see initialDone). A summary opens no Initial packet after it, so it
   * lets go of the Initial keys (and their cipher contexts) and of each Initial space whose stream ended cleanly —
   * what close() would say about such a space is nothing — and a connection waiting for its idle timeout holds
   * little more than its model.
   */
  private finishInitial(): void {
    this.initialDone = true;
    if (this.opts.detail !== "summary") return;
    this.keys.dropInitial();
    for (const dir of ["c2s", "s2c"] as const) {
      const st = this.spaces[dir].initial;
      if (st && st.hs.length === 0 && st.crypto.waiting === 0 && st.crypto.holes().length === 0) delete this.spaces[dir].initial;
    }
  }

  /** JA4 of the first ClientHello ("q" for QUIC); with a field tree, the fingerprint's node after the message's fields. */
  private fingerprint(msg: DecodedHandshake): void {
    const input = ja4Input(msg, "quic");
    if (!input) return;
    const r = ja4(input);
    this.model.ja4 = r.ja4;
    this.model.ja4_r = r.ja4_r;
    if (msg.tree) msg.tree.children = [...(msg.tree.children ?? []), ja4Node(msg.tree, r)];
  }

  // ---- the end ----

  close(frame: number): void {
    const model = this.model;
    model.lastFrame = frame;
    for (const dir of ["c2s", "s2c"] as const) {
      for (const space of SPACES) {
        const st = this.spaces[dir][space];
        if (!st) continue;
        for (const [from, to] of st.crypto.holes()) {
          this.error({
            frame,
            message: `${dir} ${space} CRYPTO stream: bytes ${from}..${to} never received (${st.crypto.waiting} byte(s) after them wait unused)`,
          });
        }
        if (st.hs.length > 0 && !this.stoppedMessages) {
          this.error({ frame, message: `${dir} ${space} CRYPTO stream ends inside a handshake message (${st.hs.length} byte(s) of it received)` });
        }
      }
    }
    if (this.droppedErrors) model.errors.push({ frame, message: `${this.droppedErrors} more error(s) not listed (bound ${LIMITS.maxErrorsPerConnection})` });
    const secrets = [...this.keys.secrets(), ...(this.tls?.secrets() ?? [])];
    if (secrets.length) model.secrets = secrets.filter((s, i) => secrets.findIndex((t) => t.label === s.label) === i);
  }
}
