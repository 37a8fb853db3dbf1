/**
 * Cheap looks at a hello's bytes (offsets only, nothing built) that tell whether the full rules have anything to
 * find in a connection that ended well: a large capture's healthy connections are decided here, without decoding.
 * Every walk is bounded by the message's own lengths; malformed bytes answer "look closer" (the decoder will say
 * what is wrong).
 */
import { CipherSuite, ExtensionType, HandshakeType, ProtocolVersion } from "../../tls/registry";

const u16 = (b: Uint8Array, p: number) => (b[p] << 8) | b[p + 1];

/** The `ClientHello`'s signals the rules react to; null when the bytes do not walk cleanly. */
export interface HelloSignals {
  /** TLS_FALLBACK_SCSV among the suites (RFC 7507). */
  fallbackScsv: boolean;
  /** pre_shared_key (TLS 1.3 resumption) or early_data offered / accepted. */
  psk: boolean;
  earlyData: boolean;
  /** A non-empty session_ticket extension (RFC 5077). */
  ticket: boolean;
  sessionIdLength: number;
  /** ServerHello only: the random ends in RFC 8446 §4.1.3's "DOWNGRD". */
  sentinel: boolean;
  /** ClientHello only: supported_versions lists TLS 1.3. */
  offers13: boolean;
  /** ClientHello: the groups of its key_share entries; HelloRetryRequest: its selected_group (RFC 8446 §4.2.8). */
  keyShares: number[];
}

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

/** Walks a ClientHello or ServerHello (4-byte header included). */
export function helloSignals(raw: Uint8Array): HelloSignals | null {
  const type = raw[0];
  if (raw.length < 4 + 2 + 32 + 1) return null;
  const s: HelloSignals = {
    fallbackScsv: false,
    psk: false,
    earlyData: false,
    ticket: false,
    sessionIdLength: 0,
    sentinel: false,
    offers13: false,
    keyShares: [],
  };
  let p = 4 + 2;
  if (type === SERVER_HELLO) {
    s.sentinel = true;
    for (let i = 0; i < 7; i++) if (raw[p + 24 + i] !== DOWNGRD[i]) s.sentinel = false;
  }
  p += 32;
  s.sessionIdLength = raw[p];
  p += 1 + s.sessionIdLength;
  if (type === CLIENT_HELLO) {
    if (p + 2 > raw.length) return null;
    const n = u16(raw, p);
    p += 2;
    if (p + n > raw.length) return null;
    for (let q = p; q + 1 < p + n; q += 2) if (u16(raw, q) === FALLBACK_SCSV) s.fallbackScsv = true;
    p += n;
    if (p >= raw.length) return null;
    p += 1 + raw[p];
  } else if (type === SERVER_HELLO) {
    p += 3;
  } else return null;
  if (p === raw.length) return s;
  if (p + 2 > raw.length) return null;
  const end = p + 2 + u16(raw, p);
  if (end > raw.length) return null;
  p += 2;
  // Each step moves past one extension's header and body: bounded by `end`.
  while (p + 4 <= end) {
    const t = u16(raw, p);
    const len = u16(raw, p + 2);
    if (t === PRE_SHARED_KEY) s.psk = true;
    else if (t === EARLY_DATA) s.earlyData = true;
    else if (t === SESSION_TICKET && len > 0) s.ticket = true;
    else if (t === KEY_SHARE) {
      const stop = Math.min(p + 4 + len, end);
      if (type !== CLIENT_HELLO) {
        if (p + 6 <= stop) s.keyShares.push(u16(raw, p + 4));
      } else {
        // client_shares<0..2^16-1>: group u16, key_exchange<1..2^16-1>; each step moves past one entry.
        for (let q = p + 6; q + 4 <= stop; q += 4 + u16(raw, q + 2)) s.keyShares.push(u16(raw, q));
      }
    } else if (t === SUPPORTED_VERSIONS && type === CLIENT_HELLO) {
      const stop = Math.min(p + 4 + len, end);
      for (let q = p + 5; q + 1 < stop; q += 2) if (u16(raw, q) === TLS13) s.offers13 = true;
    }
    p += 4 + len;
  }
  return p === end ? s : null;
}
