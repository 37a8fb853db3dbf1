/**
 * ClientHello: RFC 8446 §4.1.2 (TLS 1.3 names: legacy_*) and RFC 5246 §7.4.1.2 (TLS 1.2 names). The TLS 1.3 names
 * are used when the client offers supported_versions, i.e. when it speaks TLS 1.3.
 */
import { compressionMethods } from "../registry";
import type { Reader } from "../reader";
import { readExtensions, listsExtension } from "../extensions";
import { readCipherSuite, readHelloStart } from "./common";
import { listDisplay, plural, type MessageState } from "./message";
import { bounds, fixedList } from "../shape";

const RFC = "RFC 8446 §4.1.2";

/** The oracle's key order (shared/fixtures/README.md, "Oracle format"). */
/** Offset of the extensions block, found without decoding (for choosing TLS 1.2 or 1.3 names). */
function extensionsOffset(buf: Uint8Array, pos: number, end: number): number {
  let p = pos + 2 + 32;
  if (p >= end) return end;
  p += 1 + buf[p];
  if (p + 2 > end) return end;
  p += 2 + ((buf[p] << 8) | buf[p + 1]);
  if (p >= end) return end;
  p += 1 + buf[p];
  return Math.min(p, end);
}

/** RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2: CipherSuite cipher_suites<2..2^16-2>; legacy_compression_methods<1..2^8-1>. */
export const CIPHER_SUITES = fixedList(2, 2, 2);
export const COMPRESSION_METHODS = fixedList(1, 1, 1);

export function decodeClientHello(r: Reader, m: MessageState): void {
  const f = m.fields;
  const d = m.details;
  const tls13 = listsExtension(r.buf, extensionsOffset(r.buf, r.pos, r.end), r.end, 43);
  const rfc = tls13 ? RFC : "RFC 5246 §7.4.1.2";
  m.rfc = rfc;
  readHelloStart(r, m, rfc, tls13 ? { version: "legacy_version", sessionId: "legacy_session_id" } : { version: "client_version", sessionId: "session_id" });
  d.cipherSuites = [];
  const suites = r.list(
    "cipher_suites",
    CIPHER_SUITES.width,
    () => {
      const s = readCipherSuite(r, "cipher_suite");
      d.cipherSuites!.push(s);
      return s;
    },
    { ...bounds(CIPHER_SUITES), rfc, note: "cipher-suite", display: listDisplay((v: number[]) => plural(v.length, "cipher suite")) },
  );
  f.cipherSuites = suites;
  f.compressionMethods = r.list(
    tls13 ? "legacy_compression_methods" : "compression_methods",
    COMPRESSION_METHODS.width,
    () => r.u8("compression_method", { display: (v) => compressionMethods.display(v) }),
    { ...bounds(COMPRESSION_METHODS), rfc, display: listDisplay((v: number[]) => v.map((c) => compressionMethods.name(c)).join(", ")) },
  );
  // Filled by the extension decoders; these keys are always present in the oracle.
  f.extensions = [];
  f.sni = null;
  f.alpn = [];
  f.supportedVersions = [];
  f.supportedGroups = [];
  f.keyShareGroups = [];
  f.signatureAlgorithms = [];
  // RFC 5246 §7.4.1.2: a TLS 1.2 ClientHello may end after compression_methods.
  if (r.remaining() > 0) readExtensions(r, "client_hello", m, tls13 ? 8 : 0);
}
