/** The handshake message header (RFC 8446 §4): msg_type, uint24 length, body. */
import { Writer } from "../writer";

export const HandshakeType = {
  hello_request: 0,
  client_hello: 1,
  server_hello: 2,
  new_session_ticket: 4,
  end_of_early_data: 5,
  encrypted_extensions: 8,
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  finished: 20,
  key_update: 24,
  message_hash: 254,
} as const;

/** A whole handshake message: header + the body `fn` writes. */
export function handshakeMessage(type: number, fn: (w: Writer) => void): Uint8Array {
  const w = new Writer(256);
  w.u8(type);
  w.vector(3, fn);
  return w.finish();
}
