/**
 * cipherSuiteInfo for the suites the engine runs, against the lengths the RFCs state:
 * - RFC 5246 Appendix C (TLS 1.2 CBC/HMAC): AES_128_CBC key 16, AES_256_CBC key 32, IV/block 16; HMAC-SHA1 20,
 *   HMAC-SHA256 32, HMAC-SHA384 48 bytes; §6.2.3.2: TLS 1.1+ carries a block-sized explicit IV in each record.
 * - RFC 5288 §3 (AES-GCM in TLS 1.2): 4-byte salt from the key block + 8-byte nonce_explicit per record; RFC 5116
 *   §5.1/§5.2: AEAD_AES_128_GCM K_LEN 16, AEAD_AES_256_GCM K_LEN 32, tag 16. RFC 5289 §3.2 / RFC 5288 §3: the
 *   _SHA384 suites use the SHA-384 PRF, the others SHA-256 (RFC 5246 §5).
 * - RFC 7905 §2 (ChaCha20-Poly1305 in TLS 1.2): key 32, 12-byte fixed IV, no explicit nonce, 16-byte tag.
 * - RFC 8446 §5.3 and Appendix B.4 (TLS 1.3): iv_length 12, no explicit nonce, hash as named by the suite.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cipherSuiteInfo, cipherSuites } from "../../../../src/tls/registry";

type Want = [
  suite: number,
  kx: string,
  auth: string,
  cipher: string,
  mac: string,
  prf: string,
  key: number,
  fixedIv: number,
  recordIv: number,
  macLen: number,
  tag: number,
];

const CASES: Want[] = [
  // TLS 1.3 (RFC 8446 §5.3, §B.4)
  [0x1301, "any", "any", "AES_128_GCM", "AEAD", "SHA256", 16, 12, 0, 0, 16],
  [0x1302, "any", "any", "AES_256_GCM", "AEAD", "SHA384", 32, 12, 0, 0, 16],
  [0x1303, "any", "any", "CHACHA20_POLY1305", "AEAD", "SHA256", 32, 12, 0, 0, 16],
  // TLS 1.2 GCM (RFC 5288 §3, RFC 5289 §3.2)
  [0xc02f, "ECDHE", "RSA", "AES_128_GCM", "AEAD", "SHA256", 16, 4, 8, 0, 16],
  [0xc030, "ECDHE", "RSA", "AES_256_GCM", "AEAD", "SHA384", 32, 4, 8, 0, 16],
  [0xc02b, "ECDHE", "ECDSA", "AES_128_GCM", "AEAD", "SHA256", 16, 4, 8, 0, 16],
  [0xc02c, "ECDHE", "ECDSA", "AES_256_GCM", "AEAD", "SHA384", 32, 4, 8, 0, 16],
  [0x009e, "DHE", "RSA", "AES_128_GCM", "AEAD", "SHA256", 16, 4, 8, 0, 16],
  [0x009f, "DHE", "RSA", "AES_256_GCM", "AEAD", "SHA384", 32, 4, 8, 0, 16],
  [0x009c, "RSA", "RSA", "AES_128_GCM", "AEAD", "SHA256", 16, 4, 8, 0, 16],
  [0x009d, "RSA", "RSA", "AES_256_GCM", "AEAD", "SHA384", 32, 4, 8, 0, 16],
  // TLS 1.2 ChaCha20-Poly1305 (RFC 7905 §2)
  [0xcca8, "ECDHE", "RSA", "CHACHA20_POLY1305", "AEAD", "SHA256", 32, 12, 0, 0, 16],
  [0xcca9, "ECDHE", "ECDSA", "CHACHA20_POLY1305", "AEAD", "SHA256", 32, 12, 0, 0, 16],
  // CBC + HMAC (RFC 5246 Appendix C; RFC 8422 §6 and RFC 5289 §3.1 for the ECDHE ones)
  [0x003c, "RSA", "RSA", "AES_128_CBC", "SHA256", "SHA256", 16, 16, 16, 32, 0],
  [0x002f, "RSA", "RSA", "AES_128_CBC", "SHA1", "SHA256", 16, 16, 16, 20, 0],
  [0x0035, "RSA", "RSA", "AES_256_CBC", "SHA1", "SHA256", 32, 16, 16, 20, 0],
  [0xc013, "ECDHE", "RSA", "AES_128_CBC", "SHA1", "SHA256", 16, 16, 16, 20, 0],
  [0xc014, "ECDHE", "RSA", "AES_256_CBC", "SHA1", "SHA256", 32, 16, 16, 20, 0],
  [0xc009, "ECDHE", "ECDSA", "AES_128_CBC", "SHA1", "SHA256", 16, 16, 16, 20, 0],
  [0xc027, "ECDHE", "RSA", "AES_128_CBC", "SHA256", "SHA256", 16, 16, 16, 32, 0],
  [0x0067, "DHE", "RSA", "AES_128_CBC", "SHA256", "SHA256", 16, 16, 16, 32, 0],
  [0x006b, "DHE", "RSA", "AES_256_CBC", "SHA256", "SHA256", 32, 16, 16, 32, 0],
];

test("cipherSuiteInfo gives the RFC lengths for the engine's suites", () => {
  for (const [suite, kx, auth, cipher, mac, prf, key, fixedIv, recordIv, macLen, tag] of CASES) {
    const i = cipherSuiteInfo(suite);
    assert.ok(i, `0x${suite.toString(16)}`);
    const label = `${i.name} (0x${suite.toString(16)})`;
    assert.equal(i.value, suite);
    assert.equal(i.name, cipherSuites.name(suite));
    assert.deepEqual(
      [i.keyExchange, i.authentication, i.cipher, i.mac, i.prfHash, i.keyLength, i.fixedIvLength, i.recordIvLength, i.macLength, i.tagLength],
      [kx, auth, cipher, mac, prf, key, fixedIv, recordIv, macLen, tag],
      label,
    );
    assert.equal(i.tls13, suite >> 8 === 0x13, label);
    assert.equal(i.aead, mac === "AEAD", label);
  }
});

test("every registered suite decomposes, except the two signalling values", () => {
  let n = 0;
  for (const [v, e] of cipherSuites.entries()) {
    n++;
    const i = cipherSuiteInfo(v);
    if (v === 0x00ff || v === 0x5600) {
      assert.equal(i, undefined, e.name);
      continue;
    }
    assert.ok(i, `${e.name} did not decompose`);
    // RFC 5246 §5 / RFC 5288 §3: SHA-384 suites use the SHA-384 PRF; no other TLS 1.2 suite names a hash above 256.
    if (!i.tls13 && e.name.endsWith("_SHA384")) assert.equal(i.prfHash, "SHA384", e.name);
    if (i.aead) assert.ok(i.macLength === 0 && i.tagLength > 0, e.name);
    else assert.ok(i.tagLength === 0, e.name);
    if (i.tls13) assert.equal(i.recordIvLength, 0, e.name);
    if (e.name.endsWith("_CCM_8") || e.name.includes("_CCM_8_")) assert.equal(i.tagLength, 8, e.name); // RFC 6655 §3
  }
  assert.ok(n >= 340, `only ${n} suites`);
  assert.equal(cipherSuiteInfo(0x1308), undefined);
  assert.equal(cipherSuiteInfo(0x0a0a), undefined);
});

test("the deployed SCSVs and SM4 suites are registered", () => {
  assert.equal(cipherSuites.name(0x00ff), "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
  assert.equal(cipherSuites.name(0x5600), "TLS_FALLBACK_SCSV");
  assert.equal(cipherSuites.name(0x00c6), "TLS_SM4_GCM_SM3");
  assert.equal(cipherSuites.name(0x00c7), "TLS_SM4_CCM_SM3");
});

/** OpenSSL's `ciphers -stdname -V` lists IANA names with Kx/Au/Enc(bits)/Mac for every suite OpenSSL implements. */
function opensslSuites(): string[] | undefined {
  try {
    const out = execFileSync("openssl", ["ciphers", "-stdname", "-V", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"], {
      timeout: 30_000,
      stdio: ["ignore", "pipe", "ignore"],
    });
    return out
      .toString()
      .split("\n")
      .filter((l) => l.trim());
  } catch {
    return undefined;
  }
}

test("names, key exchange, authentication, key size and MAC agree with OpenSSL's cipher table", () => {
  const lines = opensslSuites();
  if (!lines) {
    assert.fail("openssl is not available (Debian package openssl; .ci/run installs it)");
  }
  let checked = 0;
  for (const line of lines) {
    const m = /0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+- \S+\s+\S+\s+Kx=(\S+)\s+Au=(\S+)\s+Enc=(\S+?)(?:\((\d+)\))?\s+Mac=(\S+)/.exec(line);
    if (!m) continue;
    const v = parseInt(m[1] + m[2], 16);
    const [, , , stdname, kx, au, enc, bits, mac] = m;
    if (stdname.endsWith("_SCSV")) continue;
    assert.equal(cipherSuites.name(v), stdname, line);
    const i = cipherSuiteInfo(v)!;
    assert.ok(i, stdname);
    // OpenSSL spells ECDHE as ECDH and DHE as DH, and joins PSK variants (DHEPSK, ECDHEPSK, RSAPSK).
    const ourKx = i.keyExchange.includes("PSK") ? i.keyExchange.replace("_", "") : i.keyExchange.replace(/^(EC)?DHE$/, "$1DH");
    assert.equal(ourKx, kx, `${stdname} Kx`);
    assert.equal(i.authentication === "anon" ? "None" : i.authentication, au, `${stdname} Au`);
    if (enc === "None") assert.equal(i.keyLength, 0, stdname);
    // DES and 3DES key material carries parity bits: 8 and 24 bytes for 56 and 168 effective bits.
    else assert.ok(Number(bits) === i.keyLength * 8 || Number(bits) === i.keyLength * 7, `${stdname} ${enc}(${bits}) vs ${i.keyLength}`);
    assert.equal(i.mac, mac, `${stdname} Mac`);
    checked++;
  }
  assert.ok(checked > 100, `only ${checked} OpenSSL suites checked`);
});
