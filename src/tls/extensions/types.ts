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

export interface ExtensionSpec {
  /** Where the extension_data structure is defined. */
  rfc: string;
  /** Explanatory note id, if one explains this extension. */
  note?: string;
  decode: ExtensionBodyDecoder;
}
