// The webview's timeline rows (webview-ui/src/timelineRows.ts, pure functions) over real captures: every record of
// a connection appears on the timeline — as the message(s) it carries, an alert, a ChangeCipherSpec, or in a run of
// application data — with and without keys. A TLS 1.2 capture read without its key log still shows both
// Finished records, as encrypted handshake messages.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectFile } from "../../../src/inspect/inspect";
import { connectionView } from "../../../src/inspect/viewModel";
import { buildRows } from "../../../webview-ui/src/timelineRows";
import { sharedPath } from "../../support/require";

const FIXTURES = sharedPath("fixtures");
const REPO = path.resolve(__dirname, "../../..");

function captures(): { file: string; keylog?: string }[] {
  const out: { file: string; keylog?: string }[] = [];
  const add = (dir: string) => {
    for (const f of fs.readdirSync(dir).filter((n) => /\.pcap(ng)?$/.test(n))) {
      const k = path.join(dir, f.replace(/(-dsb)?\.pcap(ng)?$/, ".keylog"));
      out.push({ file: path.join(dir, f), keylog: fs.existsSync(k) ? fs.readFileSync(k, "utf8") : undefined });
    }
  };
  add(path.join(REPO, "samples"));
  add(path.join(REPO, "test/fixtures/hostile"));
  add(FIXTURES);
  return out;
}

test("every record is on the timeline, with and without keys", () => {
  let checked = 0;
  for (const { file, keylog } of captures()) {
    for (const key of [keylog, undefined]) {
      const model = inspectFile(file, { keylog: key, detail: "full" });
      for (const c of model.connections) {
        const view = connectionView(c);
        const rows = buildRows(view);
        const shown = new Set<number>();
        let collapsed = 0;
        for (const r of rows) {
          if (r.kind === "appdata") collapsed += r.count ?? 1;
          else if (r.recordIndex !== undefined) shown.add(r.recordIndex);
        }
        assert.equal(shown.size + collapsed, view.records.length, `${path.basename(file)} ${key ? "with" : "without"} keys, connection ${c.id}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 20, `${checked} connections checked`);
});

test("TLS 1.2 without keys: both Finished records show as encrypted handshake messages", () => {
  const model = inspectFile(path.join(REPO, "samples", "tls12-ecdhe-rsa-aes128gcm.pcap"), { detail: "full" });
  const rows = buildRows(connectionView(model.connections[0]));
  const enc = rows.filter((r) => r.name === "encrypted handshake message");
  assert.deepEqual(
    enc.map((r) => r.dir),
    ["c2s", "s2c"],
  );
  // Each follows its sender's ChangeCipherSpec (RFC 5246 §7.4.9).
  for (const e of enc) {
    const ccs = rows.filter((r) => r.kind === "ccs" && r.dir === e.dir);
    assert.ok(ccs.length === 1 && ccs[0].pos < e.pos, `${e.dir}: CCS before the encrypted Finished`);
  }
});
