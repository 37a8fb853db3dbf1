#!/usr/bin/env node
// Counts the TLS code points still written as numbers (the heuristic of eslint/codepoints.mjs, run on every file
// whatever the lint config switches on), per file and per folder: `node scripts/count-raw-codepoints.mjs [--files]
// [DIR…]` (default: src and webview-ui/src). The number the issue's closing note quotes is the total.
import * as path from "node:path";
import { ESLint } from "eslint";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const args = process.argv.slice(2);
const perFile = args.includes("--files");
const dirs = args.filter((a) => !a.startsWith("--"));

// The project's own config (so `eslint-disable` comments count as they do in the lint), with only this rule run, as
// an error in every folder whatever the config switches on.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { rules: { "project/codepoints": "error" }, linterOptions: { reportUnusedDisableDirectives: "off" } },
  ruleFilter: ({ ruleId }) => ruleId === "project/codepoints",
});
const results = await eslint.lintFiles(dirs.length ? dirs : ["src", "webview-ui/src"]);
const byFile = new Map();
let files = 0;
for (const r of results.sort((a, b) => a.filePath.localeCompare(b.filePath))) {
  files++;
  const rel = path.relative(root, r.filePath).split(path.sep).join("/");
  const fatal = r.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${rel}: ${fatal.message}`);
  const messages = r.messages.filter((m) => m.ruleId === "project/codepoints");
  if (messages.length) byFile.set(rel, messages);
}

/** `src/tls/handshake/scan.ts` → `src/tls/handshake`; `src/tls/record.ts` → `src/tls` (the folders the lint config names). */
const folderOf = (rel) => path.posix.dirname(rel);
const byFolder = new Map();
for (const [rel, m] of byFile) byFolder.set(folderOf(rel), (byFolder.get(folderOf(rel)) ?? 0) + m.length);

let total = 0;
for (const [rel, m] of byFile) {
  total += m.length;
  if (perFile) {
    console.log(`${String(m.length).padStart(4)}  ${rel}`);
    for (const x of m) console.log(`        ${x.line}:${x.column}  ${x.message.replace(/: use the.*$/, "")}`);
  }
}
if (perFile) console.log("");
for (const [dir, n] of [...byFolder].sort((a, b) => a[0].localeCompare(b[0]))) console.log(`${String(n).padStart(4)}  ${dir}/`);
console.log(`${String(total).padStart(4)}  total raw code-point comparisons in ${byFile.size} of ${files} files`);
