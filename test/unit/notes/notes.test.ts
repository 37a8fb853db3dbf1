/**
 * Consistency checks for the explanatory notes shipped in media/notes:
 * index.json <-> files, titles, RFC citations (same set in en and ko),
 * References sections, related ids, note length and ASCII-only diagrams.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

// test/unit/notes -> repository root; fall back to the working directory if __dirname is unavailable (ESM).
const ROOT = typeof __dirname === "string" ? path.resolve(__dirname, "../../..") : process.cwd();
const NOTES_DIR = path.join(ROOT, "media/notes");
const LANGS = ["en", "ko"] as const;
type Lang = (typeof LANGS)[number];

/** "RFC 8446 §4.1.2", "RFC 8446 §D.4", "RFC 5246 §F.1.1.2" */
const CITATION = /RFC (\d{4}) §([A-Z](?:\.\d+)*|\d+(?:\.\d+)*)/g;
/** The RFCs the notes are written from; any section citation must point into one of them. */
const SOURCE_RFCS = new Set(["2818", "5077", "5246", "5280", "6066", "7301", "7366", "7627", "7919", "8422", "8446", "8701", "9110"]);
const REFERENCES_HEADING: Record<Lang, string> = { en: "## References", ko: "## 참고 문헌" };
const HANGUL = /[\uAC00-\uD7A3]/;

interface IndexEntry {
  id: string;
  title: Record<Lang, string>;
  rfc: string[];
  related: string[];
}

function loadIndex(): IndexEntry[] {
  const raw = JSON.parse(fs.readFileSync(path.join(NOTES_DIR, "index.json"), "utf8")) as { notes: IndexEntry[] };
  assert.ok(Array.isArray(raw.notes), "index.json must have a notes array");
  return raw.notes;
}

function readNote(lang: Lang, id: string): string {
  return fs.readFileSync(path.join(NOTES_DIR, lang, `${id}.md`), "utf8");
}

function citations(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(CITATION)) found.add(`RFC ${m[1]} §${m[2]}`);
  return found;
}

/** Fenced code blocks (diagrams, formulas), in order. */
function codeBlocks(text: string): string[] {
  const blocks: string[] = [];
  const lines = text.split("\n");
  let current: string[] | null = null;
  for (const line of lines) {
    if (line.startsWith("```")) {
      if (current === null) current = [];
      else {
        blocks.push(current.join("\n"));
        current = null;
      }
    } else if (current !== null) current.push(line);
  }
  assert.equal(current, null, "unbalanced ``` fence");
  return blocks;
}

/** Words of prose: code blocks removed, tokens without a letter or digit (table rules, bullets) ignored. */
function proseWords(text: string): number {
  const prose = text.replace(/```[\s\S]*?```/g, "");
  return prose.split(/\s+/).filter((w) => /[A-Za-z0-9\uAC00-\uD7A3]/.test(w)).length;
}

const index = loadIndex();
const ids = index.map((n) => n.id);

test("index.json: unique, well-formed ids in reading order, https-overview first", () => {
  assert.ok(index.length >= 30, `expected at least 30 notes, got ${index.length}`);
  assert.equal(ids[0], "https-overview");
  assert.equal(new Set(ids).size, ids.length, "duplicate ids in index.json");
  for (const n of index) {
    assert.match(n.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, `bad id ${n.id}`);
    assert.ok(n.title.en.trim() && n.title.ko.trim(), `${n.id}: empty title`);
    assert.ok(Array.isArray(n.rfc) && n.rfc.length > 0, `${n.id}: no rfc entries`);
    for (const r of n.rfc) assert.match(r, /^RFC \d{4} §([A-Z](\.\d+)*|\d+(\.\d+)*)$/, `${n.id}: bad rfc entry ${r}`);
  }
});

test("every id has both files, and every file is listed in index.json", () => {
  for (const lang of LANGS) {
    const files = fs.readdirSync(path.join(NOTES_DIR, lang)).filter((f) => f.endsWith(".md"));
    const onDisk = new Set(files.map((f) => f.slice(0, -3)));
    for (const id of ids) assert.ok(onDisk.has(id), `missing ${lang}/${id}.md`);
    for (const id of onDisk) assert.ok(ids.includes(id), `${lang}/${id}.md is not listed in index.json`);
  }
});

test("related ids exist, are not self-references and are not repeated", () => {
  for (const n of index) {
    assert.ok(n.related.length > 0, `${n.id}: no related notes`);
    assert.equal(new Set(n.related).size, n.related.length, `${n.id}: duplicate related id`);
    for (const r of n.related) {
      assert.notEqual(r, n.id, `${n.id}: relates to itself`);
      assert.ok(ids.includes(r), `${n.id}: broken related id ${r}`);
    }
  }
});

for (const n of index) {
  test(`note ${n.id}: structure, citations and language`, () => {
    const sets: Partial<Record<Lang, Set<string>>> = {};
    for (const lang of LANGS) {
      const text = readNote(lang, n.id);
      const where = `${lang}/${n.id}.md`;
      const lines = text.split("\n");

      // Title line, matching index.json.
      assert.match(lines[0] ?? "", /^# \S/, `${where}: first line must be a '# Title'`);
      assert.equal(lines[0]!.slice(2).trim(), n.title[lang], `${where}: title differs from index.json`);
      assert.equal(lines.filter((l) => /^# /.test(l)).length, 1, `${where}: exactly one H1 expected`);

      // References: last H2 section, holding citations.
      const heading = REFERENCES_HEADING[lang];
      const h2 = lines.filter((l) => l.startsWith("## "));
      assert.equal(h2[h2.length - 1], heading, `${where}: last section must be '${heading}'`);
      const refs = text.slice(text.lastIndexOf(heading));
      assert.ok(citations(refs).size > 0, `${where}: References cite no RFC section`);

      const cited = citations(text);
      assert.ok(cited.size > 0, `${where}: no 'RFC NNNN §x' citation`);
      for (const c of cited) assert.ok(SOURCE_RFCS.has(c.slice(4, 8)), `${where}: cites a section of an unexpected RFC: ${c}`);
      for (const r of n.rfc) assert.ok(cited.has(r), `${where}: index.json lists ${r} but the note does not cite it`);
      sets[lang] = cited;

      // Diagrams are ASCII only.
      for (const block of codeBlocks(text)) {
        // eslint-disable-next-line no-control-regex -- tab, LF and CR are the control characters a diagram may hold
        assert.ok(/^[\x09\x0A\x0D\x20-\x7E]*$/.test(block), `${where}: non-ASCII character in a code block`);
      }

      // Length and language.
      const words = proseWords(text);
      if (lang === "en") {
        assert.ok(words >= 150 && words <= 450, `${where}: ${words} words, expected 150-450`);
        assert.ok(!HANGUL.test(text), `${where}: Hangul in the English note`);
      } else {
        assert.ok(words >= 100 && words <= 450, `${where}: ${words} words, expected 100-450`);
        const hangul = (text.match(/[\uAC00-\uD7A3]/g) ?? []).length;
        assert.ok(hangul >= 300, `${where}: only ${hangul} Hangul syllables; is it written in Korean?`);
      }
    }
    assert.deepEqual([...sets.ko!].sort(), [...sets.en!].sort(), `${n.id}: en and ko cite different RFC sections`);
  });
}
