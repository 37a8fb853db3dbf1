/**
 * Which messages' bytes a connection keeps for its diagnoses whatever the detail: the hellos (the first two of each
 * side, for a HelloRetryRequest), each side's first Certificate and EncryptedExtensions. A summary reads messages
 * from a reused buffer, so they are copied — into Node's pooled small buffers, one allocation each. A hello also
 * leaves its signals for the quick look (quick.ts) while its bytes are at hand, and every message its place in
 * the list's shape.
 */
import { HandshakeType } from "../../tls/registry";
import type { MessageInfo } from "../../model";
import { internCertificateMessage } from "./certificates";
import { noteHello, tally } from "./quick";
import type { DiagnosisFacts } from "./types";

const CERTIFICATE: number = HandshakeType.certificate;
const CLIENT_HELLO: number = HandshakeType.client_hello;
const SERVER_HELLO: number = HandshakeType.server_hello;

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
  const index = messages.length - 1;
  const info = messages[index];
  // The list's shape is tallied here, as it grows, so the quick look does not walk it again (see quick.ts).
  facts.shape = tally(facts.shape, type, info.name, info.dir);
  const most = KEEP[type];
  if (most === 0) return;
  // Two bits per (type, direction): counts up to 3, no allocation per connection.
  const shift = (SLOT[type] * 2 + (info.dir === "c2s" ? 0 : 1)) * 2;
  const same = (facts.kept >> shift) & 3;
  if (same >= most) return;
  facts.kept += 1 << shift;
  // The hellos' signals are read now, from the bytes just scanned (see quick.ts).
  if (type === CLIENT_HELLO || type === SERVER_HELLO) noteHello(facts, raw, info.name);
  if (type === CERTIFICATE) {
    if (info.dir === "s2c") facts.serverCertificateAt = index;
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
