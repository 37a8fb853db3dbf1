/**
 * The other handshake messages of TLS 1.2 (RFC 5246 §7.4) and TLS 1.3 (RFC 8446 §4.3–§4.6). Every function returns
 * the whole message, header included.
 */
import { writeExtensions, type ExtensionData } from "./extensions";
import { handshakeMessage } from "./handshake";
import { ECCurveType, HandshakeType } from "../registry";

/** RFC 8446 §4.3.1. */
export function encodeEncryptedExtensions(extensions: readonly ExtensionData[]): Uint8Array {
  return handshakeMessage(HandshakeType.encrypted_extensions, (w) => writeExtensions(w, extensions));
}

/** RFC 5246 §7.4.2: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>, leaf first. */
export function encodeCertificate12(chain: readonly Uint8Array[]): Uint8Array {
  return handshakeMessage(HandshakeType.certificate, (w) => w.vector(3, () => chain.forEach((c) => w.opaque(3, c))));
}

/** RFC 8446 §4.4.2: certificate_request_context and CertificateEntry list (no per-entry extensions). */
export function encodeCertificate13(chain: readonly Uint8Array[], context: Uint8Array = new Uint8Array(0)): Uint8Array {
  return handshakeMessage(HandshakeType.certificate, (w) => {
    w.opaque(1, context);
    w.vector(3, () => chain.forEach((c) => w.opaque(3, c).u16(0)));
  });
}

/** RFC 5246 §7.4.4 (with RFC 5246's supported_signature_algorithms). */
export function encodeCertificateRequest12(p: {
  certificateTypes: readonly number[];
  signatureAlgorithms: readonly number[];
  authorities?: readonly Uint8Array[];
}): Uint8Array {
  return handshakeMessage(HandshakeType.certificate_request, (w) => {
    w.vector(1, () => p.certificateTypes.forEach((t) => w.u8(t)));
    w.vector(2, () => p.signatureAlgorithms.forEach((s) => w.u16(s)));
    w.vector(2, () => (p.authorities ?? []).forEach((a) => w.opaque(2, a)));
  });
}

/** RFC 8446 §4.3.2: context + extensions (signature_algorithms is required). */
export function encodeCertificateRequest13(context: Uint8Array, extensions: readonly ExtensionData[]): Uint8Array {
  return handshakeMessage(HandshakeType.certificate_request, (w) => {
    w.opaque(1, context);
    writeExtensions(w, extensions);
  });
}

/** RFC 8422 §5.4: ServerECDHParams (curve_type named_curve). These are the bytes the signature covers. */
export function ecdheParams(group: number, publicKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + publicKey.length);
  out[0] = ECCurveType.named_curve;
  out[1] = group >> 8;
  out[2] = group & 0xff;
  out[3] = publicKey.length;
  out.set(publicKey, 4);
  return out;
}

/** RFC 5246 §7.4.3: ServerDHParams dh_p, dh_g, dh_Ys (each opaque<1..2^16-1>). */
export function dheParams(p: Uint8Array, g: Uint8Array, ys: Uint8Array): Uint8Array {
  const parts = [p, g, ys];
  const out = new Uint8Array(parts.reduce((n, x) => n + 2 + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out[o] = x.length >> 8;
    out[o + 1] = x.length & 0xff;
    out.set(x, o + 2);
    o += 2 + x.length;
  }
  return out;
}

/** RFC 5246 §7.4.3: params followed by a DigitallySigned (algorithm + signature<0..2^16-1>). */
export function encodeServerKeyExchange(params: Uint8Array, signatureAlgorithm: number, signature: Uint8Array): Uint8Array {
  return handshakeMessage(HandshakeType.server_key_exchange, (w) => w.bytes(params).u16(signatureAlgorithm).opaque(2, signature));
}

/** RFC 5246 §7.4.5: empty body. */
export function encodeServerHelloDone(): Uint8Array {
  return handshakeMessage(HandshakeType.server_hello_done, () => {});
}

/** RFC 8446 §4.4.3 / RFC 5246 §7.4.8. */
export function encodeCertificateVerify(signatureAlgorithm: number, signature: Uint8Array): Uint8Array {
  return handshakeMessage(HandshakeType.certificate_verify, (w) => w.u16(signatureAlgorithm).opaque(2, signature));
}

/**
 * RFC 5246 §7.4.7: the exchange value with the length its kind uses — RSA EncryptedPreMasterSecret and DH Yc take
 * 2 bytes (§7.4.7.1, §7.4.7.2), an ECDH point 1 byte (RFC 8422 §5.7).
 */
export function encodeClientKeyExchange(kind: "rsa" | "dh" | "ecdh", exchange: Uint8Array): Uint8Array {
  return handshakeMessage(HandshakeType.client_key_exchange, (w) => w.opaque(kind === "ecdh" ? 1 : 2, exchange));
}

/** RFC 8446 §4.4.4 / RFC 5246 §7.4.9: verify_data. */
export function encodeFinished(verifyData: Uint8Array): Uint8Array {
  return handshakeMessage(HandshakeType.finished, (w) => w.bytes(verifyData));
}

/** RFC 5077 §3.3: ticket_lifetime_hint + ticket. */
export function encodeNewSessionTicket12(lifetimeHint: number, ticket: Uint8Array): Uint8Array {
  return handshakeMessage(HandshakeType.new_session_ticket, (w) => w.u32(lifetimeHint).opaque(2, ticket));
}

/** RFC 8446 §4.6.1. */
export function encodeNewSessionTicket13(p: {
  lifetime: number;
  ageAdd: number;
  nonce: Uint8Array;
  ticket: Uint8Array;
  extensions?: readonly ExtensionData[];
}): Uint8Array {
  return handshakeMessage(HandshakeType.new_session_ticket, (w) => {
    w.u32(p.lifetime)
      .u32(p.ageAdd >>> 0)
      .opaque(1, p.nonce)
      .opaque(2, p.ticket);
    writeExtensions(w, p.extensions ?? []);
  });
}

/** RFC 8446 §4.6.3: update_not_requested (0) / update_requested (1). */
export function encodeKeyUpdate(requestUpdate: 0 | 1): Uint8Array {
  return handshakeMessage(HandshakeType.key_update, (w) => w.u8(requestUpdate));
}

/** RFC 8446 §4.4.1: the synthetic message_hash that replaces ClientHello1 in the transcript after an HRR. */
export function messageHash(hash: Uint8Array): Uint8Array {
  return handshakeMessage(HandshakeType.message_hash, (w) => w.bytes(hash));
}
