/**
 * The layer rule (README "How it is built", docs/architecture.md): imports point one way only.
 *
 *   src/tls  ←  src/capture, src/engine  ←  src/inspect  ←  src/cli, src/vscode
 *
 * `src/model` (the analysis model every view reads: plain data types) sits just above `src/tls` so that both the
 * engine and the inspector can read it without climbing. `src/protocol` (the host ↔ webview messages) takes only
 * types from below and imports nothing at run time, so the webview app (`webview-ui/`), which may import nothing
 * of the host but the protocol (its types and its message guards), never bundles host code. Only `src/vscode` imports `vscode`.
 *
 * A local ESLint rule rather than path patterns: it resolves each relative import against the importing file, so
 * the verdict does not depend on how many `../` a path has.
 */
import * as path from "node:path";

/** For each layer (a folder relative to the project root), the layers it may import. */
export const LAYERS = {
  "src/tls": [],
  "src/model": ["src/tls"],
  "src/capture": ["src/tls"],
  "src/engine": ["src/tls", "src/model"],
  "src/protocol": ["src/tls", "src/model"],
  "src/inspect": ["src/tls", "src/model", "src/capture", "src/engine", "src/protocol"],
  "src/cli": ["src/tls", "src/model", "src/capture", "src/engine", "src/inspect"],
  "src/vscode": ["src/tls", "src/model", "src/capture", "src/engine", "src/inspect", "src/protocol"],
  "webview-ui/src": ["src/protocol"],
};

/** Layers whose imports of other layers must be `import type` (nothing of theirs reaches a bundle at run time). */
const TYPE_ONLY = new Set(["src/model", "src/protocol"]);

/** Modules only one layer may import. */
const HOST_ONLY = { vscode: "src/vscode" };

function layerOf(root, file) {
  const rel = path.relative(root, file).split(path.sep).join("/");
  for (const layer of Object.keys(LAYERS)) if (rel === layer || rel.startsWith(layer + "/")) return layer;
  return null;
}

/** @type {import("eslint").Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: "problem",
    docs: { description: "imports point one way between the layers of src/ and webview-ui/" },
    schema: [],
    messages: {
      upward: "{{from}} may not import {{to}} (layers: {{allowed}})",
      hostOnly: "only {{owner}} may import '{{module}}'",
      typeOnly: "{{from}} takes only types from {{to}}: use `import type`",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = layerOf(root, file);
    if (!from) return {};
    const check = (node, source, typeOnly = false) => {
      if (typeof source !== "string") return;
      if (Object.hasOwn(HOST_ONLY, source) && HOST_ONLY[source] !== from) {
        context.report({ node, messageId: "hostOnly", data: { owner: HOST_ONLY[source], module: source } });
        return;
      }
      if (!source.startsWith(".")) return;
      const to = layerOf(root, path.resolve(path.dirname(file), source));
      if (to === null || to === from) return;
      if (!LAYERS[from].includes(to)) {
        context.report({ node, messageId: "upward", data: { from, to, allowed: LAYERS[from].join(", ") || "none" } });
      } else if (TYPE_ONLY.has(from) && !typeOnly) {
        context.report({ node, messageId: "typeOnly", data: { from, to } });
      }
    };
    return {
      ImportDeclaration: (n) =>
        check(n, n.source.value, n.importKind === "type" || (n.specifiers.length > 0 && n.specifiers.every((s) => s.importKind === "type"))),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value, n.exportKind === "type"),
      ExportAllDeclaration: (n) => check(n, n.source.value, n.exportKind === "type"),
      ImportExpression: (n) => n.source.type === "Literal" && check(n, n.source.value),
      CallExpression: (n) => {
        if (n.callee.type === "Identifier" && n.callee.name === "require" && n.arguments[0]?.type === "Literal") check(n, n.arguments[0].value);
      },
    };
  },
};
