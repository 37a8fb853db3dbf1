/**
 * Entry point: one handshake message (RFC 8446 §4: msg_type, uint24 length, body) decoded into `fields` (the
 * `inspect --json` view), `details` (values for the engine) and — when annotating — a field tree covering every
 * byte. Never throws on bad input: a DecodeError is returned in `error`, with everything read before it kept and
 * the error recorded on the node where it happened.
 */
import type { FieldNode } from "../field";
import { DecodeError, Reader } from "../reader";
import { cipherSuites, handshakeName, handshakeTypes, HandshakeType, namedGroups, ProtocolVersion, versionName } from "../registry";
import type { DecodedHandshake, HandshakeContext } from "./types";
import { plural, type BodyDecoder, type MessageState } from "./message";
import { decodeHelloRequest } from "./helloRequest";
import { decodeClientHello } from "./clientHello";
import { decodeServerHello } from "./serverHello";
import { decodeHelloVerifyRequest } from "./helloVerifyRequest";
import { decodeNewSessionTicket } from "./newSessionTicket";
import { decodeEndOfEarlyData } from "./endOfEarlyData";
import { decodeEncryptedExtensions } from "./encryptedExtensions";
import { decodeCertificate } from "./certificate";
import { decodeServerKeyExchange } from "./serverKeyExchange";
import { decodeCertificateRequest } from "./certificateRequest";
import { decodeServerHelloDone } from "./serverHelloDone";
import { decodeCertificateVerify } from "./certificateVerify";
import { decodeClientKeyExchange } from "./clientKeyExchange";
import { decodeFinished } from "./finished";
import { decodeCertificateStatus } from "./certificateStatus";
import { decodeKeyUpdate } from "./keyUpdate";
import { decodeCompressedCertificate } from "./compressedCertificate";
import { decodeMessageHash } from "./messageHash";
import { decodeOpaqueBody } from "./unknown";

interface MessageSpec {
  decode: BodyDecoder;
  rfc: string;
  note?: string;
}

/** Decoders by HandshakeType (IANA "TLS HandshakeType"). */
const MESSAGES: ReadonlyMap<number, MessageSpec> = new Map<number, MessageSpec>([
  [HandshakeType.hello_request, { decode: decodeHelloRequest, rfc: "RFC 5246 §7.4.1.1" }],
  [HandshakeType.client_hello, { decode: decodeClientHello, rfc: "RFC 8446 §4.1.2", note: "client-hello" }],
  [HandshakeType.server_hello, { decode: decodeServerHello, rfc: "RFC 8446 §4.1.3", note: "server-hello" }],
  [HandshakeType.hello_verify_request, { decode: decodeHelloVerifyRequest, rfc: "RFC 6347 §4.2.1" }],
  [HandshakeType.new_session_ticket, { decode: decodeNewSessionTicket, rfc: "RFC 8446 §4.6.1", note: "new-session-ticket" }],
  [HandshakeType.end_of_early_data, { decode: decodeEndOfEarlyData, rfc: "RFC 8446 §4.5", note: "psk-0rtt" }],
  [HandshakeType.encrypted_extensions, { decode: decodeEncryptedExtensions, rfc: "RFC 8446 §4.3.1", note: "encrypted-handshake" }],
  [HandshakeType.certificate, { decode: decodeCertificate, rfc: "RFC 8446 §4.4.2", note: "certificate" }],
  [HandshakeType.server_key_exchange, { decode: decodeServerKeyExchange, rfc: "RFC 5246 §7.4.3", note: "server-key-exchange" }],
  [HandshakeType.certificate_request, { decode: decodeCertificateRequest, rfc: "RFC 8446 §4.3.2", note: "certificate-request" }],
  [HandshakeType.server_hello_done, { decode: decodeServerHelloDone, rfc: "RFC 5246 §7.4.5", note: "server-hello-done" }],
  [HandshakeType.certificate_verify, { decode: decodeCertificateVerify, rfc: "RFC 8446 §4.4.3", note: "certificate-verify" }],
  [HandshakeType.client_key_exchange, { decode: decodeClientKeyExchange, rfc: "RFC 5246 §7.4.7", note: "client-key-exchange" }],
  [HandshakeType.finished, { decode: decodeFinished, rfc: "RFC 8446 §4.4.4", note: "finished" }],
  [HandshakeType.certificate_status, { decode: decodeCertificateStatus, rfc: "RFC 6066 §8" }],
  [HandshakeType.key_update, { decode: decodeKeyUpdate, rfc: "RFC 8446 §4.6.3", note: "key-update" }],
  [HandshakeType.compressed_certificate, { decode: decodeCompressedCertificate, rfc: "RFC 8879 §4", note: "certificate" }],
  [HandshakeType.message_hash, { decode: decodeMessageHash, rfc: "RFC 8446 §4.4.1" }],
]);

/** Where a message is defined for the negotiated version (TLS 1.2 forms cite RFC 5246). */
function rfcFor(type: number, spec: MessageSpec | undefined, ctx: HandshakeContext, name: string): string | undefined {
  if (name === "HelloRetryRequest") return "RFC 8446 §4.1.4";
  const tls12 = ctx.version !== null && ctx.version < ProtocolVersion.TLSv1_3;
  if (tls12) {
    const old: Record<number, string> = {
      1: "RFC 5246 §7.4.1.2",
      2: "RFC 5246 §7.4.1.3",
      4: "RFC 5077 §3.3",
      11: "RFC 5246 §7.4.2",
      13: "RFC 5246 §7.4.4",
      15: "RFC 5246 §7.4.8",
      20: "RFC 5246 §7.4.9",
    };
    if (old[type]) return old[type];
  }
  return spec?.rfc;
}

export function decodeHandshake(raw: Uint8Array, ctx: HandshakeContext, annotate: boolean): DecodedHandshake {
  const type = raw.length > 0 ? raw[0] : -1;
  const spec = MESSAGES.get(type);
  const m: MessageState = { ctx, name: raw.length > 0 ? messageName(type) : "unknown", fields: {}, details: {}, raw };
  const root: FieldNode | undefined = annotate ? { name: m.name, start: 0, end: raw.length, display: "", children: [] } : undefined;
  const r = new Reader(raw, 0, raw.length, annotate, root);
  let length = 0;
  let error: DecodeError | undefined;
  try {
    r.u8("msg_type", { display: (v) => handshakeTypes.display(v), rfc: "RFC 8446 §4" });
    length = r.u24("length", { display: (v) => plural(v, "byte"), rfc: "RFC 8446 §4" });
    const bodyEnd = 4 + length;
    // A truncated message is still decoded as far as its bytes go; the truncation is reported after that.
    r.end = Math.min(bodyEnd, raw.length);
    (spec?.decode ?? decodeOpaqueBody)(r, m);
    if (r.pos < r.end) {
      const start = r.pos;
      r.rest("unexpected_trailing_data");
      r.fail(`${m.name}: ${r.end - start} byte(s) after the end of the body`, "unexpected_trailing_data", start);
    }
    if (bodyEnd > raw.length) r.fail(`length: the body needs ${length} bytes, only ${raw.length - 4} present`, "length", 1);
    r.end = raw.length;
    if (raw.length > bodyEnd) {
      const start = r.pos;
      r.rest("excess_data");
      r.fail(`${raw.length - bodyEnd} byte(s) beyond the message's length`, "excess_data", start);
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    error = e;
  }
  if (root) {
    root.name = m.name;
    root.rfc = m.rfc ?? rfcFor(type, spec, ctx, m.name);
    // The 4-byte header is the same in both versions; cite the document the message itself is read from.
    if (root.rfc?.startsWith("RFC 5246")) for (const c of root.children!.slice(0, 2)) if (c.rfc === "RFC 8446 §4") c.rfc = "RFC 5246 §7.4";
    root.note = m.name === "HelloRetryRequest" ? "hello-retry-request" : spec?.note;
    const summary = root.display || summaryOf(m);
    root.display = summary ? `${m.name}: ${summary}` : m.name;
    if (error) {
      root.error = error.message;
      // Keep every byte in the tree: what was not decoded is shown as such.
      const last = root.children!.length ? root.children![root.children!.length - 1].end : 0;
      if (last < raw.length) {
        root.children!.push({
          name: "undecoded",
          start: last,
          end: raw.length,
          display: plural(raw.length - last, "byte") + " not decoded",
          error: error.message,
        });
      }
    }
  }
  const out: DecodedHandshake = { type, name: m.name, length, raw, fields: m.fields, details: m.details };
  if (root) out.tree = root;
  if (error) out.error = error;
  return out;
}

/** A short summary for the message's own line (only computed when annotating). */
function summaryOf(m: MessageState): string {
  const f = m.fields;
  if (m.name === "ClientHello" && typeof f.sni === "string") return JSON.stringify(f.sni);
  if ((m.name === "ServerHello" || m.name === "HelloRetryRequest") && typeof f.cipherSuite === "number") {
    const v = typeof f.selectedVersion === "number" ? f.selectedVersion : f.legacyVersion;
    return `${typeof v === "number" ? versionName(v) + ", " : ""}${cipherSuites.name(f.cipherSuite)}`;
  }
  if (m.name === "ServerKeyExchange" && typeof f.namedGroup === "number") return namedGroups.name(f.namedGroup);
  return "";
}

/** The message's name by type (the registry's, or "unknown"); a ServerHello's decoder may rename it HRR. */
export function messageName(type: number): string {
  const n = handshakeName(type);
  return n && n !== "unknown" ? n : "unknown";
}
