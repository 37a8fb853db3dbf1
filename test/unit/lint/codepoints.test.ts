/**
 * The named-code-point lint rule (eslint/codepoints.mjs): it fires on a TLS code point written as a number where a
 * name says a code point is meant (`type === 20`, `case 22:`, `exts.has(23)`, `[29, 23].includes(group)`), not on
 * the registries' constants nor on numbers compared with lengths and counters — and the project's config runs it
 * as an error in the folders that are done.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { ESLint, RuleTester } from "eslint";
import tseslint from "typescript-eslint";
import { codePointsRule, nameWords } from "../../../eslint/codepoints.mjs";

const root = path.resolve(import.meta.dirname, "../../..");

// RuleTester reports through describe/it; node:test gives it one test per case.
RuleTester.describe = (_name: string, fn: () => void) => fn();
RuleTester.it = (name: string, fn: () => void) => test(name, fn);
RuleTester.itOnly = RuleTester.it;

new RuleTester({ languageOptions: { parser: tseslint.parser } }).run("codepoints", codePointsRule, {
  valid: [
    "if (type === ContentType.alert) f();",
    "if (r.type !== ContentType.change_cipher_spec) f();",
    "switch (m.type) { case HandshakeType.client_hello: break; }",
    "if (exts.has(ExtensionType.supported_groups)) f();",
    "if (version === ProtocolVersion.TLSv1_3) f();",
    // Numbers compared with names that are not code points: lengths, counters, offsets, bytes.
    "if (b.length === 20) f();",
    "for (let i = 0; i < 20; i++) f(i);",
    "if (count > 2) f();",
    "if (raw[0] === 22) f();",
    "switch (n) { case 22: break; }",
    "if (typeof type === 'number') f();",
    // A code point given a name of its own is fine: the rule asks for a name, not for a particular table.
    "const IP_VERSION_4 = 4; if (version === IP_VERSION_4) f();",
  ],
  invalid: [
    { code: "if (type === 20) f();", errors: [{ messageId: "compare" }] },
    { code: "if (20 === m.type) f();", errors: [{ messageId: "compare" }] },
    { code: "const x = r?.contentType !== 23;", errors: [{ messageId: "compare" }] },
    { code: "const tls13 = negotiated.version === 0x0304;", errors: [{ messageId: "compare" }] },
    { code: "const ok = this.version >= 0x0303;", errors: [{ messageId: "compare" }] },
    { code: "const fatal = a.level === 2;", errors: [{ messageId: "compare" }] },
    { code: "const ok = (b.innerType ?? b.record!.type) === 22;", errors: [{ messageId: "compare" }] },
    { code: "const ok = cipherSuite === 0x1301 || namedGroup === 29;", errors: [{ messageId: "compare" }, { messageId: "compare" }] },
    { code: "switch (innerType) { case 21: break; case 22: break; }", errors: [{ messageId: "caseLabel" }, { messageId: "caseLabel" }] },
    { code: "if (exts.has(23)) f();", errors: [{ messageId: "lookup" }] },
    { code: "if (offeredVersions.includes(0x0304)) f();", errors: [{ messageId: "lookup" }] },
    { code: "const e = extensionTypes.get(43);", errors: [{ messageId: "lookup" }] },
    { code: "if ([29, 23, 24].includes(group)) f();", errors: [{ messageId: "lookup" }, { messageId: "lookup" }, { messageId: "lookup" }] },
  ],
});

test("a name's words: camelCase and snake_case", () => {
  assert.deepEqual(nameWords("contentType"), ["content", "type"]);
  assert.deepEqual(nameWords("cipher_suite"), ["cipher", "suite"]);
  assert.deepEqual(nameWords("offeredVersions"), ["offered", "versions"]);
  assert.deepEqual(nameWords("length"), ["length"]);
});

test("the project's lint config: `type === 20` is an error in a folder that is done, `ContentType.alert` is not", async () => {
  const eslint = new ESLint({ cwd: root });
  const file = path.join(root, "src/inspect/example.ts");
  const [raw] = await eslint.lintText("export const isCcs = (type: number): boolean => type === 20;\n", { filePath: file });
  const hits = raw.messages.filter((m) => m.ruleId === "project/codepoints");
  assert.equal(hits.length, 1, JSON.stringify(raw.messages));
  assert.equal(hits[0].severity, 2);
  assert.match(hits[0].message, /raw code point 20 compared with `type`/);
  const [named] = await eslint.lintText(
    'import { ContentType } from "../tls/registry";\nexport const isAlert = (type: number): boolean => type === ContentType.alert;\n',
    { filePath: file },
  );
  assert.deepEqual(
    named.messages.filter((m) => m.ruleId === "project/codepoints"),
    [],
  );
});
