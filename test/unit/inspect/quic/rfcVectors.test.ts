/**
 * RFC 9001 Appendix A and RFC 9369 Appendix A reproduced byte for byte: the Initial secrets and keys from the
 * client's Destination Connection ID, the client and server Initial packets protected (payload sealed, header
 * protected) and unprotected again, the Retry integrity tag, and the ChaCha20-Poly1305 short-header packet. The
 * expected values are the RFCs' own (test/fixtures/quic/rfc-vectors.json, copied from the RFC texts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { initialKeys, initialSecrets, nextKeyGeneration, quicKeys } from "../../../../src/engine/quic/keys";
import { headerProtectionMask, openPayload, packetNonce, protectPacket, removeHeaderProtection } from "../../../../src/engine/quic/protection";
import { retryIntegrityTag, verifyRetryIntegrity } from "../../../../src/engine/quic/retry";
import { QUIC_V1, QUIC_V2 } from "../../../../src/tls/registry/quicVersions";

interface Side {
  key: string;
  iv: string;
  hp: string;
}
interface Vectors {
  initial_secret: string;
  client_initial_secret: string;
  server_initial_secret: string;
  client: Side;
  server: Side;
  clientInitial: { cryptoFrame: string; unprotectedHeader: string; sample: string; mask: string; protectedHeader: string; packet: string };
  serverInitial: { payload: string; unprotectedHeader: string; sample: string; mask: string; protectedHeader: string; packet: string };
  retry: string;
  chacha20ShortHeader: Record<string, string | number>;
}

const all = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../fixtures/quic/rfc-vectors.json"), "utf8")) as Record<string, Vectors>;
const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const DCID = hex("8394c8f03e515708");

for (const [rfc, version] of [
  ["rfc9001", QUIC_V1],
  ["rfc9369", QUIC_V2],
] as const) {
  const v = all[rfc];

  test(`${rfc} A.1: Initial secrets and keys from the client's DCID`, () => {
    const s = initialSecrets(version, DCID);
    assert.equal(toHex(s.initial), v.initial_secret);
    assert.equal(toHex(s.client), v.client_initial_secret);
    assert.equal(toHex(s.server), v.server_initial_secret);
    const k = initialKeys(version, DCID);
    for (const side of ["client", "server"] as const) {
      assert.equal(toHex(k[side].key), v[side].key, `${side} key`);
      assert.equal(toHex(k[side].iv), v[side].iv, `${side} iv`);
      assert.equal(toHex(k[side].hp), v[side].hp, `${side} hp`);
    }
  });

  test(`${rfc} A.2: the client Initial, protected and unprotected`, () => {
    const c = v.clientInitial;
    const k = initialKeys(version, DCID).client;
    const payload = new Uint8Array(1162);
    payload.set(hex(c.cryptoFrame));
    const header = hex(c.unprotectedHeader);
    const packet = protectPacket(k, header, 4, 2, payload);
    assert.equal(toHex(packet), c.packet);
    assert.equal(toHex(headerProtectionMask(k, hex(c.sample))), c.mask);
    assert.equal(toHex(packet.subarray(0, header.length)), c.protectedHeader);
    // Back: header protection off, packet number 2, payload opened.
    const wire = hex(c.packet);
    const u = removeHeaderProtection(k, wire, 0, header.length - 4, wire.length);
    assert.ok(u);
    assert.equal(toHex(u.header), c.unprotectedHeader);
    assert.equal(u.truncatedPn, 2);
    const plain = openPayload(k, u.header, 2, wire.subarray(header.length));
    assert.ok(plain);
    assert.equal(toHex(plain), toHex(payload));
  });

  test(`${rfc} A.3: the server Initial, protected and unprotected`, () => {
    const s = v.serverInitial;
    const k = initialKeys(version, DCID).server;
    const header = hex(s.unprotectedHeader);
    const packet = protectPacket(k, header, 2, 1, hex(s.payload));
    assert.equal(toHex(packet), s.packet);
    assert.equal(toHex(headerProtectionMask(k, hex(s.sample))), s.mask);
    assert.equal(toHex(packet.subarray(0, header.length)), s.protectedHeader);
    const wire = hex(s.packet);
    const u = removeHeaderProtection(k, wire, 0, header.length - 2, wire.length);
    assert.ok(u);
    assert.equal(u.truncatedPn, 1);
    assert.equal(toHex(openPayload(k, u.header, 1, wire.subarray(header.length))!), s.payload);
  });

  test(`${rfc} A.4: the Retry integrity tag over the original DCID`, () => {
    const retry = hex(v.retry);
    assert.equal(toHex(retryIntegrityTag(version, DCID, retry.subarray(0, retry.length - 16))), v.retry.slice(-32));
    assert.equal(verifyRetryIntegrity(version, DCID, retry), true);
    assert.equal(verifyRetryIntegrity(version, hex("8394c8f03e515709"), retry), false);
  });

  test(`${rfc} A.5: the ChaCha20-Poly1305 short header packet`, () => {
    const c = v.chacha20ShortHeader;
    const k = quicKeys(version, "CHACHA20_POLY1305", "SHA256", hex(c.secret as string));
    assert.equal(toHex(k.key), c.key);
    assert.equal(toHex(k.iv), c.iv);
    assert.equal(toHex(k.hp), c.hp);
    assert.equal(toHex(nextKeyGeneration(version, k).secret), c.ku);
    const pn = c.packetNumber as number;
    assert.equal(toHex(packetNonce(k.iv, pn)), c.nonce);
    assert.equal(toHex(headerProtectionMask(k, hex(c.sample as string))), c.mask);
    const header = hex(c.unprotectedHeader as string);
    const packet = protectPacket(k, header, 3, pn, hex(c.plaintext as string));
    assert.equal(toHex(packet), c.packet);
    assert.equal(toHex(packet.subarray(header.length)), c.ciphertext);
    assert.equal(toHex(packet.subarray(0, header.length)), c.protectedHeader);
    const u = removeHeaderProtection(k, packet, 0, 1, packet.length);
    assert.ok(u);
    assert.equal(u.truncatedPn, pn & 0xffffff);
    assert.equal(toHex(openPayload(k, u.header, pn, packet.subarray(header.length))!), c.plaintext);
  });
}
