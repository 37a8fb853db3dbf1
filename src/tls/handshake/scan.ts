/**
 * The summary scanner: checks one handshake message against the same grammar the labelled decoders read (RFC 8446
 * §4, RFC 5246 §7.4 and the extension RFCs) and picks out only what a connection summary shows — the message's
 * name, the hellos' version, random, cipher suite, SNI and ALPN.
 *
 * Why a second reader: `inspect --summary` of a large capture decodes hundreds of thousands of messages, and the
 * labelled decoders, even with annotation off, build the spec's `fields` objects, hex strings and closures the
 * summary then throws away (measured: three quarters of the TLS layer's time on a 97k-connection capture). This
 * reader walks offsets and allocates nothing but the strings it returns.
 *
 * It is conservative by contract: it answers only when the full decoder would decode the message without an error
 * and with the same values; anything else — a malformed or truncated message, a message type or an extension it
 * does not mirror, a form that depends on sniffing — returns null and the caller uses `decodeHandshake`, which
 * produces the located error. test/unit/handshake/scan.test.ts holds the two readers to that contract on every
 * fixture message and on mutated ones.
 */
import { extensionDecoders, listsExtension } from "../extensions";
import { CertificateStatusType, ExtensionType, HandshakeType, ProtocolVersion } from "../registry";
import { messageName } from "./decode";
import { isHelloRetryRandomAt } from "./hrr";
import { keyExchangeKind } from "./keyExchangeKind";
import { isTls13, latin1 } from "./message";
import { signedHasAlgorithm } from "./common";

/** What a connection summary needs from one message (fields that do not apply are null). */
export interface HandshakeScan {
  type: number;
  /** The registry name, or HelloRetryRequest for a ServerHello carrying the special random. */
  name: string;
  /** The body length from the message header. */
  length: number;
  /** Hellos: legacy_version / client_version / server_version. */
  legacyVersion: number | null;
  /** ClientHello, ServerHello: where the 32-byte random starts in the message, else -1 (no view is made). */
  randomAt: number;
  /** ServerHello, HelloRetryRequest: the cipher suite. */
  cipherSuite: number | null;
  /** ServerHello, HelloRetryRequest: supported_versions' selected_version. */
  selectedVersion: number | null;
  /** ClientHello: the host name the decoders report (the first host_name entry, else the first entry). */
  sni: string | null;
  /** The first protocol of the first ALPN extension. */
  alpn: string | null;
}

/** Extension hosts (see extensions/types.ts ExtensionHost). */
const enum Host {
  ClientHello,
  ServerHello,
  HelloRetryRequest,
  EncryptedExtensions,
  Certificate,
  NewSessionTicket,
}

/** One result object, reused: the caller reads it before the next call (no allocation per message). */
const out: HandshakeScan = { type: 0, name: "", length: 0, legacyVersion: null, randomAt: -1, cipherSuite: null, selectedVersion: null, sni: null, alpn: null };

const u16 = (b: Uint8Array, p: number): number => (b[p] << 8) | b[p + 1];
const u24 = (b: Uint8Array, p: number): number => (b[p] << 16) | (b[p + 1] << 8) | b[p + 2];

/**
 * Every reader below takes the buffer, a position and the current bound, and returns the position after what it
 * read, or -1 when the decoder would fail there.
 */

/** opaque name<min..max> with a `w`-byte length. */
function opaque(b: Uint8Array, p: number, e: number, w: 1 | 2 | 3, min: number, max = Infinity): number {
  if (e - p < w) return -1;
  const len = w === 1 ? b[p] : w === 2 ? u16(b, p) : u24(b, p);
  if (len < min || len > max || len > e - p - w) return -1;
  return p + w + len;
}

/** A vector of fixed-size items (`size` bytes each) with a `w`-byte length, `<min..max>` in bytes. */
function fixedList(b: Uint8Array, p: number, e: number, w: 1 | 2 | 3, size: number, min: number, max = Infinity): number {
  const q = opaque(b, p, e, w, min, max);
  if (q < 0) return -1;
  // A trailing partial item is a read past the body's end in the decoder.
  return (q - p - w) % size === 0 ? q : -1;
}

/** A vector of opaque<itemMin..> items with `iw`-byte lengths, inside a `w`-byte-length vector of at least `min`. */
function opaqueList(b: Uint8Array, p: number, e: number, w: 1 | 2 | 3, min: number, iw: 1 | 2 | 3, itemMin: number): number {
  const q = opaque(b, p, e, w, min);
  if (q < 0) return -1;
  // Each item consumes at least its length field, so the loop is bounded by the body's length.
  for (let i = p + w; i < q;) {
    i = opaque(b, i, q, iw, itemMin);
    if (i < 0) return -1;
  }
  return q;
}

/** The RFC 5246 §4.7 digitally-signed element, with or without its SignatureAndHashAlgorithm. */
function signed(b: Uint8Array, p: number, e: number, version: number | null): number {
  if (signedHasAlgorithm(version, b, p, e)) {
    if (e - p < 2) return -1;
    p += 2;
  }
  return opaque(b, p, e, 2, 0);
}

// ---- extensions ----

/** RFC 6066 §3 server_name_list in a ClientHello; records the name the decoder reports. */
function serverNameList(b: Uint8Array, p: number, e: number): boolean {
  const q = opaque(b, p, e, 2, 1);
  if (q !== e) return false;
  let first = -1;
  let host = -1;
  for (let i = p + 2; i < q;) {
    if (q - i < 1) return false;
    const at = i + 1;
    i = opaque(b, at, q, 2, 1);
    if (i < 0) return false;
    if (first < 0) first = at;
    if (host < 0 && b[at - 1] === 0) host = at;
  }
  const at = host >= 0 ? host : first;
  if (at >= 0 && out.sni === null) out.sni = latin1(b.subarray(at + 2, at + 2 + u16(b, at)));
  return true;
}

/** RFC 7301 §3.1 ProtocolNameList; records the first protocol of the first list. */
function protocolNameList(b: Uint8Array, p: number, e: number): boolean {
  if (opaqueList(b, p, e, 2, 2, 1, 1) !== e) return false;
  if (out.alpn === null) out.alpn = latin1(b.subarray(p + 3, p + 3 + b[p + 2]));
  return true;
}

/** RFC 6066 §8 OCSPStatusRequest after its status_type, or any other request body. */
function statusRequestBody(b: Uint8Array, p: number, e: number): boolean {
  if (e - p < 1) return false;
  if (b[p] !== 1) return true;
  const q = opaqueList(b, p + 1, e, 2, 0, 2, 1);
  return q >= 0 && opaque(b, q, e, 2, 0) === e;
}

/** RFC 8446 §4.4.2.1 CertificateStatus (in a TLS 1.3 CertificateEntry). */
function certificateStatus(b: Uint8Array, p: number, e: number): boolean {
  if (e - p < 1) return false;
  const type = b[p];
  if (type === CertificateStatusType.ocsp) return opaque(b, p + 1, e, 3, 1) === e;
  if (type === CertificateStatusType.ocsp_multi) return opaqueList(b, p + 1, e, 3, 1, 3, 0) === e;
  return true;
}

/** RFC 8446 §4.2.11 OfferedPsks. */
function offeredPsks(b: Uint8Array, p: number, e: number): boolean {
  const ids = opaque(b, p, e, 2, 7);
  if (ids < 0) return false;
  for (let i = p + 2; i < ids;) {
    i = opaque(b, i, ids, 2, 1);
    if (i < 0 || ids - i < 4) return false;
    i += 4;
  }
  return opaqueList(b, ids, e, 2, 33, 1, 32) === e;
}

/** KeyShareEntry: NamedGroup group; opaque key_exchange<1..2^16-1>. */
function keyShareEntry(b: Uint8Array, p: number, e: number): number {
  return e - p < 2 ? -1 : opaque(b, p + 2, e, 2, 1);
}

/**
 * One extension body [p, e) in `host`: true when its decoder (extensions/index.ts) reads it without an error.
 * Types with a decoder not mirrored here answer false, so the caller falls back to the full decoder.
 */
function extensionBody(type: number, host: Host, b: Uint8Array, p: number, e: number): boolean {
  switch (type) {
    case ExtensionType.server_name: // a list in the ClientHello, empty (or shown as stray bytes) elsewhere
      return host !== Host.ClientHello || serverNameList(b, p, e);
    case ExtensionType.status_request:
      if (host === Host.ClientHello) return statusRequestBody(b, p, e);
      if (host === Host.Certificate) return certificateStatus(b, p, e);
      return true;
    case ExtensionType.supported_groups:
    case ExtensionType.signature_algorithms:
    case ExtensionType.signature_algorithms_cert:
      return fixedList(b, p, e, 2, 2, 2) === e;
    case ExtensionType.ec_point_formats:
    case ExtensionType.psk_key_exchange_modes:
      return fixedList(b, p, e, 1, 1, 1) === e;
    case ExtensionType.application_layer_protocol_negotiation:
      return protocolNameList(b, p, e);
    case ExtensionType.signed_certificate_timestamp: // empty from the client; the server's list is left to the decoder
      return host === Host.ClientHello || e === p;
    case ExtensionType.padding:
    case ExtensionType.encrypt_then_mac:
    case ExtensionType.extended_master_secret:
    case ExtensionType.session_ticket:
    case ExtensionType.post_handshake_auth:
      return true;
    case ExtensionType.compress_certificate:
      return fixedList(b, p, e, 1, 2, 2) === e;
    case ExtensionType.record_size_limit:
      return e - p === 2;
    case ExtensionType.pre_shared_key:
      if (host === Host.ServerHello) return e - p === 2;
      return host !== Host.ClientHello || offeredPsks(b, p, e);
    case ExtensionType.supported_versions:
      if (host === Host.ClientHello) return fixedList(b, p, e, 1, 2, 2, 254) === e;
      if (host === Host.ServerHello || host === Host.HelloRetryRequest) {
        if (e - p !== 2) return false;
        out.selectedVersion = u16(b, p);
      }
      return true;
    case ExtensionType.key_share:
      if (host === Host.ClientHello) {
        const q = opaque(b, p, e, 2, 0);
        if (q !== e) return false;
        for (let i = p + 2; i < q;) if ((i = keyShareEntry(b, i, q)) < 0) return false;
        return true;
      }
      if (host === Host.ServerHello) return keyShareEntry(b, p, e) === e;
      if (host === Host.HelloRetryRequest) return e - p === 2;
      return true;
    case ExtensionType.renegotiation_info:
      return opaque(b, p, e, 1, 0) === e;
    default:
      // No decoder: shown as opaque bytes, whatever they are. A decoder this reader does not mirror: ask it.
      return !extensionDecoders.has(type);
  }
}

/** `Extension extensions<min..2^16-1>` filling [p, e) exactly. */
function extensions(b: Uint8Array, p: number, e: number, host: Host, min: number): boolean {
  const q = opaque(b, p, e, 2, min);
  if (q !== e) return false;
  for (let i = p + 2; i < q;) {
    if (q - i < 4) return false;
    const type = u16(b, i);
    const end = opaque(b, i + 2, q, 2, 0);
    if (end < 0 || !extensionBody(type, host, b, i + 4, end)) return false;
    i = end;
  }
  return true;
}

// ---- messages: each reads the body [p, e) and must end exactly at e ----

/** ProtocolVersion, Random, session id<0..32>: returns the position after them. */
function helloStart(b: Uint8Array, p: number, e: number): number {
  if (e - p < 34) return -1;
  out.legacyVersion = u16(b, p);
  out.randomAt = p + 2;
  return opaque(b, p + 34, e, 1, 0, 32);
}

function clientHello(b: Uint8Array, p: number, e: number): boolean {
  p = helloStart(b, p, e);
  if (p < 0) return false;
  p = fixedList(b, p, e, 2, 2, 2);
  if (p < 0) return false;
  p = opaque(b, p, e, 1, 1);
  if (p < 0) return false;
  // RFC 5246 §7.4.1.2: the extensions may be absent altogether.
  if (p === e) return true;
  // supported_versions (43) makes it a TLS 1.3 hello, whose extensions have a minimum; framing is checked after.
  return extensions(b, p, e, Host.ClientHello, listsExtension(b, p, e, 43) ? 8 : 0);
}

function serverHello(b: Uint8Array, p: number, e: number): boolean {
  const hrr = e - p >= 34 && isHelloRetryRandomAt(b, p + 2);
  if (hrr) out.name = "HelloRetryRequest";
  p = helloStart(b, p, e);
  if (p < 0 || e - p < 3) return false;
  out.cipherSuite = u16(b, p);
  p += 3;
  if (p === e) return true;
  const tls13 = hrr || listsExtension(b, p, e, 43);
  return extensions(b, p, e, hrr ? Host.HelloRetryRequest : Host.ServerHello, tls13 ? 6 : 0);
}

function certificate(b: Uint8Array, p: number, e: number, version: number | null): boolean {
  if (!isTls13(version)) return opaqueList(b, p, e, 3, 0, 3, 1) === e;
  p = opaque(b, p, e, 1, 0);
  if (p < 0) return false;
  const q = opaque(b, p, e, 3, 0);
  if (q !== e) return false;
  for (let i = p + 3; i < q;) {
    i = opaque(b, i, q, 3, 1);
    if (i < 0) return false;
    const x = opaque(b, i, q, 2, 0);
    if (x < 0 || !extensions(b, i, x, Host.Certificate, 0)) return false;
    i = x;
  }
  return true;
}

function serverKeyExchange(b: Uint8Array, p: number, e: number, version: number | null, suite: number | null): boolean {
  const kind = keyExchangeKind(suite);
  // The (EC)DHE forms only; PSK, export RSA and unknown suites (whose form the decoder sniffs) are left to it.
  if (kind.psk) return false;
  if (kind.base === "ecdhe") {
    if (e - p < 3 || b[p] !== 3) return false;
    p = opaque(b, p + 3, e, 1, 1);
  } else if (kind.base === "dhe") {
    for (let i = 0; i < 3 && p >= 0; i++) p = opaque(b, p, e, 2, 1);
  } else {
    return false;
  }
  if (p < 0) return false;
  return (kind.signed ? signed(b, p, e, version) : p) === e;
}

function certificateRequest(b: Uint8Array, p: number, e: number, version: number | null): boolean {
  // The TLS 1.3 form travels encrypted: with keys, the full decoder reads it.
  if (isTls13(version)) return false;
  p = opaque(b, p, e, 1, 1);
  if (p < 0) return false;
  if (version === null || version >= ProtocolVersion.TLSv1_2) p = fixedList(b, p, e, 2, 2, 2);
  return p >= 0 && opaqueList(b, p, e, 2, 0, 2, 1) === e;
}

function clientKeyExchange(b: Uint8Array, p: number, e: number, suite: number | null): boolean {
  const kind = keyExchangeKind(suite);
  if (kind.psk) return false;
  let form = kind.base;
  if (form !== "ecdhe" && form !== "dhe" && form !== "rsa") form = e - p >= 1 && 1 + b[p] === e - p ? "ecdhe" : "rsa";
  if (form === "ecdhe") return opaque(b, p, e, 1, 1) === e;
  return opaque(b, p, e, 2, form === "dhe" ? 1 : 0) === e;
}

function newSessionTicket(b: Uint8Array, p: number, e: number, version: number | null): boolean {
  const fitsTls12 = e - p >= 6 && 6 + u16(b, p + 4) === e - p;
  if (!(version !== null ? isTls13(version) : !fitsTls12)) return e - p >= 4 && opaque(b, p + 4, e, 2, 0) === e;
  if (e - p < 8) return false;
  p = opaque(b, p + 8, e, 1, 0);
  if (p < 0) return false;
  p = opaque(b, p, e, 2, 1);
  return p >= 0 && extensions(b, p, e, Host.NewSessionTicket, 0);
}

/**
 * Scan one whole handshake message (header included) in a connection whose negotiated version and suite are
 * known so far. Returns the shared result object, valid until the next call, or null: use the full decoder.
 */
export function scanHandshake(raw: Uint8Array, version: number | null, cipherSuite: number | null): HandshakeScan | null {
  const e = raw.length;
  if (e < 4 || 4 + u24(raw, 1) !== e) return null;
  const type = raw[0];
  out.type = type;
  out.name = messageName(type);
  out.length = e - 4;
  out.legacyVersion = null;
  out.randomAt = -1;
  out.cipherSuite = null;
  out.selectedVersion = null;
  out.sni = null;
  out.alpn = null;
  let ok: boolean;
  switch (type) {
    case HandshakeType.client_hello:
      ok = clientHello(raw, 4, e);
      break;
    case HandshakeType.server_hello:
      ok = serverHello(raw, 4, e);
      break;
    case HandshakeType.new_session_ticket:
      ok = newSessionTicket(raw, 4, e, version);
      break;
    case HandshakeType.encrypted_extensions:
      ok = extensions(raw, 4, e, Host.EncryptedExtensions, 0);
      break;
    case HandshakeType.certificate:
      ok = certificate(raw, 4, e, version);
      break;
    case HandshakeType.server_key_exchange:
      ok = serverKeyExchange(raw, 4, e, version, cipherSuite);
      break;
    case HandshakeType.certificate_request:
      ok = certificateRequest(raw, 4, e, version);
      break;
    case HandshakeType.server_hello_done:
      ok = e === 4;
      break;
    case HandshakeType.certificate_verify:
      ok = signed(raw, 4, e, version) === e;
      break;
    case HandshakeType.client_key_exchange:
      ok = clientKeyExchange(raw, 4, e, cipherSuite);
      break;
    case HandshakeType.finished:
      ok = true;
      break;
    default:
      ok = false;
  }
  return ok ? out : null;
}
