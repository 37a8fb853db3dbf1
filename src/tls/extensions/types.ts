/**
 * The extension decoder contract. An extension's meaning depends on the message carrying it (RFC 8446 §4.2's
 * table: key_share is a list in ClientHello, one entry in ServerHello, a bare group in HelloRetryRequest), so
 * every decoder is told its host message.
 */
import type { Reader } from "../reader";
import type { MessageState } from "../handshake/message";

export type ExtensionHost =
  "client_hello" | "server_hello" | "hello_retry_request" | "encrypted_extensions" | "certificate" | "certificate_request" | "new_session_ticket";

export interface ExtContext {
  host: ExtensionHost;
  /** The message being decoded (its fields/details receive what the extension says). */
  m: MessageState;
  /** The extension_type. */
  type: number;
}

/**
 * Decodes `extension_data` (the Reader is bounded to it and the decoder must consume it all). Returns false
 * when the extension has no defined form in this host message: the body is then shown as opaque bytes.
 */
export type ExtensionBodyDecoder = (r: Reader, x: ExtContext) => boolean | void;

/** What the summary scanner keeps from extensions (a part of its HandshakeScan result). */
export interface ExtensionScanOut {
  sni: string | null;
  alpn: string | null;
  selectedVersion: number | null;
}

/**
 * The summary scanner's reading of `extension_data` [p, e): true exactly when `decode` would read it without an
 * error, recording into `out` what `decode` records into the message's details. It allocates nothing but the
 * strings it records, and reads the same shapes (src/tls/shape.ts) as `decode`, declared once beside both.
 */
export type ExtensionBodyScan = (b: Uint8Array, p: number, e: number, host: ExtensionHost, out: ExtensionScanOut) => boolean;

export interface ExtensionSpec {
  /** Where the extension_data structure is defined. */
  rfc: string;
  /** Explanatory note id, if one explains this extension. */
  note?: string;
  decode: ExtensionBodyDecoder;
  /** Absent: a summary hands every message carrying this extension to the full decoder. */
  scan?: ExtensionBodyScan;
}
