/**
 * The decryption diagnoses, each from a real capture of the shared fixtures (OpenSSL on 127.0.0.1) given keys that
 * do not fit it: a key log made by swapping two real connections' secrets, one with TLS 1.3 labels taken out, one
 * written for another capture, the wrong RSA private key, an RSA key for an ECDHE connection; and the capture cut
 * to start mid-connection or with a segment dropped. Each is checked for its code and its evidence.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectBytes, inspectFile } from "../../../src/inspect/inspect";
import type { ConnectionModel, Diagnosis } from "../../../src/model";

const fx = path.resolve(__dirname, "../../../../shared/fixtures");
const read = (n: string) => fs.readFileSync(path.join(fx, n), "utf8");

function find(c: ConnectionModel, code: string): Diagnosis {
  const d = (c.diagnoses ?? []).find((x) => x.code === code);
  assert.ok(d, `connection ${c.id}: expected ${code}, got ${(c.diagnoses ?? []).map((x) => x.code).join(", ") || "none"}`);
  return d;
}

/** The key log's lines by client random. */
function byRandom(keylog: string): Map<string, string[][]> {
  const m = new Map<string, string[][]>();
  for (const line of keylog.split("\n")) {
    const [label, random, secret] = line.trim().split(/\s+/);
    if (!secret || label.startsWith("#")) continue;
    if (!m.has(random)) m.set(random, []);
    m.get(random)!.push([label, secret]);
  }
  return m;
}

const write = (m: Map<string, string[][]>) =>
  [...m]
    .flatMap(([random, lines]) => lines.map(([l, s]) => `${l} ${random} ${s}`))
    .join("\n")
    .concat("\n");

test("keys-wrong: two real TLS 1.3 connections' secrets swapped", () => {
  const m = byRandom(read("node-tls13.keylog"));
  const other = byRandom(read("gnutls-client-tls13.keylog"));
  const [random] = [...m.keys()];
  // The secrets of another real TLS 1.3 connection under this connection's client random.
  m.set(random, [...other.values()][0]);
  const model = inspectFile(path.join(fx, "node-tls13.pcap"), { keylog: write(m) });
  const c = model.connections.find((x) => x.messages[0]?.name === "ClientHello")!;
  const d = find(c, "keys-wrong");
  assert.equal(d.severity, "error");
  assert.ok(d.fields.includes("messages[0].fields.random"), d.fields.join());
  assert.ok(
    d.fields.some((f) => /^records\[\d+\]$/.test(f)),
    "the first record that fails",
  );
  const rec = c.records[Number(/records\[(\d+)\]/.exec(d.fields.join())![1])];
  assert.ok(rec.encrypted && rec.decryptError, "that record did not open");
  assert.ok(d.frames.includes(rec.frame));
  assert.match(d.message, /handshake keys, record 0/);
});

test("keylog-missing-labels: a TLS 1.3 key log without the handshake secrets", () => {
  const m = byRandom(read("tls13-x25519-aes128gcm.keylog").replace(/^[A-Z_]*HANDSHAKE_TRAFFIC_SECRET .*$/gm, ""));
  const c = inspectFile(path.join(fx, "tls13-x25519-aes128gcm.pcap"), { keylog: write(m) }).connections[0];
  const d = find(c, "keylog-missing-labels");
  assert.equal(d.severity, "error");
  assert.match(d.message, /CLIENT_HANDSHAKE_TRAFFIC_SECRET/);
  assert.match(d.message, /SERVER_HANDSHAKE_TRAFFIC_SECRET/);
  assert.deepEqual(d.fields, ["messages[0].fields.random"]);
});

test("keylog-missing-labels: only CLIENT_RANDOM for a TLS 1.3 connection", () => {
  const random = [...byRandom(read("tls13-x25519-aes128gcm.keylog")).keys()][0];
  const c = inspectFile(path.join(fx, "tls13-x25519-aes128gcm.pcap"), { keylog: `CLIENT_RANDOM ${random} ${"ab".repeat(48)}\n` }).connections[0];
  assert.match(find(c, "keylog-missing-labels").message, /only CLIENT_RANDOM/);
});

test("keylog-no-match: the key log of another capture, naming the client_random it would need", () => {
  const model = inspectFile(path.join(fx, "tls13-x25519-aes128gcm.pcap"), { keylog: read("node-tls13.keylog") });
  const c = model.connections[0];
  const d = find(c, "keylog-no-match");
  const random = (c.messages[0].fields as { random: string }).random;
  assert.ok(d.message.includes(random), "names the client_random");
  assert.deepEqual(d.frames, [c.messages[0].frame]);
});

test("rsa-key-mismatch: RSA key transport given another private key", () => {
  const c = inspectFile(path.join(fx, "tls12-rsa-aes128-sha256.pcap"), { rsaKeys: [read("certs/untrusted.key")] }).connections[0];
  const d = find(c, "rsa-key-mismatch");
  const cert = c.messages.findIndex((m) => m.name === "Certificate");
  assert.deepEqual(d.fields, [`messages[${cert}].fields.certificates[0]`]);
  // With the right key there is nothing to say.
  const ok = inspectFile(path.join(fx, "tls12-rsa-aes128-sha256.pcap"), { rsaKeys: [read("tls12-rsa-aes128-sha256.server-key.pem")] }).connections[0];
  assert.ok(ok.decrypted);
  assert.deepEqual(
    (ok.diagnoses ?? []).filter((x) => x.severity === "error"),
    [],
  );
});

test("rsa-key-cannot-decrypt: the server's RSA key for an ECDHE connection", () => {
  const c = inspectFile(path.join(fx, "tls12-ecdhe-rsa-aes128gcm.pcap"), { rsaKeys: [read("certs/server-rsa.key")] }).connections[0];
  const d = find(c, "rsa-key-cannot-decrypt");
  assert.match(d.message, /ECDHE/);
  assert.ok(d.fields[0].endsWith(".fields.cipherSuite"));
});

/** Classic pcap records (the fixtures are little-endian pcap). */
function records(bytes: Buffer): { header: Buffer; recs: Buffer[] } {
  const recs: Buffer[] = [];
  for (let p = 24; p + 16 <= bytes.length && recs.length < 100_000;) {
    const len = bytes.readUInt32LE(p + 8);
    recs.push(bytes.subarray(p, p + 16 + len));
    p += 16 + len;
  }
  return { header: bytes.subarray(0, 24), recs };
}

test("capture-starts-mid-connection: the first packets (SYN and ClientHello) cut off", () => {
  const { header, recs } = records(fs.readFileSync(path.join(fx, "tls13-x25519-aes128gcm.pcap")));
  const c0 = inspectFile(path.join(fx, "tls13-x25519-aes128gcm.pcap")).connections[0];
  const after = recs.slice(c0.messages[0].frame);
  const model = inspectBytes(Buffer.concat([header, ...after]), "cut.pcap", { keylog: read("tls13-x25519-aes128gcm.keylog") });
  const d = find(model.connections[0], "capture-starts-mid-connection");
  assert.equal(d.severity, "error", "with keys given, an error: they cannot be matched");
});

test("segments-lost: a segment of the server's flight dropped before the Finished", () => {
  const file = path.join(fx, "tls13-x25519-aes128gcm.pcap");
  const { header, recs } = records(fs.readFileSync(file));
  const c0 = inspectFile(file).connections[0];
  const sh = c0.messages.find((m) => m.name === "ServerHello")!;
  const kept = recs.filter((_, i) => i + 1 !== sh.frame);
  const c = inspectBytes(Buffer.concat([header, ...kept]), "lost.pcap", { keylog: read("tls13-x25519-aes128gcm.keylog") }).connections[0];
  const d = find(c, "segments-lost");
  assert.equal(d.severity, "error");
  assert.match(d.fields[0], /^errors\[\d+\]$/);
});
