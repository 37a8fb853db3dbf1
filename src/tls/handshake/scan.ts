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
 * produces the located error. test/unit/tls/handshake/scan.test.ts holds the two readers to that contract on every
 * fixture message and on mutated ones.
 *
 * One grammar: the lengths, minimums and item sizes are not restated here. Each message file declares the vectors
 * it reads (src/tls/shape.ts) and its decoder and this scanner both read those declarations; each extension carries
 * its own `scan` beside its `decode` (src/tls/extensions/*), which this scanner calls by extension type. Adding or
 * changing an extension touches its one file.
 */
import { EXTENSIONS_WIDTH, extensionDecoders, listsExtension } from "../extensions";
import { AUTHORITIES_WIDTH, DISTINGUISHED_NAME } from "../extensions/certificateAuthorities";
import { ECCurveType, ExtensionType, HandshakeType, ProtocolVersion } from "../registry";
import type { ExtensionHost } from "../extensions/types";
import { skipFixedList, skipOpaque, skipVector, u16, u24 } from "../shape";
import { CIPHER_SUITES, COMPRESSION_METHODS } from "./clientHello";
import { SESSION_ID, SIGNATURE } from "./common";
import { CERT_DATA, CERTIFICATE_LIST, CERTIFICATE_REQUEST_CONTEXT } from "./certificate";
import { CERTIFICATE_TYPES, SUPPORTED_SIGNATURE_ALGORITHMS } from "./certificateRequest";
import { DH_YC, ECDH_YC, ENCRYPTED_PREMASTER } from "./clientKeyExchange";
import { DH_PARAMETER, EC_POINT } from "./serverKeyExchange";
import { TICKET, TICKET_NONCE, TICKET_TLS12 } from "./newSessionTicket";
import { messageName } from "./decode";
import { isHelloRetryRandomAt } from "./hrr";
import { keyExchangeKind } from "./keyExchangeKind";
import { isTls13 } from "./message";
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

/** One result object, reused: the caller reads it before the next call (no allocation per message). */
const out: HandshakeScan = { type: 0, name: "", length: 0, legacyVersion: null, randomAt: -1, cipherSuite: null, selectedVersion: null, sni: null, alpn: null };

/** The RFC 5246 §4.7 digitally-signed element, with or without its SignatureAndHashAlgorithm. */
function signed(b: Uint8Array, p: number, e: number, version: number | null): number {
  if (signedHasAlgorithm(version, b, p, e)) {
    if (e - p < 2) return -1;
    p += 2;
  }
  return skipVector(b, p, e, SIGNATURE);
}

// ---- extensions: each extension's own `scan`, beside its decoder (src/tls/extensions) ----

/**
 * One extension body [p, e) in `host`: true when its decoder reads it without an error. An extension without a
 * decoder is shown as opaque bytes, whatever they are; one whose decoder has no `scan` sends the message to the
 * full decoder.
 */
function extensionBody(type: number, host: ExtensionHost, b: Uint8Array, p: number, e: number): boolean {
  const spec = extensionDecoders.get(type);
  if (spec === undefined) return true;
  return spec.scan !== undefined && spec.scan(b, p, e, host, out);
}

/** `Extension extensions<min..2^16-1>` filling [p, e) exactly. */
function extensions(b: Uint8Array, p: number, e: number, host: ExtensionHost, min: number): boolean {
  const q = skipOpaque(b, p, e, EXTENSIONS_WIDTH, min);
  if (q !== e) return false;
  for (let i = p + EXTENSIONS_WIDTH; i < q;) {
    // extension_type (2 bytes), then opaque extension_data<0..2^16-1>.
    if (q - i < 4) return false;
    const type = u16(b, i);
    const end = skipOpaque(b, i + 2, q, 2, 0);
    if (end < 0 || !extensionBody(type, host, b, i + 4, end)) return false;
    i = end;
  }
  return true;
}

// ---- messages: each reads the body [p, e) and must end exactly at e, with the shapes its decoder reads ----

/** ProtocolVersion, Random (32 bytes), session id: returns the position after them. */
function helloStart(b: Uint8Array, p: number, e: number): number {
  if (e - p < 34) return -1;
  out.legacyVersion = u16(b, p);
  out.randomAt = p + 2;
  return skipVector(b, p + 34, e, SESSION_ID);
}

function clientHello(b: Uint8Array, p: number, e: number): boolean {
  p = helloStart(b, p, e);
  if (p < 0) return false;
  p = skipFixedList(b, p, e, CIPHER_SUITES);
  if (p < 0) return false;
  p = skipFixedList(b, p, e, COMPRESSION_METHODS);
  if (p < 0) return false;
  // RFC 5246 §7.4.1.2: the extensions may be absent altogether.
  if (p === e) return true;
  // supported_versions makes it a TLS 1.3 hello, whose extensions have a minimum; framing is checked after.
  return extensions(b, p, e, "client_hello", listsExtension(b, p, e, ExtensionType.supported_versions) ? 8 : 0);
}

function serverHello(b: Uint8Array, p: number, e: number): boolean {
  const hrr = e - p >= 34 && isHelloRetryRandomAt(b, p + 2);
  if (hrr) out.name = "HelloRetryRequest";
  p = helloStart(b, p, e);
  // cipher_suite (2 bytes) and compression_method (1).
  if (p < 0 || e - p < 3) return false;
  out.cipherSuite = u16(b, p);
  p += 3;
  if (p === e) return true;
  const tls13 = hrr || listsExtension(b, p, e, ExtensionType.supported_versions);
  return extensions(b, p, e, hrr ? "hello_retry_request" : "server_hello", tls13 ? 6 : 0);
}

function certificate(b: Uint8Array, p: number, e: number, version: number | null): boolean {
  if (!isTls13(version)) {
    const q = skipVector(b, p, e, CERTIFICATE_LIST);
    if (q !== e) return false;
    for (let i = p + CERTIFICATE_LIST.width; i < q;) if ((i = skipVector(b, i, q, CERT_DATA)) < 0) return false;
    return true;
  }
  p = skipVector(b, p, e, CERTIFICATE_REQUEST_CONTEXT);
  if (p < 0) return false;
  const q = skipVector(b, p, e, CERTIFICATE_LIST);
  if (q !== e) return false;
  for (let i = p + CERTIFICATE_LIST.width; i < q;) {
    i = skipVector(b, i, q, CERT_DATA);
    if (i < 0) return false;
    const x = skipOpaque(b, i, q, EXTENSIONS_WIDTH, 0);
    if (x < 0 || !extensions(b, i, x, "certificate", 0)) return false;
    i = x;
  }
  return true;
}

function serverKeyExchange(b: Uint8Array, p: number, e: number, version: number | null, suite: number | null): boolean {
  const kind = keyExchangeKind(suite);
  // The (EC)DHE forms only; PSK, export RSA and unknown suites (whose form the decoder sniffs) are left to it.
  if (kind.psk) return false;
  if (kind.base === "ecdhe") {
    // ECParameters: curve_type named_curve (1 byte) and the NamedGroup (2), then the ECPoint.
    if (e - p < 3 || b[p] !== ECCurveType.named_curve) return false;
    p = skipVector(b, p + 3, e, EC_POINT);
  } else if (kind.base === "dhe") {
    // dh_p, dh_g, dh_Ys.
    for (let i = 0; i < 3 && p >= 0; i++) p = skipVector(b, p, e, DH_PARAMETER);
  } else {
    return false;
  }
  if (p < 0) return false;
  return (kind.signed ? signed(b, p, e, version) : p) === e;
}

function certificateRequest(b: Uint8Array, p: number, e: number, version: number | null): boolean {
  // The TLS 1.3 form travels encrypted: with keys, the full decoder reads it.
  if (isTls13(version)) return false;
  p = skipFixedList(b, p, e, CERTIFICATE_TYPES);
  if (p < 0) return false;
  if (version === null || version >= ProtocolVersion.TLSv1_2) p = skipFixedList(b, p, e, SUPPORTED_SIGNATURE_ALGORITHMS);
  if (p < 0) return false;
  const q = skipOpaque(b, p, e, AUTHORITIES_WIDTH, 0);
  if (q !== e) return false;
  for (let i = p + AUTHORITIES_WIDTH; i < q;) if ((i = skipVector(b, i, q, DISTINGUISHED_NAME)) < 0) return false;
  return true;
}

function clientKeyExchange(b: Uint8Array, p: number, e: number, suite: number | null): boolean {
  const kind = keyExchangeKind(suite);
  if (kind.psk) return false;
  let form = kind.base;
  // The decoder's sniffing rule for a suite whose key exchange is unknown: a 1-byte length filling the body is an ECDH point.
  if (form !== "ecdhe" && form !== "dhe" && form !== "rsa") form = e - p >= 1 && 1 + b[p] === e - p ? "ecdhe" : "rsa";
  const shape = form === "ecdhe" ? ECDH_YC : form === "dhe" ? DH_YC : ENCRYPTED_PREMASTER;
  return skipVector(b, p, e, shape) === e;
}

function newSessionTicket(b: Uint8Array, p: number, e: number, version: number | null): boolean {
  // TLS 1.2: ticket_lifetime_hint (4 bytes), then the ticket.
  const fitsTls12 = e - p >= 6 && 6 + u16(b, p + 4) === e - p;
  if (!(version !== null ? isTls13(version) : !fitsTls12)) return e - p >= 4 && skipVector(b, p + 4, e, TICKET_TLS12) === e;
  // TLS 1.3: ticket_lifetime and ticket_age_add (4 bytes each), nonce, ticket, extensions.
  if (e - p < 8) return false;
  p = skipVector(b, p + 8, e, TICKET_NONCE);
  if (p < 0) return false;
  p = skipVector(b, p, e, TICKET);
  return p >= 0 && extensions(b, p, e, "new_session_ticket", 0);
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
      ok = extensions(raw, 4, e, "encrypted_extensions", 0);
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
