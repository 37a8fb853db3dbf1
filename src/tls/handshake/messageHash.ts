/**
 * message_hash, RFC 8446 §4.4.1: not sent on the wire — after a HelloRetryRequest the transcript replaces
 * ClientHello1 with this synthetic message whose body is Hash(ClientHello1).
 */
import { toHex, type Reader } from "../reader";
import type { MessageState } from "./message";

export function decodeMessageHash(r: Reader, _m: MessageState): void {
  r.rest("hash", { rfc: "RFC 8446 §4.4.1", display: (b) => `Hash(ClientHello1) = ${toHex(b)}` });
}
