/**
 * Finished: verify_data, a MAC over the whole transcript — TLS 1.3: HMAC with the finished_key (RFC 8446 §4.4.4);
 * TLS 1.2: PRF(master_secret, label, Hash(handshake_messages))[0..11] (RFC 5246 §7.4.9).
 */
import { toHex, type Reader } from "../reader";
import { isTls13, type MessageState } from "./message";

export function decodeFinished(r: Reader, m: MessageState): void {
  const rfc = isTls13(m.ctx.version) ? "RFC 8446 §4.4.4" : "RFC 5246 §7.4.9";
  const v = r.rest("verify_data", { rfc, note: "finished" });
  m.details.verifyData = v;
  m.fields.verifyData = toHex(v);
}
