/**
 * Consistency checks for the explanatory notes shipped in media/notes:
 * index.json <-> files, titles, RFC citations (same set in en and ko),
 * References sections, related ids, note length, diagrams (ASCII, plus Hangul in the Korean twins, with box
 * borders that still line up when a Hangul syllable takes two columns), and the same outline in both languages:
 * headings at the same levels, tables of the same shape with the same `code` in each row.
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
const SOURCE_RFCS = new Set([
  "2818",
  "5077",
  "5246",
  "5280",
  "5705",
  "5746",
  "6066",
  "6960",
  "6962",
  "7301",
  "7366",
  "7507",
  "7627",
  "7685",
  "7919",
  "8422",
  "8446",
  "8449",
  "8701",
  "8879",
  "9000",
  "9001",
  "9110",
  "9368",
  "9369",
  "9849",
]);
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

/** Columns a string takes in a monospace font: Hangul syllables (and other wide characters) take two. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/.test(ch) ? 2 : 1;
  return w;
}

/**
 * Diagram characters: printable ASCII, and in the Korean notes Hangul syllables too. Boxes are drawn with ASCII
 * (`+`, `-`, `|`), never with Unicode box-drawing characters, and must stay aligned: every `|` of a row between two
 * `+---+` borders sits in a column where the border above has a `+`, and the row closes at the border's last `+`.
 */
function diagramProblems(block: string, lang: Lang): string[] {
  const problems: string[] = [];
  // eslint-disable-next-line no-control-regex -- tab, LF and CR are the control characters a diagram may hold
  const allowed = lang === "ko" ? /^[\x09\x0A\x0D\x20-\x7E\uAC00-\uD7A3]*$/ : /^[\x09\x0A\x0D\x20-\x7E]*$/;
  if (!allowed.test(block)) problems.push(lang === "ko" ? "a character other than ASCII or Hangul" : "a non-ASCII character");
  const lines = block.split("\n");
  let border: number[] | null = null;
  for (const line of lines) {
    if (/^\s*\+[-+]*\+\s*$/.test(line)) {
      const cols: number[] = [];
      for (let i = 0; i < line.length; i++) if (line[i] === "+") cols.push(i);
      if (border && border.join() !== cols.join()) problems.push(`box borders differ: "${line.trim()}"`);
      border = cols;
      continue;
    }
    if (!border || !/^\s*\|/.test(line)) {
      border = null;
      continue;
    }
    const bars: number[] = [];
    let col = 0;
    for (const ch of line) {
      if (ch === "|") bars.push(col);
      col += displayWidth(ch);
    }
    const edge = border[border.length - 1];
    if (bars.some((b) => b <= edge && !border!.includes(b)) || !bars.includes(edge)) problems.push(`box row out of line with its border: "${line.trim()}"`);
  }
  return problems;
}

/** The outline two translations must share: heading levels, and per table its shape and each row's `code` spans. */
function outline(text: string): { headings: number[]; tables: { rows: number; cols: number; codes: string[] }[] } {
  const lines = text.replace(/```[\s\S]*?```/g, "```").split("\n");
  const headings = lines.filter((l) => /^#{1,6} /.test(l)).map((l) => /^#+/.exec(l)![0].length);
  const tables: { rows: number; cols: number; codes: string[] }[] = [];
  let current: (typeof tables)[number] | null = null;
  for (const l of lines) {
    if (!/^\|.*\|\s*$/.test(l)) {
      current = null;
      continue;
    }
    const cols = l.trim().split("|").length - 2;
    if (!current) tables.push((current = { rows: 0, cols, codes: [] }));
    assert.equal(cols, current.cols, `table row with ${cols} cells in a table of ${current.cols}: ${l}`);
    current.rows++;
    current.codes.push(
      [...l.matchAll(/`([^`]+)`/g)]
        .map((m) => m[1])
        .sort()
        .join(" "),
    );
  }
  return { headings, tables };
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

      // Diagrams: ASCII (plus Hangul in Korean), boxes aligned; the Korean twin has as many as the English note.
      for (const block of codeBlocks(text)) {
        const problems = diagramProblems(block, lang);
        assert.deepEqual(problems, [], `${where}: diagram problems:\n${problems.join("\n")}\n${block}`);
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

  test(`note ${n.id}: the Korean twin has the English note's headings, tables and diagrams`, () => {
    const en = readNote("en", n.id);
    const ko = readNote("ko", n.id);
    const a = outline(en);
    const b = outline(ko);
    assert.deepEqual(b.headings, a.headings, `${n.id}: heading levels differ between en and ko`);
    assert.deepEqual(
      b.tables.map((t) => `${t.rows}x${t.cols}`),
      a.tables.map((t) => `${t.rows}x${t.cols}`),
      `${n.id}: tables differ in shape between en and ko`,
    );
    a.tables.forEach((t, i) => assert.deepEqual(b.tables[i].codes, t.codes, `${n.id}: table ${i + 1} rows hold different \`code\` in en and ko`));
    assert.equal(codeBlocks(ko).length, codeBlocks(en).length, `${n.id}: en and ko have different numbers of diagrams`);
    // A diagram in the Korean twin that is byte-for-byte the English one, yet has English words beyond identifiers
    // and formulas, was left untranslated.
    codeBlocks(en).forEach((block, i) => {
      const koBlock = codeBlocks(ko)[i];
      if (koBlock !== block) return;
      const prose = block.replace(/"[^"]*"/g, "").match(/\b[a-z]{3,}(?: [a-z]{3,})+\b/g) ?? [];
      assert.deepEqual(prose, [], `${n.id}: diagram ${i + 1} of the Korean note is the English one, words and all`);
    });
  });
}

/** The note cut at its headings (code blocks kept whole): per section, the RFC sections it cites. */
function citationsBySection(text: string): string[][] {
  const parts: string[] = [""];
  let fence = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fence = !fence;
    if (!fence && /^#{1,6} /.test(line)) parts.push("");
    parts[parts.length - 1] += line + "\n";
  }
  return parts.map((p) => [...citations(p)].sort());
}

for (const n of index) {
  test(`note ${n.id}: each section of the Korean twin cites the RFC sections its English section cites`, () => {
    const en = citationsBySection(readNote("en", n.id));
    const ko = citationsBySection(readNote("ko", n.id));
    assert.equal(ko.length, en.length, `${n.id}: different numbers of sections`);
    en.forEach((cites, i) => assert.deepEqual(ko[i], cites, `${n.id}: section ${i} cites different RFC sections in en and ko`));
  });
}
