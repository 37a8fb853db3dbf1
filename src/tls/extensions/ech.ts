/**
 * encrypted_client_hello (RFC 9849 §5): in a ClientHelloOuter the HPKE-encrypted ClientHelloInner (config id, KDF
 * and AEAD, the encapsulated key, the payload); in a ClientHelloInner an empty marker (§5, type inner); in
 * EncryptedExtensions the server's retry_configs, an ECHConfigList (§4, §7.1); in a HelloRetryRequest an 8-byte
 * confirmation (§7.2.1).
 *
 * A GREASE ECH (§6.2: random config id, enc and payload, sent by a client with no ECHConfig — Chromium does so to
 * every server) has exactly the outer form, by design: nothing in the ClientHello tells them apart. What does is
 * the rest of the connection, which src/inspect/echVerdict.ts reads.
 */
import { hexInt, toHex, type Reader } from "../reader";
import { ECHClientHelloType, echClientHelloTypes, ExtensionType, hpkeAeads, hpkeKdfs, hpkeKems } from "../registry";
import type { ExtensionSpec } from "./types";
import { latin1, plural, quoted } from "../handshake/message";
import { skipOpaque } from "../shape";

const RFC = "RFC 9849";
/** RFC 9849 §4: the ECHConfig version this document defines is the extension's own code point. */
const ECH_VERSION = ExtensionType.encrypted_client_hello;

function readCipherSuite(r: Reader, name: string): string {
  return r.group(
    name,
    () => {
      const kdf = r.u16("kdf_id", { display: (v) => hpkeKdfs.display(v), rfc: "RFC 9180 §7.2" });
      const aead = r.u16("aead_id", { display: (v) => hpkeAeads.display(v), rfc: "RFC 9180 §7.3" });
      return `${hpkeKdfs.name(kdf)}, ${hpkeAeads.name(aead)}`;
    },
    { display: (s) => s },
  );
}

/** ECHConfig { uint16 version; uint16 length; select (version) { case 0xfe0d: ECHConfigContents contents; } } (§4). */
function readEchConfig(r: Reader): string {
  return r.group(
    "ECHConfig",
    () => {
      const version = r.u16("version", { display: (v) => (v === ECH_VERSION ? `${hexInt(v, 2)} (RFC 9849)` : `${hexInt(v, 2)} (unknown: skipped)`) });
      let summary = `version ${hexInt(version, 2)}`;
      r.vector("contents", 2, () => {
        if (version !== ECH_VERSION) {
          r.rest("data");
          return;
        }
        const key = r.group(
          "key_config",
          () => {
            const id = r.u8("config_id", { display: (v) => `${v} (0x${v.toString(16).padStart(2, "0")})` });
            const kem = r.u16("kem_id", { display: (v) => hpkeKems.display(v), rfc: "RFC 9180 §7.1" });
            r.opaque("public_key", 2, { min: 1, display: (b) => `${plural(b.length, "byte")}: ${toHex(b)}` });
            const suites = r.list("cipher_suites", 2, () => readCipherSuite(r, "HpkeSymmetricCipherSuite"), { min: 4 });
            r.setDisplay(`config ${id}, ${hpkeKems.name(kem)}; ${suites.join(" | ")}`);
            return { id, kem };
          },
          { rfc: `${RFC} §4` },
        );
        const maxName = r.u8("maximum_name_length", { display: (v) => `${v} (the inner SNI is padded to hide names up to this long, §6.1.3)` });
        const name = r.opaque("public_name", 1, { min: 1, display: (b) => `${quoted(latin1(b))} (the name the outer ClientHello shows)` });
        r.opaque("extensions", 2, { display: (b) => (b.length ? plural(b.length, "byte") : "(none)") });
        summary = `${quoted(latin1(name))}, config ${key.id}, ${hpkeKems.name(key.kem)}, max name ${maxName}`;
      });
      return summary;
    },
    { display: (s) => s },
  );
}

export const encryptedClientHello: ExtensionSpec = {
  rfc: `${RFC} §5`,
  decode(r, x) {
    if (x.host === "client_hello") {
      const type = r.u8("type", { display: (v) => echClientHelloTypes.display(v), rfc: `${RFC} §5` });
      if (type === ECHClientHelloType.outer) {
        const suite = readCipherSuite(r, "cipher_suite");
        const id = r.u8("config_id", { display: (v) => `${v} (0x${v.toString(16).padStart(2, "0")}): which of the server's ECHConfigs` });
        const enc = r.opaque("enc", 2, {
          display: (b) =>
            b.length ? `${plural(b.length, "byte")}: the HPKE encapsulated key: ${toHex(b)}` : "(empty: the second ClientHello after HelloRetryRequest, §5.1)",
        });
        const payload = r.opaque("payload", 2, { min: 1, display: (b) => `${plural(b.length, "byte")} of HPKE-sealed EncodedClientHelloInner` });
        r.setDisplay(`outer: config ${id}, ${suite}, enc ${enc.length} B, payload ${payload.length} B (a real offer or GREASE, §6.2)`);
      } else if (type === ECHClientHelloType.inner) {
        // §5: the inner marker is the type byte alone; anything after it is not RFC 9849's.
        if (r.remaining() > 0) r.rest("data");
        r.setDisplay("inner: marks the encrypted ClientHelloInner (§5)");
      } else if (r.remaining() > 0) r.rest("data");
      return;
    }
    if (x.host === "encrypted_extensions") {
      const configs = r.list("retry_configs", 2, () => readEchConfig(r), { min: 1 });
      r.setDisplay(`retry_configs: ${configs.join("; ")} (ECH not accepted; §7.1)`);
      return;
    }
    if (x.host === "hello_retry_request") {
      r.bytes("confirmation", 8, { display: (b) => `${toHex(b)}: the server accepted ECH (§7.2.1)` });
      r.setDisplay("ECH accepted: confirmation (§7.2.1)");
      return;
    }
    return false;
  },
  // The outer ClientHello's form as decode reads it; retry_configs are left to the decoder (a summary needs none).
  scan(b, p, e, host) {
    if (host === "client_hello") {
      if (e - p < 1) return false;
      if (b[p] !== ECHClientHelloType.outer) return true;
      // cipher_suite (kdf_id, aead_id) and config_id: 5 bytes; then enc<0..2^16-1> and payload<1..2^16-1>.
      if (e - p < 6) return false;
      const q = skipOpaque(b, p + 6, e, 2, 0);
      return q >= 0 && skipOpaque(b, q, e, 2, 1) === e;
    }
    if (host === "encrypted_extensions") return false;
    if (host === "hello_retry_request") return e - p === 8;
    return true;
  },
};
