/**
 * Every field kind the decoders produce on the fixtures (test/fixtures, ../shared/fixtures, samples) reaches an
 * existing note in English and in Korean, and the named section exists in both. A kind is the path of node names
 * from the message root. Also: the kinds that carry meaning (message fields, each extension, each X.509 field)
 * are linked by their own name, not only through an ancestor; and the two mislinks of issue 16 stay fixed.
 *
 * Prints the coverage per message: the share of kinds that carried a note of their own from the decoders (the
 * issue's measure) beside the share linked by their own name now.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectFile } from "../../../src/inspect/inspect";
import type { FieldNode } from "../../../src/tls/field";
import { annotateFieldNotes, resolveFieldNote, STRUCTURAL_NAMES } from "../../../src/tls/fieldNotes";

const ROOT = path.resolve(__dirname, "../../..");
const SHARED = path.resolve(ROOT, "../shared/fixtures");
const DIRS = [
  path.join(ROOT, "test/fixtures"),
  path.join(ROOT, "test/fixtures/quic"),
  path.join(ROOT, "test/fixtures/chromium"),
  path.join(ROOT, "test/fixtures/hostile"),
  path.join(ROOT, "samples"),
  SHARED,
];
const CAPTURE = /\.(pcap|pcapng|tlstrace|openssl-msg\.txt)$/;

interface Kind {
  path: string[];
  value: FieldNode["value"];
  /** The decoder set a note on this node itself. */
  decoderNote: boolean;
}

function clone(n: FieldNode): FieldNode {
  return { ...n, children: n.children?.map(clone) };
}

/** Every field kind on every fixture, with one example value (a named group is collected once per value). */
function collectKinds(): Map<string, Kind> {
  assert.ok(fs.existsSync(SHARED), `../shared/fixtures is missing (${SHARED}): these tests read the shared fixtures`);
  const kinds = new Map<string, Kind>();
  const walk = (n: FieldNode, p: string[], depth: number) => {
    assert.ok(depth < 80, "tree too deep");
    const here = [...p, n.name];
    const key = here.join("/") + (typeof n.value === "number" && /group|namedcurve|cipher_suite$/.test(n.name) ? `=${n.value}` : "");
    const k = kinds.get(key) ?? { path: here, value: n.value, decoderNote: false };
    k.decoderNote ||= !!n.note;
    kinds.set(key, k);
    for (const c of n.children ?? []) walk(c, here, depth + 1);
  };
  for (const dir of DIRS) {
    for (const f of fs.readdirSync(dir).filter((x) => CAPTURE.test(x))) {
      const kl = path.join(dir, f.replace(CAPTURE, "") + ".keylog");
      const model = inspectFile(path.join(dir, f), { detail: "full", keylog: fs.existsSync(kl) ? fs.readFileSync(kl, "utf8") : undefined });
      for (const c of model.connections) for (const m of c.messages) if (m.tree) walk(m.tree, [], 0);
    }
  }
  return kinds;
}

function headings(lang: "en" | "ko", id: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, "media/notes", lang, `${id}.md`), "utf8").replace(/```[\s\S]*?```/g, "");
  return text
    .split("\n")
    .filter((l) => /^#{2,6} /.test(l))
    .map((l) => l.replace(/^#+ /, "").trim());
}

const kinds = collectKinds();

test("every field kind on the fixtures resolves to a note (and section) that exists in English and Korean", () => {
  assert.ok(kinds.size > 300, `only ${kinds.size} field kinds found`);
  const problems: string[] = [];
  for (const [key, k] of kinds) {
    const r = resolveFieldNote(k.path, k.value);
    for (const lang of ["en", "ko"] as const) {
      if (!fs.existsSync(path.join(ROOT, "media/notes", lang, `${r.note}.md`))) problems.push(`${key}: note ${r.note} has no ${lang} file`);
    }
    if (r.section) {
      const en = headings("en", r.note);
      const i = en.indexOf(r.section);
      if (i < 0) problems.push(`${key}: ${r.note} has no section "${r.section}"`);
      else if (headings("ko", r.note).length !== en.length) problems.push(`${key}: ${r.note}'s Korean outline differs`);
    }
  }
  assert.deepEqual(problems, []);
});

test("meaningful kinds are linked by their own name: message fields, every extension, every X.509 field", () => {
  const unlinked: string[] = [];
  for (const [key, k] of kinds) {
    const p = k.path;
    const name = p[p.length - 1];
    if (STRUCTURAL_NAMES.has(name)) continue;
    const messageField = p.length === 2;
    const extension = p[p.length - 2] === "extensions";
    const x509 = p.includes("tbsCertificate") || name === "signatureAlgorithm" || name === "signatureValue";
    if ((messageField || extension || x509) && !resolveFieldNote(p, k.value).own) unlinked.push(key);
  }
  assert.deepEqual(unlinked, []);
});

test("annotateFieldNotes sets a note on every node and is idempotent", () => {
  const file = path.join(SHARED, "tls13-x25519-aes128gcm.pcap");
  const model = inspectFile(file, { detail: "full", keylog: fs.readFileSync(file.replace(/\.pcap$/, ".keylog"), "utf8") });
  const tree = clone(model.connections[0].messages[0].tree!);
  annotateFieldNotes(tree);
  const walk = (n: FieldNode): void => {
    assert.ok(n.note, `${n.name} has no note`);
    n.children?.forEach(walk);
  };
  walk(tree);
  assert.equal(annotateFieldNotes(tree), tree);
});

test("the mislinks stay fixed: supported_groups by group, TLS 1.2 session_ticket to the ticket note", () => {
  const groups = [...kinds.values()].filter((k) => k.path[k.path.length - 1] === "named_group");
  assert.ok(groups.length > 0);
  for (const k of groups) {
    const r = resolveFieldNote(k.path, k.value);
    const ffdhe = typeof k.value === "number" && k.value >= 0x0100 && k.value <= 0x01ff;
    assert.equal(r.note === "ffdhe-groups", ffdhe, `${k.path.join("/")}=${k.value} → ${r.note}`);
  }
  assert.notEqual(resolveFieldNote(["ClientHello", "extensions", "supported_groups"]).note, "ffdhe-groups");
  for (const msg of ["ClientHello", "ServerHello"]) {
    const r = resolveFieldNote([msg, "extensions", "session_ticket"]);
    assert.equal(r.note, "new-session-ticket");
    assert.equal(r.section, "TLS 1.2 (RFC 5077)");
  }
});

test("coverage per message: kinds with a note of their own, before (decoders) and now (by own name)", () => {
  const by = new Map<string, { n: number; before: number; after: number }>();
  for (const k of kinds.values()) {
    const e = by.get(k.path[0]) ?? { n: 0, before: 0, after: 0 };
    e.n++;
    if (k.decoderNote) e.before++;
    if (resolveFieldNote(k.path, k.value).own) e.after++;
    by.set(k.path[0], e);
  }
  const pct = (a: number, n: number) => `${Math.round((100 * a) / n)}%`;
  for (const [m, e] of [...by].sort()) console.log(`# ${m}: ${e.n} kinds, own note before ${pct(e.before, e.n)}, now ${pct(e.after, e.n)}`);
  for (const e of by.values()) assert.ok(e.after >= e.before);
});
