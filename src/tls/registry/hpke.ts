/**
 * IANA "Hybrid Public Key Encryption (HPKE)" registries (RFC 9180 §7.1-§7.3): the KEM, KDF and AEAD identifiers of
 * an ECHConfig's key_config and of the encrypted_client_hello extension (RFC 9849 §4, §5). A registry of its own,
 * not TLS's; only the values RFC 9180 defines (0x0000 is reserved in all three and displays as `unknown`). The names
 * are RFC 9180's, which are not identifiers, so each constant names its display.
 */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const hpkeKems = new OpenEnum("HPKE KEM Identifiers", 2, {
  DHKEM_P256_HKDF_SHA256: { value: 0x0010, name: "DHKEM(P-256, HKDF-SHA256)", rfc: "RFC 9180" },
  DHKEM_P384_HKDF_SHA384: { value: 0x0011, name: "DHKEM(P-384, HKDF-SHA384)", rfc: "RFC 9180" },
  DHKEM_P521_HKDF_SHA512: { value: 0x0012, name: "DHKEM(P-521, HKDF-SHA512)", rfc: "RFC 9180" },
  DHKEM_X25519_HKDF_SHA256: { value: 0x0020, name: "DHKEM(X25519, HKDF-SHA256)", rfc: "RFC 9180" },
  DHKEM_X448_HKDF_SHA512: { value: 0x0021, name: "DHKEM(X448, HKDF-SHA512)", rfc: "RFC 9180" },
});
/** The named HPKE KEM identifiers (`HpkeKem.DHKEM_X25519_HKDF_SHA256 === 0x0020`). */
export const HpkeKem = hpkeKems.codes;
export type HpkeKem = CodePointOf<typeof hpkeKems>;

export const hpkeKdfs = new OpenEnum("HPKE KDF Identifiers", 2, {
  HKDF_SHA256: { value: 0x0001, name: "HKDF-SHA256", rfc: "RFC 9180" },
  HKDF_SHA384: { value: 0x0002, name: "HKDF-SHA384", rfc: "RFC 9180" },
  HKDF_SHA512: { value: 0x0003, name: "HKDF-SHA512", rfc: "RFC 9180" },
});
/** The named HPKE KDF identifiers (`HpkeKdf.HKDF_SHA256 === 0x0001`). */
export const HpkeKdf = hpkeKdfs.codes;
export type HpkeKdf = CodePointOf<typeof hpkeKdfs>;

export const hpkeAeads = new OpenEnum("HPKE AEAD Identifiers", 2, {
  AES_128_GCM: { value: 0x0001, name: "AES-128-GCM", rfc: "RFC 9180" },
  AES_256_GCM: { value: 0x0002, name: "AES-256-GCM", rfc: "RFC 9180" },
  ChaCha20Poly1305: { value: 0x0003, rfc: "RFC 9180" },
  Export_only: { value: 0xffff, name: "Export-only", rfc: "RFC 9180" },
});
/** The named HPKE AEAD identifiers (`HpkeAead.AES_128_GCM === 0x0001`). */
export const HpkeAead = hpkeAeads.codes;
export type HpkeAead = CodePointOf<typeof hpkeAeads>;
