/**
 * IANA "TLS SignatureScheme" registry (Transport Layer Security (TLS) Parameters; RFC 8446 §4.2.3), plus the TLS 1.2
 * SignatureAndHashAlgorithm pairs (RFC 5246 §7.4.1.4.1: hash << 8 | signature) that RFC 8446 left "reserved for
 * backward compatibility" but TLS 1.2 peers still offer; those are named like OpenSSL names them (`dsa_sha224`,
 * `rsa_pkcs1_sha224`, `ecdsa_sha224`). GREASE (RFC 8701) is 16-bit.
 */
import { OpenEnum } from "./openEnum";

export const signatureSchemes = new OpenEnum(
  "TLS SignatureScheme",
  2,
  {
    // TLS 1.2 (hash, signature) pairs with no RFC 8446 name: RFC 5246 §7.4.1.4.1, RFC 8422 §5.1.3 for ECDSA.
    0x0101: { name: "rsa_pkcs1_md5", rfc: "RFC 5246" },
    0x0102: { name: "dsa_md5", rfc: "RFC 5246" },
    0x0103: { name: "ecdsa_md5", rfc: "RFC 8422" },
    0x0202: { name: "dsa_sha1", rfc: "RFC 5246" },
    0x0301: { name: "rsa_pkcs1_sha224", rfc: "RFC 5246" },
    0x0302: { name: "dsa_sha224", rfc: "RFC 5246" },
    0x0303: { name: "ecdsa_sha224", rfc: "RFC 8422" },
    0x0402: { name: "dsa_sha256", rfc: "RFC 5246" },
    0x0502: { name: "dsa_sha384", rfc: "RFC 5246" },
    0x0602: { name: "dsa_sha512", rfc: "RFC 5246" },
    // The registry proper.
    0x0201: { name: "rsa_pkcs1_sha1", rfc: "RFC 8446" },
    0x0203: { name: "ecdsa_sha1", rfc: "RFC 8446" },
    0x0401: { name: "rsa_pkcs1_sha256", rfc: "RFC 8446" },
    0x0403: { name: "ecdsa_secp256r1_sha256", rfc: "RFC 8446" },
    0x0420: { name: "rsa_pkcs1_sha256_legacy", rfc: "draft-davidben-tls13-pkcs1" },
    0x0501: { name: "rsa_pkcs1_sha384", rfc: "RFC 8446" },
    0x0503: { name: "ecdsa_secp384r1_sha384", rfc: "RFC 8446" },
    0x0520: { name: "rsa_pkcs1_sha384_legacy", rfc: "draft-davidben-tls13-pkcs1" },
    0x0601: { name: "rsa_pkcs1_sha512", rfc: "RFC 8446" },
    0x0603: { name: "ecdsa_secp521r1_sha512", rfc: "RFC 8446" },
    0x0620: { name: "rsa_pkcs1_sha512_legacy", rfc: "draft-davidben-tls13-pkcs1" },
    0x0704: { name: "eccsi_sha256", rfc: "draft-wang-tls-raw-public-key-with-ibc" },
    0x0705: { name: "iso_ibs1", rfc: "draft-wang-tls-raw-public-key-with-ibc" },
    0x0706: { name: "iso_ibs2", rfc: "draft-wang-tls-raw-public-key-with-ibc" },
    0x0707: { name: "iso_chinese_ibs", rfc: "draft-wang-tls-raw-public-key-with-ibc" },
    0x0708: { name: "sm2sig_sm3", rfc: "RFC 8998" },
    0x0709: { name: "gostr34102012_256a", rfc: "RFC 9367" },
    0x070a: { name: "gostr34102012_256b", rfc: "RFC 9367" },
    0x070b: { name: "gostr34102012_256c", rfc: "RFC 9367" },
    0x070c: { name: "gostr34102012_256d", rfc: "RFC 9367" },
    0x070d: { name: "gostr34102012_512a", rfc: "RFC 9367" },
    0x070e: { name: "gostr34102012_512b", rfc: "RFC 9367" },
    0x070f: { name: "gostr34102012_512c", rfc: "RFC 9367" },
    0x0804: { name: "rsa_pss_rsae_sha256", rfc: "RFC 8446" },
    0x0805: { name: "rsa_pss_rsae_sha384", rfc: "RFC 8446" },
    0x0806: { name: "rsa_pss_rsae_sha512", rfc: "RFC 8446" },
    0x0807: { name: "ed25519", rfc: "RFC 8446" },
    0x0808: { name: "ed448", rfc: "RFC 8446" },
    0x0809: { name: "rsa_pss_pss_sha256", rfc: "RFC 8446" },
    0x080a: { name: "rsa_pss_pss_sha384", rfc: "RFC 8446" },
    0x080b: { name: "rsa_pss_pss_sha512", rfc: "RFC 8446" },
    0x081a: { name: "ecdsa_brainpoolP256r1tls13_sha256", rfc: "RFC 8734" },
    0x081b: { name: "ecdsa_brainpoolP384r1tls13_sha384", rfc: "RFC 8734" },
    0x081c: { name: "ecdsa_brainpoolP512r1tls13_sha512", rfc: "RFC 8734" },
    0x0904: { name: "mldsa44", rfc: "draft-ietf-tls-mldsa" },
    0x0905: { name: "mldsa65", rfc: "draft-ietf-tls-mldsa" },
    0x0906: { name: "mldsa87", rfc: "draft-ietf-tls-mldsa" },
  },
  "16",
);
