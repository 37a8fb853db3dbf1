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
import { ExtensionType, HandshakeType, ProtocolVersion } from "../registry";
import type { ExtensionHost } from "../extensions/types";
import { skipOpaque, u16, u24 } from "../shape";
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

/** The primitives of src/tls/shape.ts by the RFC's notation: opaque x<min..max> with a `w`-byte length, … */
const opaque = skipOpaque;

/** A vector of fixed-size items (`size` bytes each) with a `w`-byte length, `<min..max>` in bytes. */
function fixedList(b: Uint8Array, p: number, e: number, w: 1 | 2 | 3, size: number, min: number, max = Infinity): number {
  const q = skipOpaque(b, p, e, w, min, max);
  return q >= 0 && (q - p - w) % size === 0 ? q : -1;
}

/** A vector of opaque<itemMin..> items with `iw`-byte lengths, inside a `w`-byte-length vector of at least `min`. */
function opaqueList(b: Uint8Array, p: number, e: number, w: 1 | 2 | 3, min: number, iw: 1 | 2 | 3, itemMin: number): number {
  const q = skipOpaque(b, p, e, w, min);
  if (q < 0) return -1;
  for (let i = p + w; i < q;) {
    i = skipOpaque(b, i, q, iw, itemMin);
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
  // supported_versions makes it a TLS 1.3 hello, whose extensions have a minimum; framing is checked after.
  return extensions(b, p, e, "client_hello", listsExtension(b, p, e, ExtensionType.supported_versions) ? 8 : 0);
}

function serverHello(b: Uint8Array, p: number, e: number): boolean {
  const hrr = e - p >= 34 && isHelloRetryRandomAt(b, p + 2);
  if (hrr) out.name = "HelloRetryRequest";
  p = helloStart(b, p, e);
  if (p < 0 || e - p < 3) return false;
  out.cipherSuite = u16(b, p);
  p += 3;
  if (p === e) return true;
  const tls13 = hrr || listsExtension(b, p, e, ExtensionType.supported_versions);
  return extensions(b, p, e, hrr ? "hello_retry_request" : "server_hello", tls13 ? 6 : 0);
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
