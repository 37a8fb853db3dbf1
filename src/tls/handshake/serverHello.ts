/**
 * ServerHello (RFC 8446 §4.1.3; RFC 5246 §7.4.1.3) and HelloRetryRequest (RFC 8446 §4.1.4: a ServerHello whose
 * random is SHA-256("HelloRetryRequest")). TLS 1.3 is told by the supported_versions extension; its fields carry
 * the legacy_* names.
 */
import { compressionMethods } from "../registry";
import type { Reader } from "../reader";
import { listsExtension, readExtensions } from "../extensions";
import { readCipherSuite, readHelloStart } from "./common";
import { isHelloRetryRandomAt } from "./hrr";
import type { MessageState } from "./message";

export function decodeServerHello(r: Reader, m: MessageState): void {
  const f = m.fields;
  const d = m.details;
  const p = r.pos;
  // Peek: the random decides HelloRetryRequest, supported_versions decides TLS 1.3 names.
  const hrr = r.end - p >= 34 && isHelloRetryRandomAt(r.buf, p + 2);
  if (hrr) m.name = "HelloRetryRequest";
  let extAt = r.end;
  if (r.end - p > 34) {
    const sidEnd = p + 35 + r.buf[p + 34];
    extAt = Math.min(r.end, sidEnd + 3);
  }
  const tls13 = hrr || listsExtension(r.buf, extAt, r.end, 43);
  const RFC = hrr ? "RFC 8446 §4.1.4" : tls13 ? "RFC 8446 §4.1.3" : "RFC 5246 §7.4.1.3";

  m.rfc = RFC;
  readHelloStart(
    r,
    m,
    RFC,
    tls13 ? { version: "legacy_version", sessionId: "legacy_session_id_echo" } : { version: "server_version", sessionId: "session_id" },
  );
  const suite = readCipherSuite(r, "cipher_suite", RFC);
  d.cipherSuite = suite;
  f.cipherSuite = suite;
  f.compressionMethod = r.u8(tls13 ? "legacy_compression_method" : "compression_method", {
    display: (v) => compressionMethods.display(v),
    rfc: RFC,
  });
  f.extensions = [];
  f.selectedVersion = null;
  f.keyShareGroup = null;
  if (r.remaining() > 0) readExtensions(r, hrr ? "hello_retry_request" : "server_hello", m, tls13 ? 6 : 0);
}
