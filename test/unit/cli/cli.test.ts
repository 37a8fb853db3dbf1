/** The `tls-handshake` CLI as a user runs it: documents per shared/spec/inspect-json.md, exit codes, messages. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli, root } from "./run";

const fixtures = path.resolve(root, "../shared/fixtures");

const tls13 = path.join(fixtures, "tls13-x25519-aes128gcm.pcap");

test("inspect --json prints exactly one schema-1 document with the spec's keys", () => {
  const r = cli(["inspect", tls13, "--keylog", path.join(fixtures, "tls13-x25519-aes128gcm.keylog"), "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.schema, 1);
  const oracle = JSON.parse(fs.readFileSync(path.join(fixtures, "tls13-x25519-aes128gcm.tshark.json"), "utf8"));
  assert.deepEqual(doc.input, { path: tls13, format: "pcap", packets: oracle.packets });
  assert.deepEqual(Object.keys(doc).sort(), ["connections", "errors", "input", "schema"]);
  const c = doc.connections[0];
  for (const k of ["id", "client", "server", "version", "cipherSuite", "sni", "alpn", "decrypted", "records", "messages", "alerts", "errors"])
    assert.ok(k in c, k);
  for (const m of c.messages) for (const k of ["dir", "type", "name", "length", "frame", "encrypted", "fields"]) assert.ok(k in m, `message ${k}`);
  const fin = c.messages.filter((m: { type: number }) => m.type === 20);
  assert.ok(fin.length === 2 && fin.every((m: { fields: { verified: boolean } }) => m.fields.verified === true), "both Finished verified");
});

test("inspect --summary drops records and fields, keeps the connection list", () => {
  const r = cli(["inspect", tls13, "--summary"]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  const c = doc.connections[0];
  assert.ok(!("records" in c));
  assert.ok(c.messages.every((m: object) => !("fields" in m)));
  assert.equal(c.sni, "server.test");
});

test("the readable tree names fields and meanings", () => {
  const r = cli(["inspect", path.join(fixtures, "tls12-ecdhe-rsa-aes128gcm.pcap")]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ClientHello/);
  assert.match(r.stdout, /TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256/);
  assert.match(r.stdout, /server\.test/);
});

test("a file that is not a capture: exit 2, one clear line, no stack trace", () => {
  const f = path.join(os.tmpdir(), `not-a-capture-${process.pid}.bin`);
  fs.writeFileSync(f, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 0, 0, 0, 0]));
  try {
    const r = cli(["inspect", f, "--json"]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  } finally {
    fs.unlinkSync(f);
  }
});

test("a missing file and a bad option: exit 2", () => {
  assert.equal(cli(["inspect", "/nonexistent/x.pcap"]).status, 2);
  assert.equal(cli(["inspect", tls13, "--bogus"]).status, 2);
});

test("a truncated capture still shows what could be read, with located errors", () => {
  const bytes = fs.readFileSync(tls13);
  const f = path.join(os.tmpdir(), `truncated-${process.pid}.pcap`);
  fs.writeFileSync(f, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  try {
    const r = cli(["inspect", f, "--json"]);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.ok(doc.connections.length === 1 && doc.connections[0].messages.length >= 2);
    assert.ok(doc.errors.length >= 1 && /truncated/.test(doc.errors[0].message), JSON.stringify(doc.errors));
  } finally {
    fs.unlinkSync(f);
  }
});
