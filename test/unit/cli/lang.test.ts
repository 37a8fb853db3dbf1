/**
 * The language of the diagnoses in the text output: `--lang`, else the locale (LC_ALL, LC_MESSAGES, LANG). The
 * Korean text printed is the one the JSON document carries for the same diagnosis (messageKo, actionKo), and
 * everything but the diagnoses stays as it is.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { diagnosesText, textLang } from "../../../src/cli/lang";
import type { Diagnosis } from "../../../src/model";
import { cli, root } from "./run";

const capture = path.join(root, "test/fixtures/diagnoses/tls13-alert-unknown-ca.pcap");

test("the choice: --lang first, then LC_ALL, LC_MESSAGES, LANG; Korean only for a ko locale", () => {
  assert.equal(textLang("ko", { LANG: "en_US.UTF-8" }), "ko");
  assert.equal(textLang("en", { LANG: "ko_KR.UTF-8" }), "en");
  assert.equal(textLang(undefined, { LANG: "ko_KR.UTF-8" }), "ko");
  assert.equal(textLang(undefined, { LC_ALL: "C", LANG: "ko_KR.UTF-8" }), "en");
  assert.equal(textLang(undefined, { LC_MESSAGES: "ko", LANG: "en_US" }), "ko");
  assert.equal(textLang(undefined, { LANG: "kok_IN" }), "en"); // Konkani, not Korean
  assert.equal(textLang(undefined, {}), "en");
});

test("inspect --lang ko prints each diagnosis in the Korean the JSON carries; the rest of the text is unchanged", () => {
  const doc = JSON.parse(cli(["inspect", capture, "--json"]).stdout);
  const ds: Diagnosis[] = doc.connections.flatMap((c: { diagnoses: Diagnosis[] }) => c.diagnoses);
  assert.ok(ds.length > 0, "the fixture has diagnoses");
  const en = cli(["inspect", capture]);
  const ko = cli(["inspect", capture, "--lang", "ko"]);
  assert.equal(en.status, 0, en.stderr);
  assert.equal(ko.status, 0, ko.stderr);
  for (const d of ds) {
    assert.ok(en.stdout.includes(d.message), `English: ${d.code}`);
    assert.ok(ko.stdout.includes(d.messageKo), `Korean: ${d.code}`);
    assert.ok(!ko.stdout.includes(d.message), `no English sentence left: ${d.code}`);
    if (d.actionKo) assert.ok(ko.stdout.includes(d.actionKo), `Korean action: ${d.code}`);
  }
  const diagnosisLine = /^ {2}(error|warning|info|오류|경고|정보) |^ {6}(evidence|근거|→)/;
  const rest = (t: string) => t.split("\n").filter((l) => !diagnosisLine.test(l));
  assert.deepEqual(rest(ko.stdout), rest(en.stdout));
  // The locale chooses when --lang does not; --lang wins over it.
  assert.equal(cli(["inspect", capture], { LANG: "ko_KR.UTF-8" }).stdout, ko.stdout);
  assert.equal(cli(["inspect", capture, "--lang", "en"], { LANG: "ko_KR.UTF-8" }).stdout, en.stdout);
});

test("connect and serve report their diagnoses in the chosen language", () => {
  const doc = JSON.parse(cli(["inspect", capture, "--json"]).stdout);
  const ds: Diagnosis[] = doc.connections[0].diagnoses;
  const ko = diagnosesText(ds, "ko");
  for (const d of ds.filter((x) => x.severity !== "info")) {
    assert.ok(ko.includes(d.messageKo));
    assert.ok(diagnosesText(ds, "en").includes(d.message));
  }
});
