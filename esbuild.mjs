// Builds everything the extension and the CLI ship, into dist/:
//   extension.js     src/vscode/extension.ts      (node, CommonJS, `vscode` external)
//   core.js          src/vscode/core.ts           (node, CommonJS; loaded by extension.js on first use)
//   inspectWorker.js src/vscode/inspectWorker.ts  (node, CommonJS; a worker thread of the extension host)
//   cli.js           src/cli/main.ts              (node, CommonJS, `#!/usr/bin/env node`)
//   webview.js/.css  webview-ui/src/main.ts       (browser, IIFE)
//   codicons/        codicon.css + codicon.ttf from @vscode/codicons (the webview loads them from dist/)
// Flags: --watch (rebuild on change), --production (minified, no source maps). Exit 1 on any build error.
import * as esbuild from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const watch = process.argv.includes("--watch");
const production = process.argv.includes("--production");
const DIST = path.join(ROOT, "dist");
const packageVersion = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : "linked",
  sourcesContent: false,
  logLevel: "warning",
  absWorkingDir: ROOT,
  legalComments: "none",
};

const node = {
  ...common,
  platform: "node",
  format: "cjs",
  target: "node20",
  // The @noble packages are ESM-only with `.js` subpaths; esbuild bundles them into the CommonJS output.
  mainFields: ["module", "main"],
};

/** Reports the end of each (re)build in watch mode, and collects errors for the one-shot build. */
const reporter = (name) => ({
  name: "report",
  setup(build) {
    build.onEnd((r) => {
      if (watch) console.log(`[watch] ${name}: ${r.errors.length ? `${r.errors.length} error(s)` : "built"}`);
    });
  },
});

/** Keeps lazyCore.ts's `require("./core.js")` a run-time require of the separate bundle. */
const coreExternal = {
  name: "core-external",
  setup(build) {
    build.onResolve({ filter: /^\.\/core\.js$/ }, () => ({ path: "./core.js", external: true }));
  },
};

const webviewEntry = path.join(ROOT, "webview-ui/src/main.ts");

const configs = [
  // Always minified (with a linked source map outside --production): VS Code compiles the whole bundle at
  // activation, and a smaller script is measurably faster to load.
  // The extension's main script holds only the registration code; the decoders, inspection and the engine are
  // dist/core.js, required by src/vscode/lazyCore.ts on first use (VS Code counts loading the main script as
  // activation time).
  {
    ...node,
    minify: true,
    entryPoints: ["src/vscode/extension.ts"],
    outfile: "dist/extension.js",
    external: ["vscode"],
    plugins: [coreExternal, reporter("extension")],
  },
  { ...node, minify: true, entryPoints: ["src/vscode/core.ts"], outfile: "dist/core.js", plugins: [reporter("core")] },
  { ...node, entryPoints: ["src/vscode/inspectWorker.ts"], outfile: "dist/inspectWorker.js", plugins: [reporter("inspectWorker")] },
  // The CLI is minified too: it starts ~20 ms sooner (Node compiles less), which is most of a small file's run.
  // `tls-handshake --version` reads the version compiled in (src/cli/version.ts), not package.json at run time.
  {
    ...node,
    minify: true,
    entryPoints: ["src/cli/main.ts"],
    outfile: "dist/cli.js",
    banner: { js: "#!/usr/bin/env node" },
    define: { TLS_HANDSHAKE_VERSION: JSON.stringify(packageVersion) },
    plugins: [reporter("cli")],
  },
  // The decoding thread of `inspect --json/--summary` on two threads: only what decoding needs, so it starts sooner.
  { ...node, minify: true, entryPoints: ["src/cli/decoderMain.ts"], outfile: "dist/decoder.js", plugins: [reporter("decoder")] },
];
if (fs.existsSync(webviewEntry)) {
  configs.push({
    ...common,
    entryPoints: { webview: "webview-ui/src/main.ts" },
    outdir: "dist",
    platform: "browser",
    format: "iife",
    target: ["chrome120"],
    // The codicon font is copied below; the webview CSS refers to it through dist/codicons/codicon.css.
    loader: { ".ttf": "file", ".woff": "file", ".woff2": "file", ".svg": "file" },
    plugins: [reporter("webview")],
  });
} else {
  console.warn("esbuild: webview-ui/src/main.ts does not exist yet; dist/webview.js not built");
}

function copyCodicons() {
  const src = path.join(ROOT, "node_modules/@vscode/codicons/dist");
  const dest = path.join(DIST, "codicons");
  fs.mkdirSync(dest, { recursive: true });
  for (const f of ["codicon.css", "codicon.ttf"]) fs.copyFileSync(path.join(src, f), path.join(dest, f));
}

async function main() {
  // A release build starts from an empty dist/ (no stale source maps or bundles left over).
  if (production) fs.rmSync(DIST, { recursive: true, force: true });
  fs.mkdirSync(DIST, { recursive: true });
  copyCodicons();
  if (watch) {
    const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log("[watch] watching for changes (Ctrl+C to stop)");
    return;
  }
  const results = await Promise.allSettled(configs.map((c) => esbuild.build(c)));
  const failed = results.filter((r) => r.status === "rejected");
  if (failed.length) {
    // esbuild has already printed the located errors (logLevel "warning").
    console.error(`esbuild: ${failed.length} of ${configs.length} bundle(s) failed`);
    process.exit(1);
  }
  fs.chmodSync(path.join(DIST, "cli.js"), 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
