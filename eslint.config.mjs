// ESLint (flat config) with typescript-eslint, the layer rule, and Prettier owning formatting (`npm run format`).
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import { layersRule } from "./eslint/layers.mjs";
import { codePointsRule } from "./eslint/codepoints.mjs";

export default tseslint.config(
  {
    ignores: ["dist/**", "node_modules/**", ".code-server/**", "test-results/**", "fuzz/corpus/**", "fuzz/findings/**", "out/**", ".fuzz/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { project: { rules: { layers: layersRule, codepoints: codePointsRule } } },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "project/layers": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
    },
  },
  {
    // Named code points (eslint/codepoints.mjs): an error wherever the raw numbers are gone. The folders still in
    // `ignores` come off the list as their comparisons are rewritten with the registries' constants.
    files: ["src/**/*.ts", "webview-ui/src/**/*.ts"],
    ignores: [],
    rules: { "project/codepoints": "error" },
  },
  {
    files: ["webview-ui/**/*.ts"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Node scripts and the Playwright specs are CommonJS.
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Code that also runs in a page (page.evaluate) sees the browser's globals.
    files: ["test/e2e/**/*.js", "webview-ui/dev/**"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
