/**
 * encrypted_client_hello (RFC 9849) in every form. The outer form and GREASE come from real bytes: Chromium 156's
 * GREASE ECH in test/fixtures/chromium (tshark 4.0.17 predates ECH and shows the extension's raw bytes, the oracle
 * for where each field sits). No peer on this machine implements ECH, so the server's forms (retry_configs, the
 * HelloRetryRequest confirmation) and the inner marker are built here from RFC 9849 §4, §5 and §7 structures.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectFile } from "../../../src/inspect/inspect";
import { echVerdict } from "../../../src/inspect/echVerdict";
import { decodeHandshake } from "../../../src/tls/handshake/decode";
import * as E from "../../../src/tls/encode";
import type { FieldNode } from "../../../src/tls/field";
import { ExtensionType } from "../../../src/tls/registry";

const dir = path.resolve(__dirname, "../../fixtures/chromium");
const PCAP = path.join(dir, "chromium156-openssl-s_server.pcap");
const KEYLOG = fs.readFileSync(path.join(dir, "chromium156-openssl-s_server.keylog"), "utf8");

function find(n: FieldNode | undefined, name: string): FieldNode | undefined {
  if (!n) return undefined;
  if (n.name === name) return n;
  for (const c of n.children ?? []) {
    const f = find(c, name);
    if (f) return f;
  }
  return undefined;
}
const child = (n: FieldNode, name: string) => n.children!.find((c) => c.name === name)!;

test("Chromium's GREASE ECH: the outer form decoded over tshark's bytes, and recognised as GREASE with the key log", () => {
  // tshark's "Data:" of the extension (its first 37 bytes; it shows no more) for each connection, in order.
  const txt = fs.readFileSync(path.join(dir, "chromium156-openssl-s_server.clienthello.tshark.txt"), "utf8");
  const prefixes = [...txt.matchAll(/Unknown type 65037 \(len=(\d+)\)[\s\S]*?Data: ([0-9a-f]+)…/g)].map((m) => ({ len: Number(m[1]), hex: m[2] }));
  assert.equal(prefixes.length, 2);
  for (const keys of [undefined, KEYLOG]) {
    const model = inspectFile(PCAP, { detail: "full", keylog: keys });
    model.connections.forEach((c, i) => {
      const ch = c.messages[0];
      const ext = find(ch.tree, "encrypted_client_hello")!;
      const data = child(ext, "extension_data");
      const body = ch.raw!.subarray(data.start + 2, data.end);
      assert.equal(body.length, prefixes[i].len);
      assert.equal(Buffer.from(body).toString("hex").slice(0, prefixes[i].hex.length), prefixes[i].hex);
      assert.equal(child(data, "type").display, "outer (0x00)");
      assert.equal(child(child(data, "cipher_suite"), "kdf_id").display, "HKDF-SHA256 (0x0001)");
      assert.equal(child(child(data, "cipher_suite"), "aead_id").display, "AES-128-GCM (0x0001)");
      assert.equal(child(data, "config_id").value, body[5]);
      const enc = child(data, "enc");
      assert.equal(enc.end - enc.start, 2 + 32, "a 32-byte X25519 encapsulated key");
      const payload = child(data, "payload");
      assert.equal(payload.end - payload.start, 2 + (body.length - 6 - 34 - 2));
      const v = echVerdict(c)!;
      if (keys) {
        assert.equal(v.verdict, "grease", v.why);
        assert.match(ext.display, /GREASE \(RFC 9849 §6\.2\): the server's Finished verifies over this outer ClientHello/);
      } else {
        assert.equal(v.verdict, "unknown");
        assert.match(ext.display, /a real offer or GREASE \(RFC 9849 §6\.2\)/);
      }
    });
  }
});

/** ECHConfig (RFC 9849 §4) with one HPKE suite. */
function echConfig(publicName: string, configId: number, maxName: number): Uint8Array {
  const pk = new Uint8Array(32).fill(0x42);
  const name = Buffer.from(publicName, "latin1");
  const contents = Buffer.concat([
    Buffer.from([configId, 0x00, 0x20, 0x00, 32]),
    pk,
    Buffer.from([0x00, 0x04, 0x00, 0x01, 0x00, 0x01, maxName, name.length]),
    name,
    Buffer.from([0x00, 0x00]),
  ]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(contents.length);
  return Buffer.concat([Buffer.from([0xfe, 0x0d]), len, contents]);
}

test("EncryptedExtensions retry_configs: the ECHConfigList decoded (public name, key config, maximum name length)", () => {
  const a = echConfig("public.example", 7, 64);
  const b = echConfig("other.example", 9, 32);
  const list = Buffer.concat([Buffer.from([0, a.length + b.length]), a, b]);
  const ee = E.encodeEncryptedExtensions([{ type: ExtensionType.encrypted_client_hello, data: list }]);
  const m = decodeHandshake(ee, { dir: "s2c", version: 0x0304, cipherSuite: 0x1301 }, true);
  assert.equal(m.error, undefined);
  const retry = find(m.tree, "retry_configs")!;
  const configs = retry.children!.filter((c) => c.name === "ECHConfig");
  assert.equal(configs.length, 2);
  assert.equal(configs[0].display, '"public.example", config 7, DHKEM(X25519, HKDF-SHA256), max name 64');
  const key = find(configs[0], "key_config")!;
  assert.equal(key.display, "config 7, DHKEM(X25519, HKDF-SHA256); HKDF-SHA256, AES-128-GCM");
  assert.match(find(configs[1], "public_name")!.display, /"other\.example"/);
  assert.match(find(m.tree, "encrypted_client_hello")!.display, /retry_configs: .*ECH not accepted/);
});

test("HelloRetryRequest confirmation and the inner marker; hostile lengths give located errors", () => {
  const hrr = E.encodeHelloRetryRequest({
    sessionId: new Uint8Array(0),
    cipherSuite: 0x1301,
    extensions: [E.supportedVersionsServerExt(0x0304), { type: ExtensionType.encrypted_client_hello, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) }],
  });
  const h = decodeHandshake(hrr, { dir: "s2c", version: null, cipherSuite: null }, true);
  assert.equal(h.name, "HelloRetryRequest");
  assert.equal(find(h.tree, "confirmation")!.display, "0102030405060708: the server accepted ECH (§7.2.1)");
  const inner = E.encodeClientHello({
    random: new Uint8Array(32),
    sessionId: new Uint8Array(0),
    cipherSuites: [0x1301],
    extensions: [E.supportedVersionsClientExt([0x0304]), { type: ExtensionType.encrypted_client_hello, data: Uint8Array.from([1]) }],
  });
  const ci = decodeHandshake(inner, { dir: "c2s", version: null, cipherSuite: null }, true);
  assert.equal(find(ci.tree, "type")!.display, "inner (0x01)");
  // An outer ECH whose enc length runs past the extension: an error located at the field, not a throw.
  const bad = E.encodeClientHello({
    random: new Uint8Array(32),
    sessionId: new Uint8Array(0),
    cipherSuites: [0x1301],
    extensions: [{ type: ExtensionType.encrypted_client_hello, data: Uint8Array.from([0, 0, 1, 0, 1, 5, 0xff, 0xff, 0]) }],
  });
  const b = decodeHandshake(bad, { dir: "c2s", version: null, cipherSuite: null }, true);
  assert.ok(b.error, "a decode error");
  assert.match(b.error!.message, /enc/);
});
