// Entry point VS Code loads as `extensionTestsPath`: runs every compiled *.test.js beside it with mocha inside
// the extension host and reports per-test results (console, forwarded to the runner by the workbench) and, when
// TLS_IT_RESULT names a file, a JSON summary the runner reads back.
import * as fs from "node:fs";
import * as path from "node:path";

// mocha 12's package entry is ESM; its CommonJS build is what a CommonJS extension host can require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha = require("mocha/lib/mocha.cjs");

interface Outcome {
  title: string;
  state: "passed" | "failed";
  ms: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: "bdd", timeout: Number(process.env.TLS_IT_TIMEOUT ?? 60000), color: false, reporter: "dot" });
  const grep = process.env.TLS_IT_GREP;
  if (grep) mocha.grep(grep);
  const dir = __dirname;
  // restricted.test.js needs an untrusted workspace and the other files a trusted one: the runner starts one
  // workbench for each (run-integration.js --restricted sets TLS_IT_SUITE).
  const restricted = process.env.TLS_IT_SUITE === "restricted";
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".test.js") && (f === "restricted.test.js") === restricted);
  for (const f of files.sort()) mocha.addFile(path.join(dir, f));
  const outcomes: Outcome[] = [];
  const perf: Record<string, number> = {};
  (globalThis as { __tlsPerf?: Record<string, number> }).__tlsPerf = perf;
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures: number) => {
      const passed = outcomes.filter((o) => o.state === "passed").length;
      const failed = outcomes.filter((o) => o.state === "failed").length;
      const out = process.env.TLS_IT_RESULT;
      if (out) fs.writeFileSync(out, JSON.stringify({ passed, failed, outcomes, perf }, null, 2));
      console.log(`mocha: ${passed} tests passed, ${failed} tests failed`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on("pass", (t: { fullTitle(): string; duration?: number }) => {
      outcomes.push({ title: t.fullTitle(), state: "passed", ms: t.duration ?? 0 });
      console.log(`  ok   ${t.fullTitle()} (${t.duration ?? 0} ms)`);
    });
    runner.on("fail", (t: { fullTitle(): string; duration?: number }, err: Error) => {
      const error = String(err?.stack ?? err)
        .split("\n")
        .slice(0, 6)
        .join("\n");
      outcomes.push({ title: t.fullTitle(), state: "failed", ms: t.duration ?? 0, error });
      console.log(`  FAIL ${t.fullTitle()}\n       ${error.replace(/\n/g, "\n       ")}`);
    });
  });
}
