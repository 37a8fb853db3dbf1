/**
 * The field tree splits each hybrid key share into its ML-KEM and ECDH parts (draft-ietf-tls-ecdhe-mlkem §3.1) —
 * in captures of real Chromium 156: its 1216-byte X25519MLKEM768 ClientHello share (against OpenSSL, which answers
 * X25519, and against `tls-handshake serve`, which answers with the 1120-byte hybrid share). tshark 4.0.17 does not
 * split them; its bytes of each whole key_exchange are the oracle the two parts must add up to.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectFile } from "../../../src/inspect/inspect";
import type { FieldNode } from "../../../src/tls/field";
import { NamedGroup } from "../../../src/tls/registry";

const dir = path.resolve(__dirname, "../../fixtures/chromium");
const NAME = "chromium156-serve-x25519mlkem768";

function find(n: FieldNode, pred: (x: FieldNode) => boolean, out: FieldNode[] = []): FieldNode[] {
  if (pred(n)) out.push(n);
  for (const c of n.children ?? []) find(c, pred, out);
  return out;
}

const hexOf = (raw: Uint8Array, n: FieldNode) => Buffer.from(raw.subarray(n.start, n.end)).toString("hex");

test("Chromium ↔ serve: both X25519MLKEM768 shares split ML-KEM first, the bytes equal tshark's", () => {
  // tshark: handshake type, groups, key_exchange lengths, key_exchange bytes (one row per hello).
  const rows = fs
    .readFileSync(path.join(dir, `${NAME}.keyshares.tshark.tsv`), "utf8")
    .trim()
    .split("\n")
    .map((l) => l.split("\t"));
  const model = inspectFile(path.join(dir, `${NAME}.pcap`), { keylog: fs.readFileSync(path.join(dir, `${NAME}.keylog`), "utf8"), detail: "full" });
  assert.equal(model.connections.length, 1);
  const c = model.connections[0];
  for (const [type, groups, lengths, bytes] of rows) {
    const msg = c.messages.find((m) => m.name === (type === "1" ? "ClientHello" : "ServerHello"))!;
    const i = groups.split(",").indexOf(String(NamedGroup.X25519MLKEM768));
    assert.ok(i >= 0);
    const want = bytes.split(",")[i];
    assert.equal(Number(lengths.split(",")[i]), type === "1" ? 1216 : 1120);
    const entry = find(msg.tree!, (n) => n.name === "KeyShareEntry" && n.display === "X25519MLKEM768")[0];
    const kx = entry.children!.find((n) => n.name === "key_exchange")!;
    const parts = kx.children!.filter((n) => n.name !== "length");
    const kem = type === "1" ? "mlkem_encapsulation_key" : "mlkem_ciphertext";
    assert.deepEqual(
      parts.map((p) => [p.name, p.end - p.start]),
      [
        [kem, type === "1" ? 1184 : 1088],
        ["x25519_share", 32],
      ],
    );
    assert.equal(parts.map((p) => hexOf(msg.raw!, p)).join(""), want, "the two parts are tshark's key_exchange, in order");
    assert.match(kx.display, type === "1" ? /ML-KEM-768 encapsulation key \(1184\) ‖ x25519 \(32\)/ : /ML-KEM-768 ciphertext \(1088\) ‖ x25519 \(32\)/);
  }
  assert.ok(
    c.messages.filter((m) => m.name === "Finished").every((m) => m.verified === true),
    "decrypted with Chromium's key log",
  );
});

test("Chromium ↔ OpenSSL: the hybrid ClientHello share is split; OpenSSL's x25519 answer is left whole", () => {
  const model = inspectFile(path.join(dir, "chromium156-openssl-s_server.pcap"), { detail: "full" });
  for (const c of model.connections) {
    const ch = c.messages.find((m) => m.name === "ClientHello")!;
    const entry = find(ch.tree!, (n) => n.name === "KeyShareEntry" && n.display === "X25519MLKEM768")[0];
    const kx = entry.children!.find((n) => n.name === "key_exchange")!;
    assert.deepEqual(
      kx.children!.map((n) => n.name),
      ["length", "mlkem_encapsulation_key", "x25519_share"],
    );
    const sh = c.messages.find((m) => m.name === "ServerHello")!;
    const skx = find(sh.tree!, (n) => n.name === "key_exchange")[0];
    assert.deepEqual(
      skx.children!.map((n) => n.name),
      ["length", "data"],
    );
  }
});
