/** JsonByteWriter writes what JSON.stringify writes, for the strings and numbers a hostile capture can carry. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { JsonByteWriter } from "../../../src/inspect/jsonBytes";
import { xorshift32 } from "../xorshift";

function written(fill: (w: JsonByteWriter) => void, size = 64): string {
  const parts: Buffer[] = [];
  const w = new JsonByteWriter((b) => parts.push(Buffer.from(b)), size);
  fill(w);
  w.flush();
  return Buffer.concat(parts).toString("utf8");
}

test("strings: escapes, non-ASCII and lone surrogates as JSON.stringify gives them", () => {
  const samples = [
    "",
    "www.example.com",
    'a"b',
    "a\\b",
    "tab\there",
    "nl\n",
    "\u0000\u001f\u007f",
    "é",
    "日本語",
    "\ud83d\ude00",
    "\ud800",
    "x\udc00y",
    "</script>",
    "A".repeat(5000),
  ];
  const rand = xorshift32(0x15ab);
  for (let i = 0; i < 300; i++) {
    let s = "";
    const n = Math.floor(rand() * 40);
    for (let k = 0; k < n; k++) s += String.fromCharCode(rand() < 0.7 ? Math.floor(rand() * 128) : Math.floor(rand() * 0x10000));
    samples.push(s);
  }
  for (const s of samples)
    assert.equal(
      written((w) => w.string(s)),
      JSON.stringify(s),
      JSON.stringify(s),
    );
  assert.equal(
    written((w) => w.string(null)),
    "null",
  );
});

test("numbers, booleans and pieces across buffer boundaries", () => {
  const nums = [0, 1, 9, 10, 99, 100, 65535, 2 ** 31, 4294967295, 4294967296, 2 ** 53, -1, 1.5, Number.MAX_SAFE_INTEGER];
  for (const v of nums)
    assert.equal(
      written((w) => w.number(v)),
      JSON.stringify(v),
      String(v),
    );
  const text = written((w) => {
    for (let i = 0; i < 1000; i++) {
      w.ascii("[");
      w.number(i * 7919);
      w.ascii(",");
      w.boolean(i % 2 === 0);
      w.ascii(",");
      w.bytes(Buffer.from(`"${"x".repeat(i % 50)}"`));
      w.ascii(",");
      w.text('"\u00e9\u65e5"');
      w.ascii("]");
    }
  }, 16);
  const want = Array.from({ length: 1000 }, (_, i) => JSON.stringify([i * 7919, i % 2 === 0, "x".repeat(i % 50), "\u00e9\u65e5"])).join("");
  assert.equal(text, want);
});
