/**
 * signed_certificate_timestamp, RFC 6962 §3.3: empty in ClientHello; a SignedCertificateTimestampList from the
 * server (TLS 1.2 ServerHello, TLS 1.3 leaf CertificateEntry).
 */
import { toHex, type Reader } from "../reader";
import type { ExtensionSpec } from "./types";
import { plural } from "../handshake/message";
import { readEmptyBody } from "./opaqueBody";

// RFC 5246 §7.4.1.4.1 HashAlgorithm / SignatureAlgorithm values (the SCT's digitally-signed element).
const HASH = ["none", "md5", "sha1", "sha224", "sha256", "sha384", "sha512"];
const SIG = ["anonymous", "rsa", "dsa", "ecdsa"];

/** RFC 6962 §3.2: one SignedCertificateTimestamp. */
function readSct(r: Reader): void {
  r.u8("sct_version", { display: (v) => (v === 0 ? "v1 (0)" : `unknown (${v})`) });
  r.bytes("log_id", 32, { display: (b) => `${toHex(b)} (SHA-256 of the log's key)` });
  r.bytes("timestamp", 8, {
    display: (b) => {
      let ms = 0;
      for (const x of b) ms = ms * 256 + x;
      const d = new Date(ms);
      return Number.isFinite(d.getTime()) ? `${d.toISOString()} (${ms} ms)` : String(ms);
    },
  });
  r.opaque("extensions", 2, { display: (b) => (b.length ? toHex(b) : "(none)") });
  r.group("signature", () => {
    r.u8("hash", { display: (v) => `${HASH[v] ?? "unknown"} (${v})` });
    r.u8("signature", { display: (v) => `${SIG[v] ?? "unknown"} (${v})` });
    r.opaque("signature", 2, { display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}` });
  });
}

export const signedCertificateTimestamp: ExtensionSpec = {
  rfc: "RFC 6962 §3.3",
  decode(r, x) {
    if (x.host === "client_hello" || r.remaining() === 0) {
      readEmptyBody(r, "the client asks for SCTs");
      return;
    }
    const list = r.list("sct_list", 2, () => r.vector("SerializedSCT", 2, () => r.group("SignedCertificateTimestamp", () => readSct(r)), { min: 1 }), {
      min: 1,
    });
    r.setDisplay(() => plural(list.length, "SCT"));
  },
  // Empty from the client; the server's SCT list is left to the decoder.
  scan: (_b, p, e, host) => host === "client_hello" || e === p,
};
