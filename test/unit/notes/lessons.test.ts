/**
 * The guided lessons (media/lessons/lessons.json): both routes are complete in English and Korean, every step's
 * note and section exist in both languages, every step points at an engine step its simulation really has (the
 * engine is run here), each "real capture" is a sample holding that message, and side-by-side steps name
 * variants that run. A variant the engine cannot run yet (a group it does not have) may only drop its own steps.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { simulate } from "../../../src/engine/simulate";
import { inspectFile } from "../../../src/inspect/inspect";
import { namedGroups } from "../../../src/tls/registry";

const ROOT = path.resolve(__dirname, "../../..");
type Text = { en: string; ko: string };
interface Step {
  variant: string;
  at?: string;
  note: string;
  section?: string;
  title: Text;
  text: { en: string[]; ko: string[] };
  question: Text;
  answer: Text;
  capture?: { file: string; message: string };
  compare?: string[];
}
interface Route {
  id: string;
  title: Text;
  variants: Record<string, { group?: string; label?: Text } & Record<string, unknown>>;
  steps: Step[];
}
const routes = (JSON.parse(fs.readFileSync(path.join(ROOT, "media/lessons/lessons.json"), "utf8")) as { routes: Route[] }).routes;
const HANGUL = /[\uAC00-\uD7A3]/;

function headings(lang: string, id: string): string[] {
  return fs
    .readFileSync(path.join(ROOT, "media/notes", lang, `${id}.md`), "utf8")
    .replace(/```[\s\S]*?```/g, "")
    .split("\n")
    .filter((l) => /^#{2,6} /.test(l))
    .map((l) => l.replace(/^#+ /, "").trim());
}

function run(route: Route, name: string) {
  const { group, label: _label, ...rest } = route.variants[name];
  const req: Record<string, unknown> = { ...rest };
  if (group) {
    const code = (namedGroups.codes as Record<string, number>)[group];
    if (code === undefined) return undefined;
    req.group = code;
  }
  try {
    const r = simulate(req as unknown as Parameters<typeof simulate>[0]);
    return r.ok ? r : undefined;
  } catch {
    return undefined;
  }
}

test("two routes: TLS 1.2 the textbook way and TLS 1.3 as browsers do it", () => {
  assert.deepEqual(
    routes.map((r) => r.id),
    ["tls12", "tls13"],
  );
});

for (const route of routes) {
  test(`lesson ${route.id}: every step in both languages, its note and section in both`, () => {
    assert.ok(route.steps.length >= 8);
    for (const [i, s] of route.steps.entries()) {
      const where = `${route.id} step ${i + 1}`;
      for (const t of [route.title, s.title, s.question, s.answer]) {
        assert.ok(t.en?.trim() && t.ko?.trim(), `${where}: a text is missing a language`);
        // A title may be a message name, the same in both languages.
        const name = t === s.title && t.ko === t.en && /^[A-Za-z]+$/.test(t.en);
        assert.ok(name || (HANGUL.test(t.ko) && !HANGUL.test(t.en)), `${where}: "${t.ko}" / "${t.en}" in the wrong language`);
      }
      assert.equal(s.text.en.length, s.text.ko.length, `${where}: paragraphs differ between en and ko`);
      for (const p of s.text.ko) assert.ok(HANGUL.test(p), `${where}: Korean paragraph without Hangul`);
      for (const lang of ["en", "ko"]) assert.ok(fs.existsSync(path.join(ROOT, "media/notes", lang, `${s.note}.md`)), `${where}: no ${lang} note ${s.note}`);
      if (s.section) assert.ok(headings("en", s.note).includes(s.section), `${where}: ${s.note} has no section "${s.section}"`);
      assert.ok(route.variants[s.variant], `${where}: unknown variant ${s.variant}`);
      for (const v of s.compare ?? []) assert.ok(route.variants[v], `${where}: unknown variant ${v}`);
    }
  });

  test(`lesson ${route.id}: every step points at an engine step of its simulation`, () => {
    const sims = new Map(Object.keys(route.variants).map((v) => [v, run(route, v)]));
    for (const [name, sim] of sims) {
      // Only a variant that needs a group the engine may not have yet is allowed to be missing.
      if (!sim) assert.ok(route.variants[name].group, `${route.id}: variant ${name} does not simulate`);
    }
    for (const [i, s] of route.steps.entries()) {
      const sim = sims.get(s.variant);
      if (!sim || !s.at) continue;
      const at = s.at;
      const found = sim.steps.some((x) => (at.startsWith("secret:") ? x.kind === "secret" && x.title === at.slice(7) : x.kind === "message" && x.title === at));
      assert.ok(found, `${route.id} step ${i + 1}: no engine step "${at}" in variant ${s.variant}`);
      for (const v of s.compare ?? []) assert.ok(sims.get(v), `${route.id} step ${i + 1}: variant ${v} does not simulate`);
    }
    assert.ok(route.steps.filter((s) => sims.get(s.variant)).length >= 8, `${route.id}: fewer than 8 steps run`);
  });

  test(`lesson ${route.id}: each real-capture step opens a shipped sample holding that message`, () => {
    const ignore = fs.readFileSync(path.join(ROOT, ".vscodeignore"), "utf8");
    for (const s of route.steps) {
      if (!s.capture) continue;
      const file = path.join(ROOT, s.capture.file);
      assert.ok(fs.existsSync(file), `${s.capture.file} is missing`);
      const base = path.basename(file).replace(/\.(pcap|pcapng)$/, "");
      assert.ok(ignore.includes(`!samples/${base}.*`), `${s.capture.file} is not packaged (.vscodeignore)`);
      const keylog = file.replace(/\.(pcap|pcapng)$/, ".keylog");
      const model = inspectFile(file, { detail: "summary", keylog: fs.existsSync(keylog) ? fs.readFileSync(keylog, "utf8") : undefined });
      assert.ok(
        model.connections.some((c) => c.messages.some((m) => m.name === s.capture!.message)),
        `${s.capture.file} has no ${s.capture.message}`,
      );
    }
  });
}
