// viewModel: the protocol views built from a real capture (checked against tshark's oracle and the model's own
// bytes) and from a seeded simulation (steps tied to the connection's messages by their bytes).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectFile } from "../../../src/inspect/inspect";
import { simulate } from "../../../src/engine/simulate";
import { captureDocument, connectionView, engineDocument, summaryView, toHex } from "../../../src/inspect/viewModel";
import { cipherSuites, versionName } from "../../../src/tls/registry";
import { isHostToWebview } from "../../../src/protocol/messages";
import { sharedPath } from "../../support/require";

const FIXTURES = sharedPath("fixtures");
const NAME = "tls13-x25519-aes128gcm";

interface Oracle {
  packets: number;
  streams: {
    client: { ip: string; port: number };
    server: { ip: string; port: number };
    version: number;
    cipherSuite: number;
    sni: string | null;
    decrypted: boolean;
    messages: { dir: string; name: string; type: number }[];
  }[];
}

test("capture document and connection view agree with the tshark oracle and the model", () => {
  const oracle = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${NAME}.tshark.json`), "utf8")) as Oracle;
  const keylog = fs.readFileSync(path.join(FIXTURES, `${NAME}.keylog`), "utf8");
  const model = inspectFile(path.join(FIXTURES, `${NAME}.pcap`), { keylog, detail: "full" });
  const doc = captureDocument(model);
  assert.equal(doc.kind, "capture");
  assert.equal(doc.title, `${NAME}.pcap`);
  assert.equal(doc.packets, oracle.packets);
  assert.equal(doc.canAttachKeyLog, true);
  assert.equal(doc.connections.length, oracle.streams.length);
  const s = oracle.streams[0];
  const sum = doc.connections[0];
  assert.deepEqual(sum.client, s.client);
  assert.deepEqual(sum.server, s.server);
  assert.equal(sum.version, versionName(s.version));
  assert.equal(sum.suite, cipherSuites.name(s.cipherSuite));
  assert.equal(sum.sni, s.sni);
  assert.equal(sum.decrypted, s.decrypted);
  assert.equal(sum.status, "complete");

  const conn = model.connections[0];
  const view = connectionView(conn);
  assert.deepEqual(
    view.messageList.map((m) => [m.dir, m.name]),
    s.messages.map((m) => [m.dir, m.name]),
  );
  view.messageList.forEach((m, i) => {
    assert.equal(m.index, i);
    assert.equal(m.hex, toHex(conn.messages[i].raw));
    assert.equal(m.hex.length, 2 * (conn.messages[i].length + 4));
    assert.ok(m.tree, "full detail keeps the field tree");
  });
  assert.equal(view.messageList.find((m) => m.name === "ClientHello")?.note, "client-hello");
  assert.equal(view.messageList.find((m) => m.name === "Finished")?.note, "finished");
  assert.equal(view.records.length, conn.records.length);
  assert.ok(view.records.every((r, i) => r.index === i && r.typeName.length > 0));
  // The views travel through postMessage: the guards of the protocol accept them.
  assert.ok(isHostToWebview({ type: "init", document: doc, lang: "en", selection: { connection: 0 }, mode: "editor", trusted: true }));
  assert.ok(isHostToWebview({ type: "connection", connection: view }));
  assert.doesNotThrow(() => structuredClone(view));
});

for (const version of ["1.2", "1.3"] as const) {
  test(`simulation (TLS ${version}): steps point at the messages carrying their bytes`, () => {
    const r = simulate({ version, seed: "view-model-test" });
    assert.ok(r.ok, r.error);
    const doc = engineDocument("simulation", "sim", r.connection);
    assert.equal(doc.connections.length, 1);
    assert.equal(doc.connections[0].status, "complete");
    const view = connectionView(r.connection, r.steps);
    assert.ok(view.steps && view.steps.length === r.steps.length);
    let handshakeSteps = 0;
    view.steps!.forEach((sv, i) => {
      const s = r.steps[i];
      assert.equal(sv.index, i);
      assert.equal(sv.kind, s.kind);
      if (s.kind === "message" && s.contentType === 22) {
        handshakeSteps++;
        assert.ok(sv.message !== undefined, `step ${i} ${s.title} has a message`);
        assert.equal(view.messageList[sv.message!].hex, toHex(s.raw));
        assert.equal(view.messageList[sv.message!].dir, s.dir);
      } else if (s.kind === "message") {
        assert.equal(sv.message, undefined);
      }
      if (s.kind === "secret") assert.equal(sv.value, s.value);
    });
    assert.ok(handshakeSteps >= 4);
    // Every message is referenced once, in order.
    const refs = view.steps!.filter((x) => x.message !== undefined).map((x) => x.message!);
    assert.deepEqual(
      refs,
      [...refs].sort((a, b) => a - b),
    );
    assert.equal(new Set(refs).size, refs.length);
  });
}

test("diagnoses reach the views: the evidence's message and field bytes, the table's marks, a validated message", () => {
  const c = inspectFile(path.resolve(__dirname, "../../../../shared/fixtures/tls12-alert-handshake-failure.pcap"), { detail: "full" }).connections[0];
  const v = connectionView(c);
  const d = v.diagnoses![0];
  assert.equal(d.code, "no-common-parameters");
  assert.equal(d.messageIndex, 0);
  // The cipher_suites field of the ClientHello's tree: the bytes the evidence names.
  const node = c.messages[0].tree!.children!.find((n) => n.name === "cipher_suites")!;
  assert.deepEqual([d.start, d.end], [node.start, node.end]);
  assert.equal(summaryView(c).diagnosisErrors, 1);
  assert.ok(isHostToWebview({ type: "connection", connection: v }));
  assert.ok(!isHostToWebview({ type: "connection", connection: { ...v, diagnoses: [{ ...d, severity: "fatal" }] } }));
});
