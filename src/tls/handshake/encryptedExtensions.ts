/**
 * EncryptedExtensions, RFC 8446 §4.3.1: the TLS 1.3 server's extensions that need no key exchange, sent under the
 * handshake traffic keys (ALPN, server_name acknowledgement, early_data, ...).
 */
import { readExtensions } from "../extensions";
import type { BodyDecoder } from "./message";

export const decodeEncryptedExtensions: BodyDecoder = (r, m) => {
  m.fields.extensions = [];
  m.fields.alpn = null;
  readExtensions(r, "encrypted_extensions", m);
};
