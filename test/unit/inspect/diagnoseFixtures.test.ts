/**
 * Healthy captures produce no error-level diagnosis: every recorded fixture (the shared ones, the project's own,
 * the samples) read with its key log, in summary and in fields detail — which must agree. The failure fixtures
 * produce exactly the errors their scenario is about.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectFile } from "../../../src/inspect/inspect";

const root = path.resolve(__dirname, "../../..");
const shared = path.resolve(root, "../shared/fixtures");

/** Captures whose scenario is a failure, and the error codes it must produce (nothing else at error level). */
const FAILURES: Record<string, string[]> = {
  "tls-alert-protocol-version.pcap": ["protocol-version-mismatch"],
  "tls12-alert-handshake-failure.pcap": ["no-common-parameters"],
  // untrusted.test's self-signed certificate, asked for as server.test (see the shared README).
  "tls13-alert-unknown-ca.pcap": ["certificate-name-mismatch", "certificate-rejected"],
  // The public JA4 capture of the CurveBall (CVE-2020-0601) certificate the client refused.
  "badcurveball.pcap": ["certificate-rejected"],
};

function captures(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...captures(p));
    else if (/\.(pcap|pcapng)$/.test(e.name) || /\.tlstrace$/.test(e.name) || /openssl-msg\.txt$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

function keylogFor(f: string): string | undefined {
  const k = f.replace(/(-dsb)?\.(pcap|pcapng)$/, ".keylog");
  return k !== f && fs.existsSync(k) ? fs.readFileSync(k, "utf8") : undefined;
}

test("the shared fixtures are there", () => {
  assert.ok(fs.existsSync(shared), `missing ${shared}: these tests read ../shared/fixtures`);
});

for (const dir of [shared, path.join(root, "test/fixtures"), path.join(root, "samples")]) {
  test(`no error-level diagnosis in healthy captures, summary = fields: ${path.relative(root, dir)}`, () => {
    for (const f of captures(dir)) {
      if (f.includes("fuzz-regressions")) continue;
      const keylog = keylogFor(f);
      const fields = inspectFile(f, { keylog, detail: "fields" });
      const summary = inspectFile(f, { keylog, detail: "summary" });
      const name = path.basename(f);
      const errors = new Set<string>();
      fields.connections.forEach((c, i) => {
        assert.deepEqual(summary.connections[i].diagnoses, c.diagnoses, `${name} ${c.id}: summary and fields agree`);
        for (const d of c.diagnoses ?? []) {
          assert.match(d.code, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${name}: kebab-case code`);
          assert.ok(d.message && d.messageKo && d.rfc.startsWith("RFC "), `${name} ${d.code}: message, Korean, RFC`);
          if (d.severity === "error") errors.add(d.code);
          assert.ok(d.code !== "diagnosis-failed", `${name} ${c.id}: ${d.message}`);
        }
      });
      assert.deepEqual([...errors].sort(), (FAILURES[name] ?? []).slice().sort(), `${name}: error-level diagnoses`);
    }
  });
}
