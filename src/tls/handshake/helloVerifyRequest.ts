/** HelloVerifyRequest, RFC 6347 §4.2.1 (DTLS 1.2): a stateless cookie exchange before the server commits state. */
import { toHex, type Reader } from "../reader";
import { readVersion } from "./common";
import type { MessageState } from "./message";

export function decodeHelloVerifyRequest(r: Reader, _m: MessageState): void {
  readVersion(r, "server_version", "RFC 6347 §4.2.1");
  r.opaque("cookie", 1, { rfc: "RFC 6347 §4.2.1", display: (b) => toHex(b) });
}
