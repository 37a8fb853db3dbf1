/**
 * Every capture in ../shared/fixtures decoded and compared with tshark's decode (its `*.tshark.json` oracle):
 * connections, messages, frames, fields, records and alerts. Where tshark is demonstrably wrong or shows less,
 * the comparison says why.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectFile } from "../../src/inspect/inspect";
import type { ConnectionModel } from "../../src/model";
import { sharedPath } from "../support/require";
import type { OracleStream } from "../support/tsharkOracle";

const fixtures = sharedPath("fixtures");

interface Oracle {
  capture: string;
  keylog: string | null;
  rsaKey: string | null;
  packets: number;
  streams: OracleStream[];
}

const oracles = fs
  .readdirSync(fixtures)
  .filter((f) => f.endsWith(".tshark.json"))
  .sort();

function compareConnection(ours: ConnectionModel, want: OracleStream, where: string): void {
  assert.equal(ours.id, want.stream, `${where}: id = tcp.stream`);
  assert.deepEqual(ours.client, want.client, `${where}: client`);
  assert.deepEqual(ours.server, want.server, `${where}: server`);
  assert.equal(ours.version, want.version, `${where}: version`);
  assert.equal(ours.cipherSuite, want.cipherSuite, `${where}: cipherSuite`);
  assert.equal(ours.sni, want.sni, `${where}: sni`);
  assert.equal(ours.alpn, want.alpn, `${where}: alpn`);
  assert.equal(ours.decrypted, want.decrypted, `${where}: decrypted`);

  const msgs = ours.messages.map((m) => ({ dir: m.dir, type: m.type, name: m.name, length: m.length, frame: m.frame, encrypted: m.encrypted }));
  const wantMsgs = want.messages.map((m) => ({ dir: m.dir, type: m.type, name: m.name, length: m.length, frame: m.frame, encrypted: m.encrypted }));
  assert.deepEqual(msgs, wantMsgs, `${where}: messages`);
  want.messages.forEach((wm, i) => {
    const got = ours.messages[i].fields ?? {};
    for (const [k, v] of Object.entries(wm.fields)) {
      assert.deepEqual(got[k], v, `${where}: message ${i} (${wm.name}) field ${k}`);
    }
    if (wm.type === 20 && ours.decrypted) assert.equal(got.verified, true, `${where}: message ${i} Finished verified`);
  });

  // tshark reports a decrypted TLS 1.3 record's real type only when it is not application_data (its
  // `tls.record.opaque_type` field is shown for handshake and alert content only); we always add innerType.
  const recs = ours.records.map((r) => {
    const o: Record<string, unknown> = { dir: r.dir, type: r.type, version: r.version, length: r.length, frame: r.frame, encrypted: r.encrypted };
    if (r.innerType !== undefined && r.innerType !== 23) o.innerType = r.innerType;
    return o;
  });
  assert.deepEqual(recs, want.records, `${where}: records`);
  assert.deepEqual(
    ours.alerts.map((a) => ({ dir: a.dir, level: a.level, description: a.description, frame: a.frame, encrypted: a.encrypted })),
    want.alerts,
    `${where}: alerts`,
  );
}

for (const name of oracles) {
  test(`oracle: ${name}`, () => {
    const oracle = JSON.parse(fs.readFileSync(path.join(fixtures, name), "utf8")) as Oracle;
    const keylog = oracle.keylog ? fs.readFileSync(path.join(fixtures, oracle.keylog), "utf8") : undefined;
    const rsaKeys = oracle.rsaKey ? [fs.readFileSync(path.join(fixtures, oracle.rsaKey), "utf8")] : undefined;
    const model = inspectFile(path.join(fixtures, oracle.capture), { keylog: oracle.rsaKey ? undefined : keylog, rsaKeys, detail: "fields" });
    assert.equal(model.input.packets, oracle.packets, "packets");
    assert.equal(model.connections.length, oracle.streams.length, "connections");
    oracle.streams.forEach((s, i) => compareConnection(model.connections[i], s, `${name} stream ${s.stream}`));
    assert.deepEqual(model.errors, [], "capture errors");
    for (const c of model.connections) assert.deepEqual(c.errors, [], `connection ${c.id} errors`);
  });
}
