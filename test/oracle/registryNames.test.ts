/**
 * Registry names against the tools that produced the fixtures: tshark's own value tables (`tshark -G values`, the
 * dissector the oracles come from) and OpenSSL's `-trace` transcripts in ../shared/fixtures. Skipped when tshark is
 * not installed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { cipherSuites, namedGroups, signatureSchemes, extensionTypes, handshakeTypes, type OpenEnum } from "../../src/tls/registry";

const FIXTURES = path.resolve(__dirname, "../../../shared/fixtures");

/** `tshark -G values` (≈90 MB of every dissector's tables) rows `V\tfield\tvalue\tname`, as field → value → name. */
function tsharkValues(): Map<string, Map<number, string>> | undefined {
  let out: string;
  try {
    out = execFileSync("tshark", ["-G", "values"], { timeout: 60_000, maxBuffer: 512 << 20, stdio: ["ignore", "pipe", "ignore"] }).toString();
  } catch {
    return undefined;
  }
  const fields = new Map<string, Map<number, string>>();
  for (const line of out.split("\n")) {
    const p = line.split("\t");
    if (p[0] !== "V" || !p[1].startsWith("tls.")) continue;
    const m = fields.get(p[1]) ?? new Map<number, string>();
    m.set(Number(p[2]), p[3]);
    fields.set(p[1], m);
  }
  return fields;
}

function compare(reg: OpenEnum, theirs: Map<number, string> | undefined, keep: (v: number) => boolean): number {
  assert.ok(theirs && theirs.size > 0, `tshark has no table for ${reg.title}`);
  let n = 0;
  for (const [v, name] of theirs) {
    if (!keep(v) || name.startsWith("Reserved")) continue;
    const ours = reg.get(v);
    if (!ours) continue; // tshark also names vendor/experimental code points IANA never assigned
    assert.equal(ours.name, name, `${reg.title} 0x${v.toString(16)}`);
    n++;
  }
  return n;
}

test("cipher suite, group and signature scheme names agree with tshark's tables", () => {
  const ts = tsharkValues();
  if (!ts) {
    assert.fail("tshark is not available (Debian package tshark; .ci/run installs it)");
  }
  assert.ok(compare(cipherSuites, ts.get("tls.handshake.ciphersuite"), () => true) > 300);
  // Wireshark 4.0 predates the ML-KEM assignments and names 0x0200-0x2fff after liboqs' experimental code points.
  assert.ok(compare(namedGroups, ts.get("tls.handshake.extensions_supported_group"), (v) => v < 0x200 || v > 0x2fff) >= 38);
  assert.ok(compare(signatureSchemes, ts.get("tls.handshake.sig_hash_alg"), () => true) >= 17);
});

test("signature scheme, group and suite names agree with OpenSSL's -trace transcripts", () => {
  const traces = fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".openssl-trace.txt"));
  assert.ok(traces.length > 0);
  let n = 0;
  for (const f of traces) {
    const text = fs.readFileSync(path.join(FIXTURES, f), "utf8");
    // Signature schemes print as `name (0xNNNN)` with a four-digit code point.
    for (const m of text.matchAll(/^\s+([a-z][a-z0-9_]+) \(0x([0-9a-f]{4})\)$/gm)) {
      const v = parseInt(m[2], 16);
      const reg = signatureSchemes.has(v) ? signatureSchemes : namedGroups.has(v) ? namedGroups : undefined;
      if (!reg) assert.fail(`${f}: ${m[1]} (0x${m[2]}) unknown to us`);
      if (reg === namedGroups) continue; // OpenSSL prints groups with its own short names (ecdh_x25519)
      assert.equal(reg.name(v), m[1], `${f}: 0x${m[2]}`);
      n++;
    }
    // Cipher suites print as `{0xHH, 0xLL} NAME`.
    for (const m of text.matchAll(/\{0x([0-9A-F]{2}), 0x([0-9A-F]{2})\} (TLS_\w+)/g)) {
      assert.equal(cipherSuites.name(parseInt(m[1] + m[2], 16)), m[3], f);
      n++;
    }
  }
  assert.ok(n > 20);
});

test("tables have distinct, non-empty names", () => {
  for (const reg of [cipherSuites, namedGroups, signatureSchemes, extensionTypes, handshakeTypes]) {
    const names = new Set<string>();
    for (const [v, e] of reg.entries()) {
      assert.ok(e.name.length > 0 && e.rfc && e.rfc.length > 0, `${reg.title} 0x${v.toString(16)}`);
      assert.ok(!names.has(e.name), `${reg.title}: duplicate ${e.name}`);
      names.add(e.name);
    }
  }
});
