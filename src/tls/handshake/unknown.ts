/** Handshake types without a decoder (unassigned, or assigned without a body worth decoding): opaque body. */
import { toHex, type Reader } from "../reader";
import type { MessageState } from "./message";
import { plural } from "./message";

export function decodeOpaqueBody(r: Reader, _m: MessageState): void {
  if (r.remaining() === 0) return;
  r.rest("body", { display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}` });
}
