/**
 * Every QUIC capture of test/fixtures/quic decoded and compared with tshark's decode of the same bytes with the
 * same key log (its `*.tshark.json` oracle, made by test/tools/quic-oracle.py): connections, every QUIC packet
 * (type, version, connection IDs, recovered packet number, length, whether it was decrypted), every frame with
 * its fields, every handshake message with its frame, space and fields (transport parameters included), and
 * every Finished recomputed. Counts of what was compared are printed at the end.
 */
import { test, after } from "node:test";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectFile } from "../../src/inspect/inspect";
import { compareCapture, counts, type Oracle } from "../unit/inspect/quic/oracleCompare";

const dir = path.resolve(__dirname, "../fixtures/quic");

after(() => console.log(`compared with tshark: ${JSON.stringify(counts)}`));

const oracles = fs.readdirSync(dir).filter((f) => f.endsWith(".tshark.json"));

for (const name of oracles.sort()) {
  test(`QUIC oracle: ${name}`, () => {
    const oracle = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as Oracle;
    const keylog = oracle.keylog ? fs.readFileSync(path.join(dir, oracle.keylog), "utf8") : undefined;
    const model = inspectFile(path.join(dir, oracle.capture), { keylog, detail: "fields" });
    compareCapture(model, oracle, name);
  });
}
