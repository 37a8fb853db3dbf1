/** ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2), ServerHello (§4.1.3) and HelloRetryRequest (§4.1.4). */
import { Writer } from "../writer";
import { writeExtensions, type ExtensionData } from "./extensions";
import { handshakeMessage } from "./handshake";
import { CompressionMethod, HandshakeType, ProtocolVersion } from "../registry";

/** RFC 8446 §4.1.3: the ServerHello.random that marks a HelloRetryRequest (SHA-256 of "HelloRetryRequest"). */
export const HRR_RANDOM = Uint8Array.from("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c".match(/../g)!.map((h) => parseInt(h, 16)));

export interface ClientHelloParams {
  /** legacy_version / client_version (0x0303 for TLS 1.2 and 1.3). */
  version?: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: readonly number[];
  compressionMethods?: readonly number[];
  extensions: readonly ExtensionData[];
}

export function encodeClientHello(p: ClientHelloParams): Uint8Array {
  return handshakeMessage(HandshakeType.client_hello, (w: Writer) => {
    w.u16(p.version ?? ProtocolVersion.TLSv1_2)
      .bytes(p.random)
      .opaque(1, p.sessionId);
    w.vector(2, () => p.cipherSuites.forEach((s) => w.u16(s)));
    w.vector(1, () => (p.compressionMethods ?? [CompressionMethod.null]).forEach((c) => w.u8(c)));
    writeExtensions(w, p.extensions);
  });
}

export interface ServerHelloParams {
  version?: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuite: number;
  compressionMethod?: number;
  extensions: readonly ExtensionData[];
}

export function encodeServerHello(p: ServerHelloParams): Uint8Array {
  return handshakeMessage(HandshakeType.server_hello, (w: Writer) => {
    w.u16(p.version ?? ProtocolVersion.TLSv1_2)
      .bytes(p.random)
      .opaque(1, p.sessionId)
      .u16(p.cipherSuite)
      .u8(p.compressionMethod ?? CompressionMethod.null);
    // RFC 5246 §7.4.1.3: a TLS 1.2 ServerHello may omit the extensions block when it has none.
    if (p.extensions.length > 0 || p.version === undefined || p.version >= ProtocolVersion.TLSv1_2) writeExtensions(w, p.extensions);
  });
}

/** RFC 8446 §4.1.4: a ServerHello with the special random, echoing the client's session id. */
export function encodeHelloRetryRequest(p: Omit<ServerHelloParams, "random">): Uint8Array {
  return encodeServerHello({ ...p, random: HRR_RANDOM });
}
