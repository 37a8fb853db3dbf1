/**
 * IANA "TLS SignatureScheme" registry (Transport Layer Security (TLS) Parameters; RFC 8446 §4.2.3), plus the TLS 1.2
 * SignatureAndHashAlgorithm pairs (RFC 5246 §7.4.1.4.1: hash << 8 | signature) that RFC 8446 left "reserved for
 * backward compatibility" but TLS 1.2 peers still offer; those are named like OpenSSL names them (`dsa_sha224`,
 * `rsa_pkcs1_sha224`, `ecdsa_sha224`). GREASE (RFC 8701) is 16-bit.
 */
import { OpenEnum, type CodePointOf } from "./openEnum";

export const signatureSchemes = new OpenEnum(
  "TLS SignatureScheme",
  2,
  {
    // TLS 1.2 (hash, signature) pairs with no RFC 8446 name: RFC 5246 §7.4.1.4.1, RFC 8422 §5.1.3 for ECDSA.
    rsa_pkcs1_md5: { value: 0x0101, rfc: "RFC 5246" },
    dsa_md5: { value: 0x0102, rfc: "RFC 5246" },
    ecdsa_md5: { value: 0x0103, rfc: "RFC 8422" },
    dsa_sha1: { value: 0x0202, rfc: "RFC 5246" },
    rsa_pkcs1_sha224: { value: 0x0301, rfc: "RFC 5246" },
    dsa_sha224: { value: 0x0302, rfc: "RFC 5246" },
    ecdsa_sha224: { value: 0x0303, rfc: "RFC 8422" },
    dsa_sha256: { value: 0x0402, rfc: "RFC 5246" },
    dsa_sha384: { value: 0x0502, rfc: "RFC 5246" },
    dsa_sha512: { value: 0x0602, rfc: "RFC 5246" },
    // The registry proper.
    rsa_pkcs1_sha1: { value: 0x0201, rfc: "RFC 8446" },
    ecdsa_sha1: { value: 0x0203, rfc: "RFC 8446" },
    rsa_pkcs1_sha256: { value: 0x0401, rfc: "RFC 8446" },
    ecdsa_secp256r1_sha256: { value: 0x0403, rfc: "RFC 8446" },
    rsa_pkcs1_sha256_legacy: { value: 0x0420, rfc: "draft-davidben-tls13-pkcs1" },
    rsa_pkcs1_sha384: { value: 0x0501, rfc: "RFC 8446" },
    ecdsa_secp384r1_sha384: { value: 0x0503, rfc: "RFC 8446" },
    rsa_pkcs1_sha384_legacy: { value: 0x0520, rfc: "draft-davidben-tls13-pkcs1" },
    rsa_pkcs1_sha512: { value: 0x0601, rfc: "RFC 8446" },
    ecdsa_secp521r1_sha512: { value: 0x0603, rfc: "RFC 8446" },
    rsa_pkcs1_sha512_legacy: { value: 0x0620, rfc: "draft-davidben-tls13-pkcs1" },
    eccsi_sha256: { value: 0x0704, rfc: "draft-wang-tls-raw-public-key-with-ibc" },
    iso_ibs1: { value: 0x0705, rfc: "draft-wang-tls-raw-public-key-with-ibc" },
    iso_ibs2: { value: 0x0706, rfc: "draft-wang-tls-raw-public-key-with-ibc" },
    iso_chinese_ibs: { value: 0x0707, rfc: "draft-wang-tls-raw-public-key-with-ibc" },
    sm2sig_sm3: { value: 0x0708, rfc: "RFC 8998" },
    gostr34102012_256a: { value: 0x0709, rfc: "RFC 9367" },
    gostr34102012_256b: { value: 0x070a, rfc: "RFC 9367" },
    gostr34102012_256c: { value: 0x070b, rfc: "RFC 9367" },
    gostr34102012_256d: { value: 0x070c, rfc: "RFC 9367" },
    gostr34102012_512a: { value: 0x070d, rfc: "RFC 9367" },
    gostr34102012_512b: { value: 0x070e, rfc: "RFC 9367" },
    gostr34102012_512c: { value: 0x070f, rfc: "RFC 9367" },
    rsa_pss_rsae_sha256: { value: 0x0804, rfc: "RFC 8446" },
    rsa_pss_rsae_sha384: { value: 0x0805, rfc: "RFC 8446" },
    rsa_pss_rsae_sha512: { value: 0x0806, rfc: "RFC 8446" },
    ed25519: { value: 0x0807, rfc: "RFC 8446" },
    ed448: { value: 0x0808, rfc: "RFC 8446" },
    rsa_pss_pss_sha256: { value: 0x0809, rfc: "RFC 8446" },
    rsa_pss_pss_sha384: { value: 0x080a, rfc: "RFC 8446" },
    rsa_pss_pss_sha512: { value: 0x080b, rfc: "RFC 8446" },
    ecdsa_brainpoolP256r1tls13_sha256: { value: 0x081a, rfc: "RFC 8734" },
    ecdsa_brainpoolP384r1tls13_sha384: { value: 0x081b, rfc: "RFC 8734" },
    ecdsa_brainpoolP512r1tls13_sha512: { value: 0x081c, rfc: "RFC 8734" },
    mldsa44: { value: 0x0904, rfc: "draft-ietf-tls-mldsa" },
    mldsa65: { value: 0x0905, rfc: "draft-ietf-tls-mldsa" },
    mldsa87: { value: 0x0906, rfc: "draft-ietf-tls-mldsa" },
  },
  "16",
);
/** The named SignatureScheme code points (`SignatureScheme.rsa_pss_rsae_sha256 === 0x0804`). */
export const SignatureScheme = signatureSchemes.codes;
export type SignatureScheme = CodePointOf<typeof signatureSchemes>;
