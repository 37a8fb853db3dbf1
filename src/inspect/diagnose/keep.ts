/**
 * Which messages' bytes a connection keeps for its diagnoses whatever the detail: the hellos (the first two of each
 * side, for a HelloRetryRequest), each side's first Certificate and EncryptedExtensions. A summary reads messages
 * from a reused buffer, so they are copied — into Node's pooled small buffers, one allocation each.
 */
import { HandshakeType } from "../../tls/registry";
import type { MessageInfo } from "../../model";
import { internCertificateMessage } from "./certificates";
import type { DiagnosisFacts } from "./types";

const CERTIFICATE: number = HandshakeType.certificate;

/** How many of each handshake type are kept per direction (0: none), by type byte; and its slot in `kept`. */
const KEEP = new Uint8Array(256);
const SLOT = new Uint8Array(256);
KEEP[HandshakeType.client_hello] = 2;
KEEP[HandshakeType.server_hello] = 2;
KEEP[HandshakeType.certificate] = 1;
KEEP[HandshakeType.encrypted_extensions] = 1;
SLOT[HandshakeType.server_hello] = 1;
SLOT[HandshakeType.certificate] = 2;
SLOT[HandshakeType.encrypted_extensions] = 3;

export function keepForDiagnosis(facts: DiagnosisFacts, messages: MessageInfo[], raw: Uint8Array, owned: boolean): void {
  const type = raw[0];
  const most = KEEP[type];
  if (most === 0) return;
  const index = messages.length - 1;
  // Two bits per (type, direction): counts up to 3, no allocation per connection.
  const shift = (SLOT[type] * 2 + (messages[index].dir === "c2s" ? 0 : 1)) * 2;
  const same = (facts.kept >> shift) & 3;
  if (same >= most) return;
  facts.kept += 1 << shift;
  if (type === CERTIFICATE) {
    facts.raw.set(index, internCertificateMessage(raw));
    return;
  }
  if (owned) {
    facts.raw.set(index, raw);
    return;
  }
  const copy = Buffer.allocUnsafe(raw.length);
  copy.set(raw);
  facts.raw.set(index, copy);
}
