/**
 * Handshake messages (src/tls/handshake/decode.ts). Byte 0 picks the context — direction, negotiated version
 * (none, SSL 3.0, TLS 1.0, 1.2, 1.3, a draft) and cipher suite (none, TLS 1.3, ECDHE, DHE, RSA, PSK...) — the
 * rest is the message. Each input is decoded with and without annotation. Checked: no throw; both modes agree
 * on the fields and the error; the field tree stays inside the message; the fields serialise to JSON; and the
 * summary scanner (scan.ts), whenever it answers, agrees with the decoder: no error, the same name and values.
 */
import { decodeHandshake } from "../../src/tls/handshake/decode";
import { scanHandshake } from "../../src/tls/handshake/scan";
import { toHex } from "../../src/tls/reader";
import type { HandshakeContext } from "../../src/tls/handshake/types";
import { check, checkTree } from "../lib/support";
import { hex } from "../lib/target";

export const maxLength = 16 * 1024;

const VERSIONS = [null, 0x0300, 0x0301, 0x0303, 0x0304, 0x7f1c];
const SUITES = [null, 0x1301, 0xc02f, 0x009e, 0x002f, 0xcca9, 0x00ff, 0x008c];

export const dictionary = [
  hex("0303"),
  hex("0304"),
  hex("002b0003020304"),
  hex("0033"),
  hex("001d0020"),
  hex("0000"),
  hex("000a"),
  hex("000d"),
  hex("0010"),
  hex("0029"),
  hex("002d"),
  hex("fe0d"),
  hex("0017"),
  hex("0016"),
  hex("ff01"),
  hex("0005"),
  hex("001b"),
  hex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"), // HelloRetryRequest random
  hex("3082"),
  hex("0603550403"),
  hex("300d06092a864886f70d01010b0500"),
];

export function context(b: number): HandshakeContext {
  return { dir: b & 1 ? "s2c" : "c2s", version: VERSIONS[(b >> 1) % VERSIONS.length], cipherSuite: SUITES[(b >> 4) % SUITES.length] };
}

export function fuzz(data: Uint8Array): void {
  if (data.length === 0) return;
  const ctx = context(data[0]);
  const raw = data.subarray(1);
  const plain = decodeHandshake(raw, ctx, false);
  const tree = decodeHandshake(raw, ctx, true);
  const a = JSON.stringify(plain.fields);
  const b = JSON.stringify(tree.fields);
  check(a === b, `fields differ with annotation: ${a.slice(0, 200)} vs ${b.slice(0, 200)}`);
  check(plain.error?.message === tree.error?.message, `error differs with annotation: ${plain.error?.message} vs ${tree.error?.message}`);
  check(plain.name === tree.name && plain.type === tree.type, "name/type differ with annotation");
  check(tree.tree !== undefined, "annotated decode without a tree");
  checkTree(tree.tree!, 0, raw.length);
  const s = scanHandshake(raw, ctx.version, ctx.cipherSuite);
  if (s) {
    check(!plain.error, `the scanner accepts a message the decoder rejects: ${plain.error?.message}`);
    const d = plain.details;
    const got = [
      s.name,
      s.length,
      s.legacyVersion,
      s.randomAt >= 0 ? toHex(raw.subarray(s.randomAt, s.randomAt + 32)) : null,
      s.cipherSuite,
      s.selectedVersion,
      s.sni,
      s.alpn,
    ];
    const want = [
      plain.name,
      plain.length,
      (plain.fields.legacyVersion as number | undefined) ?? null,
      d.random ? toHex(d.random) : null,
      d.cipherSuite ?? null,
      d.selectedVersion ?? null,
      d.sni ?? null,
      d.alpn?.[0] ?? null,
    ];
    check(JSON.stringify(got) === JSON.stringify(want), `scanner and decoder disagree: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
  }
}
