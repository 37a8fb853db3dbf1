/** The handshake message header (RFC 8446 §4): msg_type, uint24 length, body. */
import { Writer } from "../writer";

/** A whole handshake message: header + the body `fn` writes. */
export function handshakeMessage(type: number, fn: (w: Writer) => void): Uint8Array {
  const w = new Writer(256);
  w.u8(type);
  w.vector(3, fn);
  return w.finish();
}
