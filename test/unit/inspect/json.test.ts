/** The streamed JSON text equals JSON.stringify of the spec objects, for every fixture, in both modes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectFile } from "../../../src/inspect/inspect";
import { connectionJson, connectionText, JsonDocumentWriter } from "../../../src/inspect/json";
import { JsonByteWriter } from "../../../src/inspect/jsonBytes";

const fixtures = path.resolve(__dirname, "../../../../shared/fixtures");

test("connectionText is JSON.stringify(connectionJson) for every fixture connection", () => {
  for (const f of fs.readdirSync(fixtures).filter((n) => /\.pcap(ng)?$/.test(n))) {
    const keylogPath = path.join(fixtures, f.replace(/(-dsb)?\.pcap(ng)?$/, ".keylog"));
    const keylog = fs.existsSync(keylogPath) ? fs.readFileSync(keylogPath, "utf8") : undefined;
    for (const summary of [false, true]) {
      const model = inspectFile(path.join(fixtures, f), { keylog, detail: summary ? "summary" : "fields" });
      for (const c of model.connections) assert.equal(connectionText(c, summary), JSON.stringify(connectionJson(c, summary)), `${f} ${c.id}`);
    }
  }
});

test('detail "json" (fields kept as text, what the CLI uses) writes the same text as detail "fields"', () => {
  for (const f of fs.readdirSync(fixtures).filter((n) => /\.pcap(ng)?$/.test(n))) {
    const keylogPath = path.join(fixtures, f.replace(/(-dsb)?\.pcap(ng)?$/, ".keylog"));
    const keylog = fs.existsSync(keylogPath) ? fs.readFileSync(keylogPath, "utf8") : undefined;
    const objects = inspectFile(path.join(fixtures, f), { keylog, detail: "fields" });
    const texts = inspectFile(path.join(fixtures, f), { keylog, detail: "json" });
    assert.equal(texts.connections.length, objects.connections.length, f);
    texts.connections.forEach((c, i) => {
      assert.ok(
        c.messages.every((m) => m.fields === undefined && typeof m.fieldsJson === "string"),
        `${f} ${c.id}: fields kept as text`,
      );
      assert.equal(connectionText(c, false), connectionText(objects.connections[i], false), `${f} ${c.id}`);
      assert.equal(connectionText(c, false), JSON.stringify(connectionJson(c, false)), `${f} ${c.id}`);
    });
  }
});

test("the streamed document parses to the spec's top-level keys", () => {
  let text = "";
  const w = new JsonDocumentWriter(new JsonByteWriter((b) => (text += Buffer.from(b).toString("utf8")), 256), false);
  const model = inspectFile(path.join(fixtures, "concurrent-20.pcap"), { detail: "fields" });
  for (const c of model.connections) w.connection(c);
  w.end(model.input, model.errors);
  const doc = JSON.parse(text);
  assert.deepEqual(Object.keys(doc).sort(), ["connections", "errors", "input", "schema"]);
  assert.equal(doc.connections.length, 20);
});
