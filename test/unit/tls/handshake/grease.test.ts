/**
 * GREASE (RFC 8701) named and explained wherever it is reserved. Real bytes: Chromium 156's two ClientHellos, whose
 * GREASE cipher suite, extensions, group, key share and version tshark 4.0.17 names "Reserved (GREASE)" — the
 * oracle for which values are GREASE; Chromium's GREASE signature scheme (which that tshark does not name) is
 * named too. ALPN and psk_key_exchange_modes GREASE (RFC 8701 §2), which Chromium does not send, are built here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectFile } from "../../../../src/inspect/inspect";
import { decodeHandshake } from "../../../../src/tls/handshake/decode";
import * as E from "../../../../src/tls/encode";
import type { FieldNode } from "../../../../src/tls/field";
import { annotateFieldNotes } from "../../../../src/tls/fieldNotes";
import { isGrease16 } from "../../../../src/tls/registry";

const dir = path.resolve(__dirname, "../../../fixtures/chromium");

function walk(n: FieldNode, f: (n: FieldNode) => void): void {
  f(n);
  for (const c of n.children ?? []) walk(c, f);
}

test("Chromium's GREASE values: the ones tshark names are named GREASE, each explained by the GREASE note", () => {
  const txt = fs.readFileSync(path.join(dir, "chromium156-openssl-s_server.clienthello.tshark.txt"), "utf8");
  const hellos = txt.split(/^Frame \d+:/m).slice(1);
  const model = inspectFile(path.join(dir, "chromium156-openssl-s_server.pcap"), { detail: "full" });
  assert.equal(hellos.length, 2);
  model.connections.forEach((c, i) => {
    const oracle = new Set([...hellos[i].matchAll(/Reserved \(GREASE\) \((0x[0-9a-f]{4}|\d+)\)/g)].map((m) => Number(m[1])));
    const tree = annotateFieldNotes(c.messages[0].tree!);
    const ours = new Map<number, string[]>();
    walk(tree, (n) => {
      if (typeof n.value === "number" && isGrease16(n.value) && /^GREASE/.test(n.display)) {
        ours.set(n.value, [...(ours.get(n.value) ?? []), n.name]);
        assert.equal(n.note, "grease", `${n.name} ${n.display}: the GREASE note`);
      }
    });
    for (const v of oracle) assert.ok(ours.has(v), `tshark's GREASE 0x${v.toString(16)} is named GREASE here`);
    const names = [...ours.values()].flat().sort();
    for (const kind of ["cipher_suite", "extension_type", "version", "named_group", "group", "signature_scheme"]) assert.ok(names.includes(kind), kind);
  });
});

test("GREASE ALPN identifiers and PSK key exchange modes (RFC 8701 §2)", () => {
  const ch = E.encodeClientHello({
    random: new Uint8Array(32),
    sessionId: new Uint8Array(0),
    cipherSuites: [0x1301],
    extensions: [E.alpnExt(["\x3a\x3a", "h2"]), E.pskKeyExchangeModesExt([0x2a, 1]), E.supportedVersionsClientExt([0x0304])],
  });
  const m = decodeHandshake(ch, { dir: "c2s", version: null, cipherSuite: null }, true);
  const shown: string[] = [];
  walk(m.tree!, (n) => {
    if (n.name === "protocol_name" || n.name === "ke_mode" || /mode/.test(n.name)) shown.push(`${n.name}=${n.display}`);
  });
  assert.ok(shown.includes("protocol_name=GREASE (0x3a3a)"), shown.join(" | "));
  assert.ok(
    shown.some((s) => /GREASE \(0x2a\)/.test(s)),
    shown.join(" | "),
  );
  assert.ok(m.tree!.children!.some((n) => n.name === "extensions" && n.children!.some((e) => e.name === "application_layer_protocol_negotiation")));
});
