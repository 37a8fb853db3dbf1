/**
 * The summary path's JA4 (read from the bytes, cached) equals the decoder path's on every fixture ClientHello —
 * this project's fixtures, FoxIO's captures, and mutations of them the decoder still accepts — and never throws.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { decodeHandshake } from "../../../src/tls/handshake/decode";
import { ja4, ja4Input } from "../../../src/tls/fingerprint/ja4";
import { ja4FromBytes } from "../../../src/tls/fingerprint/ja4Scan";
import { inspectFile } from "../../../src/inspect/inspect";
import { allMessages } from "./handshake/messages";
import { xorshift32 } from "../xorshift";
import * as fs from "node:fs";

const ctx = { dir: "c2s" as const, version: null, cipherSuite: null };

function decoderJa4(raw: Uint8Array): { ja4: string; ja4_r: string } | null {
  const input = ja4Input(decodeHandshake(raw, ctx, false), "tcp");
  if (!input) return null;
  const r = ja4(input);
  return { ja4: r.ja4, ja4_r: r.ja4_r };
}

function clientHellos(): { where: string; raw: Uint8Array }[] {
  const out = allMessages()
    .filter((m) => m.raw[0] === 1)
    .map((m) => ({ where: m.where, raw: m.raw }));
  const foxio = path.resolve(__dirname, "../../fixtures/ja4/pcap");
  for (const f of fs.readdirSync(foxio)) {
    for (const c of inspectFile(path.join(foxio, f), { detail: "full" }).connections) {
      for (const m of c.messages) if (m.type === 1 && m.raw) out.push({ where: `${f} ${c.id}`, raw: m.raw });
    }
  }
  return out;
}

test("ja4FromBytes equals the decoder's JA4 on every fixture ClientHello (and again from its cache)", () => {
  const hellos = clientHellos();
  assert.ok(hellos.length > 150, `${hellos.length} ClientHellos`);
  for (const h of hellos) {
    const want = decoderJa4(h.raw);
    assert.ok(want, `${h.where}: decodes`);
    const first = ja4FromBytes(h.raw, "tcp");
    assert.deepEqual(first && { ja4: first.ja4, ja4_r: first.ja4_r }, want, h.where);
    const again = ja4FromBytes(h.raw, "tcp");
    assert.deepEqual(again && { ja4: again.ja4, ja4_r: again.ja4_r }, want, `${h.where} (cached)`);
  }
});

test("mutated ClientHellos: equal wherever the decoder accepts the message; never a throw", () => {
  const next = xorshift32(13);
  const below = (n: number) => Math.floor(next() * n);
  const hellos = clientHellos().filter((_, i) => i % 7 === 0);
  let compared = 0;
  for (const h of hellos) {
    for (let k = 0; k < 300; k++) {
      const raw = h.raw.slice();
      const flips = 1 + below(3);
      for (let j = 0; j < flips; j++) raw[4 + below(raw.length - 4)] = below(256);
      const fast = ja4FromBytes(raw, "tcp");
      const want = decoderJa4(raw);
      if (want === null) continue;
      compared++;
      assert.deepEqual(fast && { ja4: fast.ja4, ja4_r: fast.ja4_r }, want, `${h.where} mutation ${k}`);
    }
    // Cut short anywhere: a null or a value, never an exception.
    for (let len = 0; len < h.raw.length; len += 7) ja4FromBytes(h.raw.subarray(0, len), "tcp");
  }
  assert.ok(compared > 1000, `only ${compared} accepted mutations compared`);
});
