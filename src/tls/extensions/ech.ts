/**
 * encrypted_client_hello (draft-ietf-tls-esni-22 §5): the outer ClientHello carries the HPKE-encrypted inner one;
 * EncryptedExtensions may return retry_configs; a HelloRetryRequest carries an 8-byte acceptance confirmation.
 */
import { hexInt, toHex, type Reader } from "../reader";
import type { ExtensionSpec } from "./types";
import { ECHClientHelloType, ExtensionType } from "../registry";
import { latin1, plural, quoted } from "../handshake/message";

// RFC 9180 §7: HPKE identifiers (a separate registry from TLS's; only the values defined there).
const KEM: Record<number, string> = {
  0x10: "DHKEM(P-256, HKDF-SHA256)",
  0x11: "DHKEM(P-384, HKDF-SHA384)",
  0x12: "DHKEM(P-521, HKDF-SHA512)",
  0x20: "DHKEM(X25519, HKDF-SHA256)",
  0x21: "DHKEM(X448, HKDF-SHA512)",
};
const KDF: Record<number, string> = { 1: "HKDF-SHA256", 2: "HKDF-SHA384", 3: "HKDF-SHA512" };
const AEAD: Record<number, string> = { 1: "AES-128-GCM", 2: "AES-256-GCM", 3: "ChaCha20Poly1305", 0xffff: "Export-only" };
const named = (table: Record<number, string>) => (v: number) => `${table[v] ?? "unknown"} (${hexInt(v, 2)})`;

function readCipherSuite(r: Reader, name: string): void {
  r.group(name, () => {
    const kdf = r.u16("kdf_id", { display: named(KDF) });
    const aead = r.u16("aead_id", { display: named(AEAD) });
    r.setDisplay(() => `${KDF[kdf] ?? hexInt(kdf, 2)}, ${AEAD[aead] ?? hexInt(aead, 2)}`);
  });
}

/** ECHConfig { uint16 version; uint16 length; select (version) { case 0xfe0d: ECHConfigContents contents; } } */
function readEchConfig(r: Reader): void {
  r.group("ECHConfig", () => {
    const version = r.u16("version", { display: (v) => hexInt(v, 2) });
    r.vector("contents", 2, () => {
      // The draft's ECHConfig version is the extension's own code point (draft-ietf-tls-esni §4).
      if (version !== ExtensionType.encrypted_client_hello) {
        r.rest("data");
        return;
      }
      r.group("key_config", () => {
        r.u8("config_id");
        r.u16("kem_id", { display: named(KEM) });
        r.opaque("public_key", 2, { min: 1 });
        r.list("cipher_suites", 2, () => readCipherSuite(r, "HpkeSymmetricCipherSuite"), { min: 4 });
      });
      r.u8("maximum_name_length");
      r.opaque("public_name", 1, { min: 1, display: (b) => quoted(latin1(b)) });
      r.opaque("extensions", 2);
    });
  });
}

export const encryptedClientHello: ExtensionSpec = {
  rfc: "draft-ietf-tls-esni-22 §5",
  decode(r, x) {
    if (x.host === "client_hello") {
      const type = r.u8("type", { display: (v) => (v === 0 ? "outer (0)" : v === 1 ? "inner (1)" : `unknown (${v})`) });
      if (type === ECHClientHelloType.outer) {
        readCipherSuite(r, "cipher_suite");
        r.u8("config_id");
        r.opaque("enc", 2, { display: (b) => (b.length ? `${plural(b.length, "byte")}: ${toHex(b)}` : "(empty: after HelloRetryRequest)") });
        r.opaque("payload", 2, { min: 1, display: (b) => `${plural(b.length, "byte")} of encrypted ClientHelloInner` });
      } else if (r.remaining() > 0) r.rest("data");
      return;
    }
    if (x.host === "encrypted_extensions") {
      r.list("retry_configs", 2, () => readEchConfig(r), { min: 1 });
      return;
    }
    if (x.host === "hello_retry_request") {
      r.bytes("confirmation", 8);
      return;
    }
    return false;
  },
};
