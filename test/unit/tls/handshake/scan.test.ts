/**
 * The summary scanner's contract (src/tls/handshake/scan.ts): whenever it answers, the full decoder decodes the same
 * message without an error and reports the same name, length and summary values; on the messages real peers send
 * it answers (else the summary would silently fall back to the slow path). Checked on every fixture message, on
 * seeded mutations of them, and end to end: every fixture's summary equals the summary cut from the full decode.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { decodeHandshake } from "../../../../src/tls/handshake/decode";
import { scanHandshake } from "../../../../src/tls/handshake/scan";
import { extensionDecoders } from "../../../../src/tls/extensions";
import type { HandshakeContext } from "../../../../src/tls/handshake/types";
import type { FieldNode } from "../../../../src/tls/field";
import { toHex } from "../../../../src/tls/reader";
import { inspectFile } from "../../../../src/inspect/inspect";
import { connectionText } from "../../../../src/inspect/json";
import { allMessages, representativeMessages, type FixtureMessage } from "./messages";
import { xorshift32 } from "../../xorshift";

/** Returns whether the scanner answered; when it did, asserts the decoder agrees. */
function agrees(raw: Uint8Array, ctx: HandshakeContext, where: string): boolean {
  const s = scanHandshake(raw, ctx.version, ctx.cipherSuite);
  if (!s) return false;
  const got = {
    type: s.type,
    name: s.name,
    length: s.length,
    legacyVersion: s.legacyVersion,
    random: s.randomAt >= 0 ? toHex(raw.subarray(s.randomAt, s.randomAt + 32)) : null,
    cipherSuite: s.cipherSuite,
    selectedVersion: s.selectedVersion,
    sni: s.sni,
    alpn: s.alpn,
  };
  const d = decodeHandshake(raw, ctx, false);
  assert.equal(d.error?.message, undefined, `${where}: the scanner accepted a message the decoder rejects`);
  const det = d.details;
  const want = {
    type: d.type,
    name: d.name,
    length: d.length,
    legacyVersion: (d.fields.legacyVersion as number | undefined) ?? null,
    random: det.random ? toHex(det.random) : null,
    cipherSuite: det.cipherSuite ?? null,
    selectedVersion: det.selectedVersion ?? null,
    sni: det.sni ?? null,
    alpn: det.alpn?.[0] ?? null,
  };
  assert.deepEqual(got, want, where);
  return true;
}

/**
 * Whether the scanner answers for an extension type: one without a decoder is opaque bytes to both readers; one
 * with a decoder is mirrored exactly when its spec has a `scan` (the rest send the message to the full decoder).
 */
const mirroredType = (t: number) => extensionDecoders.get(t)?.scan !== undefined || !extensionDecoders.has(t);

test("on every fixture message the scanner agrees with the decoder, and answers for every mirrored form", () => {
  const byType = new Map<number, number>();
  for (const m of allMessages()) {
    const answered = agrees(m.raw, m.ctx, m.where);
    if (answered) byType.set(m.raw[0], (byType.get(m.raw[0]) ?? 0) + 1);
    const d = decodeHandshake(m.raw, m.ctx, false);
    const types = (d.details.extensions ?? []).map((e) => e.type);
    const mirrored = types.every(mirroredType);
    // An unknown suite makes the ServerKeyExchange decoder sniff its form; the scanner leaves that to it.
    const sniffed = m.raw[0] === 12 && m.ctx.cipherSuite === null;
    const scannedTypes = [1, 2, 4, 8, 11, 12, 13, 14, 15, 16, 20];
    if (!d.error && mirrored && !sniffed && scannedTypes.includes(m.raw[0]))
      assert.ok(answered, `${m.where}: a well-formed message the scanner should answer for`);
  }
  for (const t of [1, 2, 4, 8, 11, 12, 13, 14, 15, 16, 20]) assert.ok((byType.get(t) ?? 0) > 0, `type ${t} scanned at least once`);
});

test("seeded mutations: whenever the scanner answers, the decoder agrees", () => {
  const rand = xorshift32(0x5ca17);
  let answered = 0;
  let total = 0;
  for (const m of representativeMessages()) {
    for (let k = 0; k < 400; k++) {
      const raw = m.raw.slice();
      const body = raw.length - 4;
      if (body <= 0) break;
      const op = Math.floor(rand() * 4);
      const at = 4 + Math.floor(rand() * body);
      if (op === 0) raw[at] ^= 1 << Math.floor(rand() * 8);
      else if (op === 1) raw[at] = rand() < 0.5 ? 0 : 0xff;
      else if (op === 2) raw[at] = (raw[at] + (rand() < 0.5 ? 1 : 255)) & 0xff;
      let cut = raw;
      if (op === 3) {
        // Drop the tail and fix the header, so only the body's own lengths can tell.
        cut = raw.slice(0, at);
        const len = cut.length - 4;
        cut[1] = len >> 16;
        cut[2] = (len >> 8) & 0xff;
        cut[3] = len & 0xff;
      }
      total++;
      if (agrees(cut, m.ctx, `${m.where} mutation ${k} (op ${op} at ${at})`)) answered++;
    }
  }
  // Most mutations of values (not lengths) keep the message well formed: the scanner still answers for those.
  assert.ok(answered > total / 10, `answered ${answered} of ${total}`);
});

interface Vec {
  lenStart: number;
  width: number;
  bodyStart: number;
  bodyEnd: number;
}

/** Every length-prefixed vector in a message body, from its field tree (a vector's first child is its `length`). */
function vectors(node: FieldNode, out: Vec[] = []): Vec[] {
  const first = node.children?.[0];
  if (first && first.name === "length" && first.end - first.start >= 1 && first.end - first.start <= 3) {
    out.push({ lenStart: first.start, width: first.end - first.start, bodyStart: first.end, bodyEnd: node.end });
  }
  for (const c of node.children ?? []) vectors(c, out);
  return out;
}

/**
 * Insert (`delta` > 0, bytes from `fill`) or delete (`delta` < 0) bytes at `pos` inside vector `v`, and rewrite
 * the lengths of every vector around the change (and the message header), so the message stays framed and only
 * the inner rules — minimums, maxima, item sizes, the counts inside — can tell it apart. Null when a length
 * would not fit its field.
 */
function reframe(raw: Uint8Array, vs: Vec[], v: Vec, pos: number, delta: number, fill: () => number): Uint8Array | null {
  let out: Uint8Array;
  if (delta < 0) {
    if (pos - delta > v.bodyEnd) return null;
    out = new Uint8Array(raw.length + delta);
    out.set(raw.subarray(0, pos));
    out.set(raw.subarray(pos - delta), pos);
  } else {
    out = new Uint8Array(raw.length + delta);
    out.set(raw.subarray(0, pos));
    for (let i = 0; i < delta; i++) out[pos + i] = fill();
    out.set(raw.subarray(pos), pos + delta);
  }
  // The lengths to rewrite: `v`'s, those of the vectors around it, and those of vectors inside it that hold `pos`
  // strictly (not one that merely ends there). They all sit before `pos`, so their offsets are unchanged.
  const last = pos - Math.min(delta, 0);
  const fields = vs.filter((w) => w === v || (w.bodyStart <= v.lenStart && v.bodyEnd <= w.bodyEnd) || (w.bodyStart < pos && last < w.bodyEnd));
  for (const w of fields) {
    const len = w.bodyEnd - w.bodyStart + delta;
    if (len < 0 || len >= 2 ** (8 * w.width)) return null;
    for (let i = 0; i < w.width; i++) out[w.lenStart + i] = (len >> (8 * (w.width - 1 - i))) & 0xff;
  }
  return out;
}

/** Extensions no fixture carries, appended to the hellos so the scanner's rules for them are exercised too. */
const EXTRA_EXTENSIONS: Record<number, number[][]> = {
  1: [
    [0x00, 0x05, 0x00, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00], // status_request: OCSP, no responder ids, no extensions
    [0x00, 0x10, 0x00, 0x0e, 0x00, 0x0c, 0x02, 0x68, 0x32, 0x08, 0x68, 0x74, 0x74, 0x70, 0x2f, 0x31, 0x2e, 0x31], // ALPN h2, http/1.1
    [0x00, 0x1b, 0x00, 0x03, 0x02, 0x00, 0x02], // compress_certificate: brotli
    [0x00, 0x1c, 0x00, 0x02, 0x40, 0x01], // record_size_limit 16385
    [0x00, 0x15, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00], // padding
    [0x00, 0x12, 0x00, 0x00], // signed_certificate_timestamp (the client's empty request)
    // pre_shared_key: one 5-byte identity with its obfuscated age, one 32-byte binder
    [0x00, 0x29, 0x00, 0x30, 0x00, 0x0b, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0, 9, 0x00, 0x21, 0x20, ...new Array<number>(32).fill(7)],
  ],
  2: [
    [0x00, 0x10, 0x00, 0x05, 0x00, 0x03, 0x02, 0x68, 0x32], // ALPN h2
    [0x00, 0x29, 0x00, 0x02, 0x00, 0x00], // pre_shared_key: selected_identity 0
  ],
};

/** The message with `ext` appended to its extensions (lengths rewritten), or null if it has none. */
function withExtension(m: FixtureMessage, ext: number[]): FixtureMessage | null {
  const tree = decodeHandshake(m.raw, m.ctx, true).tree!;
  const block = tree.children?.find((c) => c.name === "extensions");
  if (!block) return null;
  const vs = [{ lenStart: 1, width: 3, bodyStart: 4, bodyEnd: m.raw.length }, ...vectors(tree)];
  const at = vs.find((v) => v.lenStart === block.start)!;
  let i = 0;
  const raw = reframe(m.raw, vs, at, at.bodyEnd, ext.length, () => ext[i++]);
  return raw && { where: `${m.where} + extension ${(ext[0] << 8) | ext[1]}`, raw, ctx: m.ctx };
}

/** Fixture messages, and the hellos among the representative ones with each extra extension appended. */
function messagesToMutate(): FixtureMessage[] {
  const out = [...allMessages()];
  for (const m of representativeMessages())
    for (const ext of EXTRA_EXTENSIONS[m.raw[0]] ?? []) {
      const x = withExtension(m, ext);
      if (x) {
        assert.ok(agrees(x.raw, x.ctx, x.where), `${x.where}: the scanner answers for the well-formed extension`);
        out.push(x);
      }
    }
  return out;
}

test("reframed mutations (lengths kept consistent): whenever the scanner answers, the decoder agrees", () => {
  const rand = xorshift32(0xf4a3e);
  const zero = () => 0;
  const any = () => (rand() < 0.5 ? 0 : Math.floor(rand() * 256));
  let answered = 0;
  let total = 0;
  const check = (m: FixtureMessage, raw: Uint8Array | null, what: string) => {
    if (!raw) return;
    total++;
    if (agrees(raw, m.ctx, `${m.where} ${what}`)) answered++;
  };
  const representative = new Set(representativeMessages());
  for (const m of messagesToMutate()) {
    // The message body behind its uint24 length is the outermost vector.
    const vs = [{ lenStart: 1, width: 3, bodyStart: 4, bodyEnd: m.raw.length }, ...vectors(decodeHandshake(m.raw, m.ctx, true).tree!)];
    vs.forEach((v, i) => {
      const len = v.bodyEnd - v.bodyStart;
      // Every vector emptied, shortened and lengthened at both ends, and grown past a one-byte length's range.
      check(m, reframe(m.raw, vs, v, v.bodyStart, -len, zero), `vector ${i} emptied`);
      check(m, reframe(m.raw, vs, v, v.bodyStart, -1, zero), `vector ${i} first byte dropped`);
      check(m, reframe(m.raw, vs, v, v.bodyEnd - 1, -1, zero), `vector ${i} last byte dropped`);
      check(m, reframe(m.raw, vs, v, v.bodyStart, 1, zero), `vector ${i} zero byte in front`);
      check(m, reframe(m.raw, vs, v, v.bodyEnd, 1, any), `vector ${i} one byte more`);
      check(m, reframe(m.raw, vs, v, v.bodyEnd, 2, zero), `vector ${i} two zero bytes more`);
      if (v.width === 1) check(m, reframe(m.raw, vs, v, v.bodyEnd, 255 - len, zero), `vector ${i} grown to 255 bytes`);
    });
    for (let k = 0; k < 200 && representative.has(m); k++) {
      const v = vs[Math.floor(rand() * vs.length)];
      const pos = v.bodyStart + Math.floor(rand() * (v.bodyEnd - v.bodyStart + 1));
      const n = rand() < 0.5 ? 1 + Math.floor(rand() * 3) : 1 + Math.floor(rand() * 40);
      check(m, reframe(m.raw, vs, v, pos, rand() < 0.5 ? -n : n, any), `random reframe ${k}`);
    }
  }
  assert.ok(total > 5000 && answered > total / 10, `answered ${answered} of ${total}`);
});

test("every fixture's summary equals the summary of its full decode", () => {
  const fixtures = path.resolve(__dirname, "../../../../../shared/fixtures");
  for (const f of fs.readdirSync(fixtures).filter((n) => /\.(pcap(ng)?|txt|tlstrace)$/.test(n))) {
    const file = path.join(fixtures, f);
    let fast, full;
    try {
      fast = inspectFile(file, { detail: "summary" });
      full = inspectFile(file, { detail: "fields" });
    } catch {
      continue; // not an input (the oracle's side files)
    }
    assert.equal(fast.connections.length, full.connections.length, f);
    fast.connections.forEach((c, i) => assert.equal(connectionText(c, true), connectionText(full.connections[i], true), `${f} connection ${c.id}`));
  }
});
