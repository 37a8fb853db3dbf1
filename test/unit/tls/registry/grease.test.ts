/**
 * GREASE (RFC 8701 §2): the sixteen 16-bit values 0x0A0A, 0x1A1A, ..., 0xFAFA are never registered names, always
 * display as GREASE; the 8-bit PSK-mode values are 0x0B + 0x1F·n. Unregistered values display as `unknown (0x....)`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  cipherSuites,
  extensionTypes,
  namedGroups,
  protocolVersions,
  pskKeyExchangeModes,
  signatureSchemes,
  alertDescriptions,
  handshakeTypes,
  isGrease16,
  isGrease8,
  versionName,
} from "../../../../src/tls/registry";

// RFC 8701 §2 lists them: {0x0A,0x0A}, {0x1A,0x1A}, ... {0xFA,0xFA}.
const GREASE16 = Array.from({ length: 16 }, (_, i) => (i << 12) | 0x0a00 | (i << 4) | 0x0a);
// RFC 8701 §2: PskKeyExchangeMode GREASE values are 0x0B, 0x2A, 0x49, 0x68, 0x87, 0xA6, 0xC5, 0xE4.
const GREASE8 = Array.from({ length: 8 }, (_, i) => 0x0b + 0x1f * i);

const SIXTEEN_BIT = [cipherSuites, namedGroups, signatureSchemes, extensionTypes, protocolVersions];

test("the 16 GREASE values are GREASE in every 16-bit registry that has them, and not table entries", () => {
  assert.deepEqual(GREASE16.slice(0, 3), [0x0a0a, 0x1a1a, 0x2a2a]);
  assert.equal(GREASE16[15], 0xfafa);
  for (const reg of SIXTEEN_BIT) {
    assert.equal(reg.grease, "16", reg.title);
    for (const v of GREASE16) {
      assert.ok(isGrease16(v));
      assert.ok(reg.isGrease(v), `${reg.title} 0x${v.toString(16)}`);
      assert.equal(reg.has(v), false, `${reg.title} has an entry for GREASE 0x${v.toString(16)}`);
      assert.equal(reg.name(v), "GREASE");
      assert.equal(reg.display(v), `GREASE (0x${v.toString(16).padStart(4, "0")})`);
    }
    for (const [v] of reg.entries()) assert.equal(isGrease16(v), false, `${reg.title} entry 0x${v.toString(16)} is GREASE`);
  }
  assert.equal(versionName(0x3a3a), "GREASE");
});

test("near-GREASE values are not GREASE", () => {
  for (const v of [0x0a1a, 0x1a0a, 0x0a0b, 0x0b0b, 0xfafb, 0x0000, 0xffff]) assert.equal(isGrease16(v), false, v.toString(16));
});

test("8-bit GREASE in psk_key_exchange_modes", () => {
  for (const v of GREASE8) {
    assert.ok(isGrease8(v));
    assert.equal(pskKeyExchangeModes.name(v), "GREASE");
    assert.equal(pskKeyExchangeModes.has(v), false);
  }
  assert.equal(pskKeyExchangeModes.name(0), "psk_ke");
  assert.equal(pskKeyExchangeModes.name(1), "psk_dhe_ke");
  assert.equal(pskKeyExchangeModes.display(2), "unknown (0x02)");
  assert.equal(isGrease8(0x0c), false);
  // Registries without GREASE never call a value GREASE.
  assert.equal(alertDescriptions.name(0x0b), "unknown");
  assert.equal(handshakeTypes.name(0x2a), "unknown");
});

test("unassigned values display as unknown (0x....)", () => {
  assert.equal(cipherSuites.display(0x1308), "unknown (0x1308)");
  assert.equal(cipherSuites.display(0xffff), "unknown (0xffff)");
  assert.equal(namedGroups.display(0x0105), "unknown (0x0105)");
  assert.equal(signatureSchemes.display(0x0810), "unknown (0x0810)");
  assert.equal(extensionTypes.display(0xfff0), "unknown (0xfff0)");
  assert.equal(extensionTypes.display(40), "unknown (0x0028)"); // reserved, not assigned
  assert.equal(alertDescriptions.display(255), "unknown (0xff)");
  assert.equal(versionName(0x0305), "unknown");
});

test("display of registered values", () => {
  assert.equal(cipherSuites.display(0x1301), "TLS_AES_128_GCM_SHA256 (0x1301)");
  assert.equal(namedGroups.display(29), "x25519 (0x001d)");
  assert.equal(extensionTypes.display(0xfe0d), "encrypted_client_hello (0xfe0d)");
  assert.equal(versionName(0x0303), "TLS 1.2");
  assert.equal(versionName(0xfefd), "DTLS 1.2");
  assert.equal(versionName(0x7f17), "TLS 1.3 (draft 23)");
});
