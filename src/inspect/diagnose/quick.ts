/**
 * Cheap looks at a hello's bytes (offsets only, nothing built) that tell whether the full rules have anything to
 * find in a connection that ended well: a large capture's healthy connections are decided here, without decoding.
 *
 * The look is taken when the connection keeps the hello (keep.ts), while its bytes are still in the processor's
 * cache, and leaves a few bits per hello in the connection's facts: deciding a healthy connection at its end reads
 * those numbers and touches no kept bytes (reading them back then cost more than the walk itself). Every walk is
 * bounded by the message's own lengths; malformed bytes answer "look closer" (the decoder will say what is wrong).
 */
import { CipherSuite, ExtensionType, HandshakeType, ProtocolVersion } from "../../tls/registry";

const u16 = (b: Uint8Array, p: number) => (b[p] << 8) | b[p + 1];

/**
 * The bits one hello leaves (HelloNotes holds them per hello). ClientHello: FALLBACK_SCSV among the suites
 * (RFC 7507), pre_shared_key / early_data (RFC 8446 §4.2.10–11), a non-empty session_ticket (RFC 5077), a
 * session id, TLS 1.3 in supported_versions, and (answering a HelloRetryRequest) a key share for the group it
 * selected. ServerHello: the RFC 8446 §4.1.3 "DOWNGRD" random, pre_shared_key accepted. HelloRetryRequest:
 * exactly one selected_group (KEY_SHARE_OK).
 */
export const Hello = {
  PSK: 1,
  TICKET: 2,
  SESSION_ID: 4,
  OFFERS_13: 8,
  FALLBACK_SCSV: 16,
  EARLY_DATA: 32,
  SENTINEL: 64,
  KEY_SHARE_OK: 128,
  /** The bytes did not walk cleanly: the rules look closer. */
  BAD: 256,
  /** This hello was seen (a slot without it is empty). */
  SEEN: 512,
} as const;

/** Each number holds two hellos of ten bits: the first in bits 0–9, the second in bits 10–19. */
const SECOND = 10;
const SLOT = (1 << SECOND) - 1;

/**
 * The message list's shape as it grows (bits of HelloNotes.shape): which of the hellos came, a server Certificate,
 * up to two Finished, and IRREGULAR for what the rules must look at — a ClientHello beyond the first and the one
 * answering a HelloRetryRequest (a renegotiation), a second HelloRetryRequest, a HelloRequest, or a message before
 * the first ClientHello (a capture that starts mid-stream, whose directions the connection may still swap).
 */
export const Shape = {
  CLIENT_HELLO: 1,
  RETRY: 2,
  CLIENT_HELLO_2: 4,
  SERVER_HELLO: 8,
  SERVER_CERTIFICATE: 16,
  FINISHED: 32,
  FINISHED_2: 64,
  IRREGULAR: 128,
  /** The shape was tallied message by message (a model read without the messages' bytes). */
  COUNTED: 256,
} as const;

const HELLO_REQUEST: number = HandshakeType.hello_request;
const CERTIFICATE: number = HandshakeType.certificate;
const FINISHED: number = HandshakeType.finished;

/** The shape after one more message (its type, name and direction). */
export function tally(shape: number, type: number, name: string, dir: "c2s" | "s2c"): number {
  shape |= Shape.COUNTED;
  if (type === CLIENT_HELLO) {
    if (!(shape & Shape.CLIENT_HELLO)) return shape | Shape.CLIENT_HELLO;
    if (shape & Shape.RETRY && !(shape & Shape.CLIENT_HELLO_2)) return shape | Shape.CLIENT_HELLO_2;
    return shape | Shape.IRREGULAR;
  }
  if (!(shape & Shape.CLIENT_HELLO)) return shape | Shape.IRREGULAR;
  if (type === SERVER_HELLO) {
    if (name !== "HelloRetryRequest") return shape | Shape.SERVER_HELLO;
    return shape | (shape & Shape.RETRY ? Shape.IRREGULAR : Shape.RETRY);
  }
  if (type === CERTIFICATE) return dir === "s2c" ? shape | Shape.SERVER_CERTIFICATE : shape;
  if (type === FINISHED) return shape | (shape & Shape.FINISHED ? Shape.FINISHED_2 : Shape.FINISHED);
  if (type === HELLO_REQUEST) return shape | Shape.IRREGULAR;
  return shape;
}

/** What the hellos of one connection showed, in a few numbers (no allocation per connection). */
export interface HelloNotes {
  /** The message list's shape (Shape bits), tallied as the connection kept its messages. */
  shape: number;
  /** The first ClientHello (bits 0–9) and the one answering a HelloRetryRequest (bits 10–19). */
  clientHellos: number;
  /** The HelloRetryRequest (bits 0–9) and the ServerHello (bits 10–19). */
  serverHellos: number;
  /** The group the HelloRetryRequest selected, -1 without one. */
  retryGroup: number;
}

export const firstClientHello = (n: HelloNotes): number => n.clientHellos & SLOT;
export const retryClientHello = (n: HelloNotes): number => (n.clientHellos >> SECOND) & SLOT;
export const helloRetry = (n: HelloNotes): number => n.serverHellos & SLOT;
export const serverHello = (n: HelloNotes): number => (n.serverHellos >> SECOND) & SLOT;

const DOWNGRD = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44];

// Read once: the registries' constant objects are large, and these are compared per suite and per extension.
const CLIENT_HELLO: number = HandshakeType.client_hello;
const SERVER_HELLO: number = HandshakeType.server_hello;
const FALLBACK_SCSV: number = CipherSuite.TLS_FALLBACK_SCSV;
const PRE_SHARED_KEY: number = ExtensionType.pre_shared_key;
const EARLY_DATA: number = ExtensionType.early_data;
const SESSION_TICKET: number = ExtensionType.session_ticket;
const SUPPORTED_VERSIONS: number = ExtensionType.supported_versions;
const TLS13: number = ProtocolVersion.TLSv1_3;
const KEY_SHARE: number = ExtensionType.key_share;

/** A HelloRetryRequest's selected_group, set by the last walk of one (read by noteHello). */
let selectedGroup = -1;

/**
 * Walks a ClientHello or ServerHello (4-byte header included) into Hello bits. `wanted`: for a ClientHello, the
 * group a HelloRetryRequest selected (-1: none); for a ServerHello, whether it is a HelloRetryRequest.
 */
export function helloBits(raw: Uint8Array, wanted: number, retry: boolean): number {
  const type = raw[0];
  if (raw.length < 4 + 2 + 32 + 1) return Hello.BAD;
  let bits = 0;
  let shares = 0;
  let p = 4 + 2;
  if (type === SERVER_HELLO) {
    let sentinel = true;
    for (let i = 0; i < 7; i++) if (raw[p + 24 + i] !== DOWNGRD[i]) sentinel = false;
    if (sentinel) bits |= Hello.SENTINEL;
  }
  p += 32;
  const sessionIdLength = raw[p];
  if (sessionIdLength > 0) bits |= Hello.SESSION_ID;
  p += 1 + sessionIdLength;
  if (type === CLIENT_HELLO) {
    if (p + 2 > raw.length) return Hello.BAD;
    const n = u16(raw, p);
    p += 2;
    if (p + n > raw.length) return Hello.BAD;
    for (let q = p; q + 1 < p + n; q += 2) if (u16(raw, q) === FALLBACK_SCSV) bits |= Hello.FALLBACK_SCSV;
    p += n;
    if (p >= raw.length) return Hello.BAD;
    p += 1 + raw[p];
  } else if (type === SERVER_HELLO) {
    p += 3;
  } else return Hello.BAD;
  if (p === raw.length) return retry ? bits | Hello.BAD : bits;
  if (p + 2 > raw.length) return Hello.BAD;
  const end = p + 2 + u16(raw, p);
  if (end > raw.length) return Hello.BAD;
  p += 2;
  // Each step moves past one extension's header and body: bounded by `end`.
  while (p + 4 <= end) {
    const t = u16(raw, p);
    const len = u16(raw, p + 2);
    if (t === PRE_SHARED_KEY) bits |= Hello.PSK;
    else if (t === EARLY_DATA) bits |= Hello.EARLY_DATA;
    else if (t === SESSION_TICKET && len > 0) bits |= Hello.TICKET;
    else if (t === KEY_SHARE) {
      const stop = Math.min(p + 4 + len, end);
      if (type !== CLIENT_HELLO) {
        if (p + 6 <= stop) {
          shares++;
          selectedGroup = u16(raw, p + 4);
        }
      } else {
        // client_shares<0..2^16-1>: group u16, key_exchange<1..2^16-1>; each step moves past one entry.
        for (let q = p + 6; q + 4 <= stop; q += 4 + u16(raw, q + 2)) if (u16(raw, q) === wanted) bits |= Hello.KEY_SHARE_OK;
      }
    } else if (t === SUPPORTED_VERSIONS && type === CLIENT_HELLO) {
      const stop = Math.min(p + 4 + len, end);
      for (let q = p + 5; q + 1 < stop; q += 2) if (u16(raw, q) === TLS13) bits |= Hello.OFFERS_13;
    }
    p += 4 + len;
  }
  if (p !== end) return Hello.BAD;
  if (retry && shares === 1) bits |= Hello.KEY_SHARE_OK;
  return bits;
}

/**
 * Notes one hello of the connection, in the order they came: the first ClientHello, the HelloRetryRequest, the
 * ClientHello after it, the ServerHello. Hellos beyond those (a renegotiation) are not noted: the rules see them in
 * the message list.
 */
export function noteHello(notes: HelloNotes, raw: Uint8Array, name: string): void {
  if (name === "ClientHello") {
    if (notes.clientHellos === 0) notes.clientHellos = helloBits(raw, -1, false) | Hello.SEEN;
    else if (notes.serverHellos & Hello.SEEN && retryClientHello(notes) === 0)
      notes.clientHellos |= (helloBits(raw, notes.retryGroup, false) | Hello.SEEN) << SECOND;
  } else if (name === "HelloRetryRequest") {
    if (notes.serverHellos === 0) {
      selectedGroup = -1;
      notes.serverHellos = helloBits(raw, -1, true) | Hello.SEEN;
      notes.retryGroup = selectedGroup;
    }
  } else if (name === "ServerHello") {
    if (serverHello(notes) === 0) notes.serverHellos |= (helloBits(raw, -1, false) | Hello.SEEN) << SECOND;
  }
}
