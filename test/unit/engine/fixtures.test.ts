/**
 * Real records from real stacks (shared/fixtures): the engine opens the captured encrypted Finished records and
 * recomputes verify_data; expected values come from tshark's oracle (`*.tshark.json`) and the key logs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { hashOf } from "../../../src/engine/crypto/hash";
import { parseKeyLog } from "../../../src/engine/keylog";
import { finishedVerifyData13, trafficKeys13 } from "../../../src/engine/keySchedule13";
import { finishedVerifyData12, keyBlock12, masterSecret12 } from "../../../src/engine/prf12";
import { RecordProtector } from "../../../src/engine/recordProtection";
import { decryptPremaster, decryptPremasterDetailed } from "../../../src/engine/rsaKeyTransport";
import { suiteParams } from "../../../src/engine/suites";
import { handshakeMessages, recordsOfPcap } from "./pcapRecords";
import { sharedPath } from "../../support/require";

const fixtures = sharedPath("fixtures");

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
const concat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

interface OracleMsg {
  dir: "c2s" | "s2c";
  name: string;
  fields: Record<string, unknown>;
}
interface OracleStream {
  server: { port: number };
  cipherSuite: number;
  messages: OracleMsg[];
  appData?: { dir: string; hex: string }[];
}

function load(name: string) {
  const oracle = JSON.parse(fs.readFileSync(path.join(fixtures, `${name}.tshark.json`), "utf8")) as { streams: OracleStream[] };
  const stream = oracle.streams[0];
  const field = (msg: string, f: string, dir?: string) => {
    const m = stream.messages.find((x) => x.name === msg && (!dir || x.dir === dir));
    assert.ok(m, `${name}: oracle has ${msg}`);
    return m.fields[f] as string;
  };
  const keylogPath = path.join(fixtures, `${name}.keylog`);
  const keylog = fs.existsSync(keylogPath) ? parseKeyLog(fs.readFileSync(keylogPath, "utf8")) : null;
  const recs = recordsOfPcap(path.join(fixtures, `${name}.pcap`), stream.server.port);
  return { stream, field, keylog, recs };
}

/** TLS 1.2: open both encrypted Finished records and check verify_data against the oracle and the PRF. */
function checkTls12(name: string, master: Uint8Array, opts: { etm: boolean; ems: boolean }) {
  const { stream, field, recs } = load(name);
  const params = suiteParams(stream.cipherSuite)!;
  assert.ok(params, `suite ${stream.cipherSuite} supported`);
  const cr = bytes(field("ClientHello", "random"));
  const sr = bytes(field("ServerHello", "random"));
  const kb = keyBlock12(params, master, cr, sr);
  const c2sHs = handshakeMessages(recs.c2s);
  const s2cHs = handshakeMessages(recs.s2c);
  // Transcript order: ClientHello, ServerHello..ServerHelloDone, ClientKeyExchange (no client auth here).
  const [ch, ...clientRest] = c2sHs;
  const s2cBeforeCcs = s2cHs.filter((m) => m[0] !== 4); // NewSessionTicket comes after the client's Finished
  const nst = s2cHs.filter((m) => m[0] === 4);
  const transcript = [ch, ...s2cBeforeCcs, ...clientRest];

  const clientFinRec = recs.c2s[recs.c2s.findIndex((r) => r.type === 20) + 1];
  const opener = new RecordProtector(params, kb.client, { version: "tls12", encryptThenMac: opts.etm });
  const r = opener.open(clientFinRec.type, clientFinRec.version, clientFinRec.fragment);
  assert.ok(r.ok, `${name}: client Finished opens: ${r.ok ? "" : r.error}`);
  assert.equal(r.type, 22);
  assert.equal(hex(r.plaintext.subarray(0, 4)), "1400000c");
  const clientVerify = field("Finished", "verifyData", "c2s");
  assert.equal(hex(r.plaintext.subarray(4)), clientVerify, "decrypted client verify_data = oracle");
  const th = hashOf(params.hash, concat(transcript));
  assert.equal(hex(finishedVerifyData12(params.hash, master, "client finished", th)), clientVerify, "PRF verify_data = oracle");

  const serverFinRec = recs.s2c[recs.s2c.findIndex((r) => r.type === 20) + 1];
  const sOpen = new RecordProtector(params, kb.server, { version: "tls12", encryptThenMac: opts.etm });
  const s = sOpen.open(serverFinRec.type, serverFinRec.version, serverFinRec.fragment);
  assert.ok(s.ok, `${name}: server Finished opens: ${s.ok ? "" : s.error}`);
  const serverVerify = field("Finished", "verifyData", "s2c");
  assert.equal(hex(s.plaintext.subarray(4)), serverVerify);
  const th2 = hashOf(params.hash, concat([...transcript, r.plaintext, ...nst]));
  assert.equal(hex(finishedVerifyData12(params.hash, master, "server finished", th2)), serverVerify);

  // Application data, both ways, against the oracle's decrypted bytes.
  const appC2s = recs.c2s.filter((x) => x.type === 23);
  const appS2c = recs.s2c.filter((x) => x.type === 23);
  const oracleApp = stream.appData ?? [];
  const mine = [
    ...appC2s.map((x) => ["c2s", opener.open(x.type, x.version, x.fragment)] as const),
    ...appS2c.map((x) => ["s2c", sOpen.open(x.type, x.version, x.fragment)] as const),
  ];
  for (const [dir, o] of mine) {
    assert.ok(o.ok);
    assert.ok(
      oracleApp.some((a) => a.dir === dir && a.hex === hex(o.plaintext)),
      `${name}: ${dir} application data matches the oracle`,
    );
  }
  assert.ok(mine.length >= 2);
  // The extended master secret is in use in both captures: the session hash must reproduce the logged master.
  return { params, transcript, cr, sr, ems: opts.ems };
}

test("TLS 1.2 ECDHE-RSA AES-128-GCM: Finished and application data open (master from key log)", () => {
  const { keylog, field } = load("tls12-ecdhe-rsa-aes128gcm");
  assert.deepEqual(keylog!.errors, []);
  const master = keylog!.entries.get(field("ClientHello", "random"))?.get("CLIENT_RANDOM");
  assert.ok(master);
  checkTls12("tls12-ecdhe-rsa-aes128gcm", master, { etm: false, ems: true });
});

test("TLS 1.2 RSA AES-128-CBC-SHA256 encrypt-then-MAC: Finished opens (key log, and server RSA key)", () => {
  const name = "tls12-rsa-aes128-sha256";
  const { keylog, field, recs } = load(name);
  const logged = keylog!.entries.get(field("ClientHello", "random"))?.get("CLIENT_RANDOM");
  assert.ok(logged);
  const { params, transcript, cr, sr } = checkTls12(name, logged, { etm: true, ems: true });

  // The same connection decrypted from the server's key: premaster from the ClientKeyExchange.
  const pem = fs.readFileSync(path.join(fixtures, `${name}.server-key.pem`), "utf8");
  const cke = transcript.find((m) => m[0] === 16)!;
  const encrypted = cke.subarray(6); // header(4) + EncryptedPreMasterSecret length(2)
  const chVersion = Number(field("ClientHello", "legacyVersion"));
  const pms = decryptPremaster(pem, encrypted, chVersion);
  // The key log's RSA line names the same premaster (keyed by the first 8 bytes of the ciphertext).
  assert.equal(hex(keylog!.entries.get(hex(encrypted.subarray(0, 8)))!.get("RSA")!), hex(pms));
  // Extended master secret (RFC 7627 §4): session hash through ClientKeyExchange.
  const sessionHash = hashOf(params.hash, concat(transcript));
  assert.equal(hex(masterSecret12(params.hash, pms, cr, sr, sessionHash)), hex(logged));
  assert.notEqual(hex(masterSecret12(params.hash, pms, cr, sr, null)), hex(logged), "the classic master secret differs");

  // RFC 5246 §7.4.7.1: a wrong client_version or a damaged ciphertext yields a random premaster, not an error.
  const wrongVersion = decryptPremasterDetailed(pem, encrypted, 0x0302);
  assert.equal(wrongVersion.valid, false);
  assert.notEqual(hex(wrongVersion.premaster), hex(pms));
  const damaged = encrypted.slice();
  damaged[10] ^= 1;
  const d = decryptPremasterDetailed(pem, damaged, chVersion);
  assert.equal(d.valid, false);
  assert.equal(d.premaster.length, 48);
  assert.throws(() => decryptPremaster(pem, encrypted.subarray(1), chVersion), /modulus/);
  assert.ok(recs.c2s.length > 0);
});

test("TLS 1.3 X25519 AES-128-GCM: handshake records open with the logged traffic secrets", () => {
  const name = "tls13-x25519-aes128gcm";
  const { keylog, field, recs, stream } = load(name);
  const params = suiteParams(stream.cipherSuite)!;
  const secrets = keylog!.entries.get(field("ClientHello", "random"))!;
  const sHs = secrets.get("SERVER_HANDSHAKE_TRAFFIC_SECRET")!;
  const cHs = secrets.get("CLIENT_HANDSHAKE_TRAFFIC_SECRET")!;
  const sOpen = new RecordProtector(params, trafficKeys13(params, sHs), { version: "tls13" });
  const enc = recs.s2c.filter((r) => r.type === 23);
  const first = sOpen.open(enc[0].type, enc[0].version, enc[0].fragment);
  assert.ok(first.ok, first.ok ? "" : first.error);
  assert.equal(first.type, 22);
  assert.equal(first.plaintext[0], 8, "EncryptedExtensions");

  // Every server handshake record, then the transcript: server and client Finished against the oracle.
  const plainHs = [first.plaintext];
  for (let i = 1; i < enc.length; i++) {
    const r = sOpen.open(enc[i].type, enc[i].version, enc[i].fragment);
    assert.ok(r.ok);
    plainHs.push(r.plaintext);
    if (r.plaintext[0] === 20) break;
  }
  const [ch] = handshakeMessages(recs.c2s);
  const [sh] = handshakeMessages(recs.s2c);
  const serverFlight = concat(plainHs);
  const serverFin = serverFlight.subarray(serverFlight.length - 36);
  assert.equal(serverFin[0], 20);
  const before = concat([ch, sh, serverFlight.subarray(0, serverFlight.length - 36)]);
  const sVerify = finishedVerifyData13(params, sHs, hashOf(params.hash, before));
  assert.equal(hex(sVerify), field("Finished", "verifyData", "s2c"));
  assert.equal(hex(serverFin.subarray(4)), hex(sVerify));

  const cOpen = new RecordProtector(params, trafficKeys13(params, cHs), { version: "tls13" });
  const cEnc = recs.c2s.find((r) => r.type === 23)!;
  const cFin = cOpen.open(cEnc.type, cEnc.version, cEnc.fragment);
  assert.ok(cFin.ok);
  const cVerify = finishedVerifyData13(params, cHs, hashOf(params.hash, concat([ch, sh, serverFlight])));
  assert.equal(hex(cFin.plaintext.subarray(4)), field("Finished", "verifyData", "c2s"));
  assert.equal(hex(cVerify), field("Finished", "verifyData", "c2s"));

  // Application data under CLIENT_/SERVER_TRAFFIC_SECRET_0 matches the oracle's decrypted bytes.
  const cApp = new RecordProtector(params, trafficKeys13(params, secrets.get("CLIENT_TRAFFIC_SECRET_0")!), { version: "tls13" });
  const rest = recs.c2s.filter((r) => r.type === 23).slice(1);
  const got = rest.map((r) => cApp.open(r.type, r.version, r.fragment));
  assert.ok(got.every((g) => g.ok));
  const appData = got.filter((g) => g.ok && g.type === 23).map((g) => (g.ok ? hex(g.plaintext) : ""));
  assert.ok(appData.length >= 1);
  for (const a of appData) assert.ok(stream.appData!.some((x) => x.dir === "c2s" && x.hex === a));
});

test("TLS 1.3 ChaCha20-Poly1305 (tls13-ecdsa-chacha20-alpn): handshake records open", () => {
  const name = "tls13-ecdsa-chacha20-alpn";
  const { keylog, field, recs, stream } = load(name);
  const params = suiteParams(stream.cipherSuite)!;
  assert.equal(params.aead, "CHACHA20_POLY1305");
  const secrets = keylog!.entries.get(field("ClientHello", "random"))!;
  const sOpen = new RecordProtector(params, trafficKeys13(params, secrets.get("SERVER_HANDSHAKE_TRAFFIC_SECRET")!), { version: "tls13" });
  const plain: Uint8Array[] = [];
  for (const r of recs.s2c.filter((x) => x.type === 23)) {
    const o = sOpen.open(r.type, r.version, r.fragment);
    if (!o.ok) break; // application data records use the next keys
    if (o.type === 22) plain.push(o.plaintext);
  }
  const msgs = handshakeMessages(plain.map((p) => ({ type: 22, version: 0x0303, fragment: p })));
  assert.deepEqual(
    msgs.map((m) => m[0]),
    [8, 11, 15, 20],
    "EncryptedExtensions, Certificate, CertificateVerify, Finished",
  );
  assert.equal(hex(msgs[3].subarray(4)), field("Finished", "verifyData", "s2c"));
});

for (const name of ["tls12-client-auth", "tls12-dhe-rsa-aes128gcm", "gnutls-client-tls12"]) {
  test(`TLS 1.2 ${name}: Finished and application data open (master from key log)`, () => {
    const { keylog, field, stream } = load(name);
    const master = keylog!.entries.get(field("ClientHello", "random"))?.get("CLIENT_RANDOM");
    assert.ok(master);
    const ems = stream.messages.find((m) => m.name === "ServerHello")!.fields.extensions as number[];
    checkTls12(name, master, { etm: ems.includes(22), ems: ems.includes(23) });
  });
}
