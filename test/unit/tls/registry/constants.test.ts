/**
 * The registries' named constants come from the same declaration as their names and displays (openEnum.ts): each
 * constant is the value of its entry, each entry has one constant, and a constant is a number literal type.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as registry from "../../../../src/tls/registry";
import {
  AlertDescription,
  AlertLevel,
  CertificateType,
  CipherSuite,
  CompressionMethod,
  ContentType,
  ECPointFormat,
  ExtensionType,
  HandshakeType,
  NamedGroup,
  OpenEnum,
  ProtocolVersion,
  PskKeyExchangeMode,
  SignatureScheme,
  contentTypes,
  handshakeName,
  protocolVersions,
} from "../../../../src/tls/registry";
import { ContentType as RecordContentType } from "../../../../src/tls/record";

const registries = Object.entries(registry as Record<string, unknown>).filter((e): e is [string, OpenEnum] => e[1] instanceof OpenEnum);

test("every registry's constants and entries are one declaration", () => {
  assert.ok(registries.length >= 25, `${registries.length} registries`);
  for (const [name, reg] of registries) {
    const constants = Object.entries(reg.codes);
    assert.equal(constants.length, [...reg.entries()].length, `${name}: one constant per entry`);
    for (const [constant, value] of constants) {
      const declared = reg.declared[constant];
      assert.equal(value, declared.value, `${name}.${constant}`);
      assert.equal(reg.name(value), declared.name ?? constant, `${name}.${constant}: the display name is the constant's unless declared`);
      assert.equal(reg.get(value)?.rfc, declared.rfc, `${name}.${constant}: rfc`);
    }
    assert.ok(Object.isFrozen(reg.codes), `${name}: constants are frozen`);
    const values = [...reg.entries()].map(([v]) => v);
    assert.deepEqual(
      values,
      [...values].sort((a, b) => a - b),
      `${name}: entries in value order`,
    );
  }
});

test("the constants every layer uses, spelled as IANA spells them", () => {
  assert.equal(ContentType.handshake, 22);
  assert.equal(ContentType.change_cipher_spec, 20);
  assert.equal(HandshakeType.client_hello, 1);
  assert.equal(HandshakeType.finished, 20);
  assert.equal(ExtensionType.supported_groups, 10);
  assert.equal(ExtensionType.renegotiation_info, 0xff01);
  assert.equal(NamedGroup.x25519, 29);
  assert.equal(NamedGroup.X25519MLKEM768, 0x11ec);
  assert.equal(NamedGroup.SecP256r1MLKEM768, 0x11eb);
  assert.equal(NamedGroup.SecP384r1MLKEM1024, 0x11ed);
  assert.equal(CipherSuite.TLS_AES_128_GCM_SHA256, 0x1301);
  assert.equal(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV, 0x00ff);
  assert.equal(AlertDescription.handshake_failure, 40);
  assert.equal(AlertLevel.fatal, 2);
  assert.equal(SignatureScheme.rsa_pss_rsae_sha256, 0x0804);
  assert.equal(SignatureScheme.mldsa65, 0x0905);
  assert.equal(ProtocolVersion.TLSv1_3, 0x0304);
  assert.equal(protocolVersions.display(ProtocolVersion.TLSv1_2), "TLS 1.2 (0x0303)");
  assert.equal(PskKeyExchangeMode.psk_dhe_ke, 1);
  assert.equal(CertificateType.RawPublicKey, 2);
  assert.equal(CompressionMethod.null, 0);
  assert.equal(ECPointFormat.uncompressed, 0);
  assert.equal(RecordContentType, ContentType, "the record layer's ContentType is the registry's");
});

test("a constant is a number literal type, usable as a case label", () => {
  const handshake: 22 = ContentType.handshake;
  const versions: ProtocolVersion[] = [ProtocolVersion.TLSv1_3, ProtocolVersion.TLSv1_2];
  const kind = (t: number): string => {
    switch (t) {
      case ContentType.alert:
        return "alert";
      case ContentType.handshake:
        return "handshake";
      default:
        return contentTypes.name(t);
    }
  };
  assert.equal(kind(handshake), "handshake");
  assert.equal(kind(21), "alert");
  assert.equal(kind(99), "unknown");
  assert.deepEqual(versions, [0x0304, 0x0303]);
});

test("unknown and GREASE values still display as before; message names come from the same declaration", () => {
  assert.equal(contentTypes.display(99), "unknown (0x63)");
  assert.equal(protocolVersions.display(0x3a3a), "GREASE (0x3a3a)");
  assert.equal(handshakeName(HandshakeType.client_hello), "ClientHello");
  assert.equal(handshakeName(HandshakeType.certificate_url), "CertificateURL");
  assert.equal(handshakeName(7), "unknown");
  assert.equal(handshakeName(-1), "unknown");
  assert.equal(handshakeName(1e9), "unknown");
});

test("a value declared twice is refused", () => {
  assert.throws(() => new OpenEnum("test", 1, { a: { value: 1 }, b: { value: 1 } }), /0x01 is declared twice/);
});
