/**
 * NSS key log parsing: every fixture key log parses without errors (and agrees with the oracle's client randoms),
 * broken lines are reported with their line numbers, and formatKeyLog writes what parseKeyLog reads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { formatKeyLog, keyLogLine, parseKeyLog } from "../../../src/engine/keylog";
import { sharedPath } from "../../support/require";

const fixtures = sharedPath("fixtures");
const CR = "a".repeat(64);

test("every fixture key log parses cleanly; each oracle connection with a ClientHello has its secrets", () => {
  const logs = fs.readdirSync(fixtures).filter((f) => f.endsWith(".keylog"));
  assert.ok(logs.length >= 10);
  let lines = 0;
  for (const f of logs) {
    const text = fs.readFileSync(path.join(fixtures, f), "utf8");
    const kl = parseKeyLog(text);
    assert.deepEqual(kl.errors, [], f);
    let n = 0;
    for (const m of kl.entries.values()) n += m.size;
    const dataLines = text.split("\n").filter((l) => l.trim() && !l.startsWith("#")).length;
    assert.equal(n, dataLines, `${f}: one entry per line`);
    lines += n;
    const oracle = path.join(fixtures, f.replace(/\.keylog$/, ".tshark.json"));
    if (!fs.existsSync(oracle)) continue;
    const streams = (
      JSON.parse(fs.readFileSync(oracle, "utf8")) as { streams: { version: number; messages: { name: string; fields: { random?: string } }[] }[] }
    ).streams;
    for (const s of streams) {
      const ch = s.messages.find((m) => m.name === "ClientHello");
      if (!ch?.fields.random) continue;
      const labels = kl.entries.get(ch.fields.random);
      assert.ok(labels, `${f}: secrets for client random ${ch.fields.random}`);
      if (s.version === 0x0304) assert.ok(labels.has("SERVER_HANDSHAKE_TRAFFIC_SECRET"), f);
      else if (s.version === 0x0303) assert.ok(labels.has("CLIENT_RANDOM"), f);
    }
  }
  assert.ok(lines > 50);
});

test("broken lines are reported with line numbers, good lines around them kept", () => {
  const text = [
    "# comment",
    "",
    `CLIENT_RANDOM ${CR} ${"11".repeat(48)}`,
    `CLIENT_RANDOM ${CR.slice(2)} ${"11".repeat(48)}`, // 4: short random
    `CLIENT_RANDOM ${CR} ${"1".repeat(95)}`, // 5: odd hex
    `CLIENT_RANDOM ${CR} ${"zz".repeat(48)}`, // 6: not hex
    `CLIENT_RANDOM ${CR} ${"11".repeat(32)}`, // 7: wrong length for TLS 1.2
    `SERVER_HANDSHAKE_TRAFFIC_SECRET ${"b".repeat(64)} ${"22".repeat(32)}`,
    `SERVER_HANDSHAKE_TRAFFIC_SECRET ${"b".repeat(64)} ${"22".repeat(20)}`, // 9: wrong length
    `BOGUS_LABEL ${CR} ${"11".repeat(48)}`, // 10
    `CLIENT_TRAFFIC_SECRET_3 ${"b".repeat(64)}`, // 11: two fields
    `\tCLIENT_TRAFFIC_SECRET_12   ${"B".repeat(64)}\t${"33".repeat(48)}\r`, // tabs, spaces, CRLF, upper case
    `RSA 0102030405060708 ${"44".repeat(48)}`,
    `RSA 01020304 ${"44".repeat(48)}`, // 14: short prefix
    "garbage",
  ].join("\n");
  const kl = parseKeyLog(text);
  assert.deepEqual(
    kl.errors.map((e) => e.line),
    [4, 5, 6, 7, 9, 10, 11, 14, 15],
  );
  for (const e of kl.errors) assert.ok(e.message.length > 5);
  assert.equal(kl.entries.get(CR)?.get("CLIENT_RANDOM")?.length, 48);
  const b = kl.entries.get("b".repeat(64))!;
  assert.equal(b.get("SERVER_HANDSHAKE_TRAFFIC_SECRET")?.length, 32);
  assert.equal(b.get("CLIENT_TRAFFIC_SECRET_12")?.length, 48);
  assert.equal(kl.entries.get("0102030405060708")?.get("RSA")?.length, 48);
});

test("hostile input: no throw, bounded errors", () => {
  assert.deepEqual(parseKeyLog("").errors, []);
  assert.deepEqual(parseKeyLog("\n\n\r\n#x").errors, []);
  const junk = "x y z\n".repeat(5000);
  const kl = parseKeyLog(junk);
  assert.ok(kl.errors.length <= 1000);
  assert.equal(kl.entries.size, 0);
  parseKeyLog("CLIENT_RANDOM " + "a".repeat(1e6));
});

test("formatKeyLog / keyLogLine write what parseKeyLog reads", () => {
  const entries = new Map([
    [
      CR,
      new Map([
        ["SERVER_TRAFFIC_SECRET_0", new Uint8Array(32).fill(4)],
        ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", new Uint8Array(32).fill(1)],
        ["CLIENT_TRAFFIC_SECRET_0", new Uint8Array(32).fill(3)],
        ["EXPORTER_SECRET", new Uint8Array(32).fill(5)],
        ["SERVER_HANDSHAKE_TRAFFIC_SECRET", new Uint8Array(32).fill(2)],
      ]),
    ],
  ]);
  const text = formatKeyLog(entries, "written by a test");
  assert.ok(text.startsWith("# written by a test\n"));
  const labels = text
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(" ")[0]);
  assert.deepEqual(labels, [
    "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
    "SERVER_HANDSHAKE_TRAFFIC_SECRET",
    "EXPORTER_SECRET",
    "CLIENT_TRAFFIC_SECRET_0",
    "SERVER_TRAFFIC_SECRET_0",
  ]);
  const back = parseKeyLog(text);
  assert.deepEqual(back.errors, []);
  assert.deepEqual([...back.entries.get(CR)!.entries()].sort(), [...entries.get(CR)!.entries()].sort());
  const line = keyLogLine("CLIENT_RANDOM", new Uint8Array(32).fill(0xab), new Uint8Array(48).fill(1));
  assert.equal(parseKeyLog(line).entries.get("ab".repeat(32))?.get("CLIENT_RANDOM")?.length, 48);
});
