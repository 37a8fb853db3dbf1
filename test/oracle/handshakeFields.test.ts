/**
 * Every handshake message of every fixture (plaintext, and the encrypted ones tshark decrypted with the fixture's
 * key log) decoded and compared with tshark's oracle: name, length and fields, deep equal. The message bytes come
 * from ./extract (cached under test/fixtures/handshake-bytes/).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { decodeHandshake } from "../../src/tls/handshake/decode";
import type { HandshakeContext } from "../../src/tls/handshake/types";
import { fixtureNames, fixturesDir, handshakeBytes } from "../unit/tls/handshake/extract";
import { allMessages } from "../unit/tls/handshake/messages";

interface OracleMessage {
  dir: "c2s" | "s2c";
  type: number;
  name: string;
  length: number;
  frame: number;
  encrypted: boolean;
  fields: Record<string, unknown>;
}

for (const name of fixtureNames()) {
  test(`handshake fields match tshark: ${name}`, () => {
    const oracle = JSON.parse(fs.readFileSync(path.join(fixturesDir, name + ".tshark.json"), "utf8")) as {
      streams: { stream: number; messages: OracleMessage[] }[];
    };
    const bytes = handshakeBytes(name);
    let compared = 0;
    for (const s of oracle.streams) {
      const ours = bytes.filter((b) => b.stream === s.stream);
      assert.equal(ours.length, s.messages.length, `${name} stream ${s.stream}: message count`);
      const ctx: HandshakeContext = { dir: "c2s", version: null, cipherSuite: null };
      s.messages.forEach((want, i) => {
        const where = `${name} stream ${s.stream} message ${i} (${want.name}, frame ${want.frame})`;
        assert.equal(ours[i].frame, want.frame, `${where}: frame`);
        const raw = Buffer.from(ours[i].hex, "hex");
        const got = decodeHandshake(new Uint8Array(raw), { ...ctx, dir: want.dir }, true);
        assert.equal(got.error, undefined, `${where}: ${got.error?.field}: ${got.error?.message}`);
        assert.equal(got.type, want.type, `${where}: type`);
        assert.equal(got.name, want.name, `${where}: name`);
        assert.equal(got.length, want.length, `${where}: length`);
        assert.deepEqual(got.fields, want.fields, `${where}: fields`);
        if (want.type === 2 && got.name === "ServerHello") {
          ctx.version = got.details.selectedVersion ?? (got.fields.legacyVersion as number);
          ctx.cipherSuite = got.details.cipherSuite ?? null;
        }
        compared++;
      });
    }
    assert.ok(compared > 0 || oracle.streams.length === 0);
  });
}

test("fixture messages cover the handshake types the captures hold", () => {
  const types = new Set(allMessages().map((m) => m.raw[0]));
  for (const t of [1, 2, 4, 8, 11, 12, 13, 14, 15, 16, 20]) assert.ok(types.has(t), `type ${t} present`);
});
