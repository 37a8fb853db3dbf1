import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeHandshake } from "../../../../src/tls/handshake/decode";
import type { HandshakeContext } from "../../../../src/tls/handshake/types";
import { Writer } from "../../../../src/tls/writer";
import * as E from "../../../../src/tls/encode";

const c2s12: HandshakeContext = { dir: "c2s", version: null, cipherSuite: null };
const s2c12: HandshakeContext = { dir: "s2c", version: 0x0303, cipherSuite: 0xc02f };
const s2c13: HandshakeContext = { dir: "s2c", version: 0x0304, cipherSuite: 0x1301 };
const c2s13: HandshakeContext = { dir: "c2s", version: 0x0304, cipherSuite: 0x1301 };

const fill = (n: number, v: number) => new Uint8Array(n).fill(v);

function decodeOk(raw: Uint8Array, ctx: HandshakeContext) {
  const d = decodeHandshake(raw, ctx, true);
  assert.equal(d.error, undefined, d.error?.message);
  assert.equal(d.tree!.end, raw.length);
  return d;
}

test("Writer back-patches vector lengths and rejects overflow", () => {
  const w = new Writer(1);
  w.u8(1)
    .u16(0x0203)
    .u24(0x040506)
    .u32(0x0708090a)
    .vector(2, (x) => x.bytes(new Uint8Array([0xaa, 0xbb])))
    .opaque(1, new Uint8Array([1]));
  assert.deepEqual([...w.finish()], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 2, 0xaa, 0xbb, 1, 1]);
  assert.throws(() => new Writer().u8(256));
  assert.throws(() => new Writer().vector(1, (x) => x.bytes(new Uint8Array(256))));
});

test("ClientHello with every client extension round-trips", () => {
  const raw = E.encodeClientHello({
    random: fill(32, 1),
    sessionId: fill(32, 2),
    cipherSuites: [0x1301, 0x1302, 0xc02f],
    extensions: [
      E.serverNameExt("example.com"),
      E.alpnExt(["h2", "http/1.1"]),
      E.supportedGroupsExt([29, 23, 24, 256]),
      E.signatureAlgorithmsExt([0x0403, 0x0804, 0x0401]),
      E.keyShareClientExt([{ group: 29, keyExchange: fill(32, 3) }]),
      E.supportedVersionsClientExt([0x0304, 0x0303]),
      E.pskKeyExchangeModesExt([1]),
      E.cookieExt(fill(5, 4)),
      E.extendedMasterSecretExt(),
      E.renegotiationInfoExt(),
      E.sessionTicketExt(),
      E.ecPointFormatsExt(),
      E.encryptThenMacExt(),
      E.preSharedKeyClientExt([{ identity: fill(10, 5), obfuscatedTicketAge: 0xdeadbeef }], [fill(32, 6)]),
    ],
  });
  const d = decodeOk(raw, c2s12);
  assert.equal(d.name, "ClientHello");
  assert.deepEqual(d.details.cipherSuites, [0x1301, 0x1302, 0xc02f]);
  assert.equal(d.details.sni, "example.com");
  assert.deepEqual(d.details.alpn, ["h2", "http/1.1"]);
  assert.deepEqual(d.details.supportedVersions, [0x0304, 0x0303]);
  assert.equal(d.details.keyShares![0].group, 29);
  assert.deepEqual([...d.details.pskBinders![0]], [...fill(32, 6)]);
  assert.equal(d.details.pskBindersOffset, raw.length - E.bindersLength([32]));
  assert.equal(d.details.extendedMasterSecret, true);
  assert.equal(d.details.encryptThenMac, true);
  assert.deepEqual(d.fields.supportedGroups, [29, 23, 24, 256]);
});

test("ServerHello / HelloRetryRequest round-trip", () => {
  const sh = E.encodeServerHello({
    random: fill(32, 7),
    sessionId: fill(32, 2),
    cipherSuite: 0x1301,
    extensions: [E.supportedVersionsServerExt(0x0304), E.keyShareServerExt({ group: 23, keyExchange: fill(65, 4) }), E.preSharedKeyServerExt(0)],
  });
  const d = decodeOk(sh, { dir: "s2c", version: null, cipherSuite: null });
  assert.equal(d.details.selectedVersion, 0x0304);
  assert.equal(d.details.keyShares![0].group, 23);
  assert.equal(d.details.selectedIdentity, 0);
  const hrr = E.encodeHelloRetryRequest({
    sessionId: fill(32, 2),
    cipherSuite: 0x1301,
    extensions: [E.supportedVersionsServerExt(0x0304), E.keyShareHrrExt(23), E.cookieExt(fill(8, 1))],
  });
  const h = decodeOk(hrr, { dir: "s2c", version: null, cipherSuite: null });
  assert.equal(h.name, "HelloRetryRequest");
  assert.equal(h.details.selectedGroup, 23);
  const sh12 = E.encodeServerHello({
    random: fill(32, 7),
    sessionId: fill(32, 9),
    cipherSuite: 0xc02f,
    extensions: [E.renegotiationInfoExt(), E.extendedMasterSecretExt(), E.ecPointFormatsExt(), E.sessionTicketExt(), E.encryptThenMacExt()],
  });
  const d12 = decodeOk(sh12, { dir: "s2c", version: null, cipherSuite: null });
  assert.equal(d12.details.cipherSuite, 0xc02f);
  assert.equal(d12.details.extendedMasterSecret, true);
});

test("TLS 1.3 server flight and post-handshake messages round-trip", () => {
  decodeOk(E.encodeEncryptedExtensions([E.alpnExt(["h2"]), E.serverNameAck()]), s2c13);
  const cert = decodeOk(E.encodeCertificate13([fill(40, 0x30), fill(20, 0x31)]), s2c13);
  assert.equal(cert.details.certificates!.length, 2);
  const cr = decodeOk(E.encodeCertificateRequest13(new Uint8Array(0), [E.signatureAlgorithmsExt([0x0403, 0x0804])]), s2c13);
  assert.equal(cr.name, "CertificateRequest");
  const cv = decodeOk(E.encodeCertificateVerify(0x0403, fill(70, 9)), s2c13);
  assert.equal(cv.details.signatureAlgorithm, 0x0403);
  const fin = decodeOk(E.encodeFinished(fill(32, 8)), s2c13);
  assert.equal(fin.details.verifyData!.length, 32);
  const nst = decodeOk(E.encodeNewSessionTicket13({ lifetime: 7200, ageAdd: 0xfffffffe, nonce: fill(8, 0), ticket: fill(50, 1) }), s2c13);
  assert.equal(nst.details.ticketLifetime, 7200);
  assert.equal(nst.details.ticketAgeAdd, 0xfffffffe);
  const ku = decodeOk(E.encodeKeyUpdate(1), c2s13);
  assert.equal(ku.details.requestUpdate, 1);
});

test("TLS 1.2 messages round-trip", () => {
  const cert = decodeOk(E.encodeCertificate12([fill(40, 0x30)]), s2c12);
  assert.equal(cert.details.certificates!.length, 1);
  const ske = decodeOk(E.encodeServerKeyExchange(E.ecdheParams(29, fill(32, 5)), 0x0804, fill(256, 1)), s2c12);
  assert.equal(ske.details.namedGroup, 29);
  assert.equal(ske.details.signatureAlgorithm, 0x0804);
  assert.deepEqual([...ske.details.signedParams!], [...E.ecdheParams(29, fill(32, 5))]);
  const dhe = decodeOk(E.encodeServerKeyExchange(E.dheParams(fill(256, 0xff), new Uint8Array([2]), fill(256, 3)), 0x0401, fill(256, 1)), {
    ...s2c12,
    cipherSuite: 0x009e,
  });
  assert.equal(dhe.details.dhG!.length, 1);
  const cr = decodeOk(E.encodeCertificateRequest12({ certificateTypes: [1, 64], signatureAlgorithms: [0x0401, 0x0403] }), s2c12);
  assert.equal(cr.name, "CertificateRequest");
  decodeOk(E.encodeServerHelloDone(), s2c12);
  const c2s = { ...s2c12, dir: "c2s" as const };
  assert.equal(decodeOk(E.encodeClientKeyExchange("ecdh", fill(65, 4)), c2s).details.exchange!.length, 65);
  assert.equal(decodeOk(E.encodeClientKeyExchange("rsa", fill(256, 4)), { ...c2s, cipherSuite: 0x003c }).details.exchange!.length, 256);
  assert.equal(decodeOk(E.encodeClientKeyExchange("dh", fill(256, 4)), { ...c2s, cipherSuite: 0x009e }).details.exchange!.length, 256);
  decodeOk(E.encodeCertificateVerify(0x0401, fill(256, 1)), c2s);
  decodeOk(E.encodeFinished(fill(12, 1)), c2s);
  const nst = decodeOk(E.encodeNewSessionTicket12(300, fill(100, 2)), s2c12);
  assert.equal(nst.details.ticket!.length, 100);
});
