/**
 * The named-code-point rule (README "How it is built"): TLS code points are written as the registries' named
 * constants (`src/tls/registry/`: `ContentType.alert`, `HandshakeType.finished`, `ExtensionType.key_share`), never as
 * numbers (`type === 21`, `case 20:`, `exts.has(23)`), so a reader sees which value is meant and a search for a
 * code point finds every use.
 *
 * A heuristic, not a type check: it flags a numeric literal that is compared with (`===`, `!==`, `<`, …), used as a
 * `case` label of, or looked up by (`.has`, `.get`, `.includes`, `.indexOf`) an expression whose name says it holds a
 * code point — a word of the name (camelCase or snake_case) is one of `CODE_POINT_WORDS` below (`m.type`,
 * `contentType`, `negotiated.version`, `cipherSuite`, `namedGroup`, `alert.level`, `extensions`, …). Numbers
 * compared with other names (lengths, counters, offsets, bytes) are left alone. Where a matching name holds
 * something that is not a TLS code point (an IP version, an ASN.1 tag), give the number a name of its own.
 */

/** Words of a name that say it holds a code point of a TLS registry. */
export const CODE_POINT_WORDS = new Set([
  "type",
  "types",
  "version",
  "versions",
  "suite",
  "suites",
  "cipher",
  "group",
  "groups",
  "curve",
  "scheme",
  "schemes",
  "sigalg",
  "sigalgs",
  "alert",
  "alerts",
  "description",
  "desc",
  "level",
  "extension",
  "extensions",
  "ext",
  "exts",
  "mode",
  "modes",
  "format",
  "formats",
  "compression",
  "method",
  "algorithm",
]);

const EQUALITY = new Set(["===", "!==", "==", "!=", "<", "<=", ">", ">="]);
const LOOKUPS = new Set(["has", "get", "includes", "indexOf"]);

/** `contentType` → content, type; `cipher_suite` → cipher, suite; `TLS13` → tls13. */
export function nameWords(name) {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[\s_$]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * The names an expression is known by: an identifier's, a member's property (`m.type`, `s?.version`), through `!`,
 * `as`, parentheses and both sides of `??` / `||` (`(b.innerType ?? b.record?.type)`).
 */
function namesOf(node) {
  switch (node?.type) {
    case "Identifier":
      return [node.name];
    case "PrivateIdentifier":
      return [node.name];
    case "MemberExpression":
      return node.computed
        ? node.property.type === "Literal" && typeof node.property.value === "string"
          ? [node.property.value]
          : []
        : namesOf(node.property);
    case "ChainExpression":
    case "TSNonNullExpression":
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSTypeAssertion":
      return namesOf(node.expression);
    case "LogicalExpression":
      return [...namesOf(node.left), ...namesOf(node.right)];
    default:
      return [];
  }
}

/** The first name of `node` that says it holds a code point, or undefined. */
export function codePointName(node) {
  return namesOf(node).find((n) => nameWords(n).some((w) => CODE_POINT_WORDS.has(w)));
}

const isNumber = (node) => node?.type === "Literal" && typeof node.value === "number";

/** @type {import("eslint").Rule.RuleModule} */
export const codePointsRule = {
  meta: {
    type: "suggestion",
    docs: { description: "TLS code points are the registries' named constants (src/tls/registry), not numeric literals" },
    schema: [],
    messages: {
      compare: "raw code point {{value}} compared with `{{name}}`: use the registry's named constant (src/tls/registry)",
      caseLabel: "raw code point `case {{value}}:` in a switch on `{{name}}`: use the registry's named constant (src/tls/registry)",
      lookup: "raw code point {{value}} in `.{{method}}()` with `{{name}}`: use the registry's named constant (src/tls/registry)",
    },
  },
  create(context) {
    const text = (node) => context.sourceCode.getText(node);
    return {
      BinaryExpression(node) {
        if (!EQUALITY.has(node.operator)) return;
        for (const [lit, other] of [
          [node.left, node.right],
          [node.right, node.left],
        ]) {
          if (!isNumber(lit) || isNumber(other)) continue;
          const name = codePointName(other);
          if (name) context.report({ node: lit, messageId: "compare", data: { value: text(lit), name } });
        }
      },
      SwitchStatement(node) {
        const name = codePointName(node.discriminant);
        if (!name) return;
        for (const c of node.cases) if (isNumber(c.test)) context.report({ node: c.test, messageId: "caseLabel", data: { value: text(c.test), name } });
      },
      CallExpression(node) {
        const callee = node.callee.type === "ChainExpression" ? node.callee.expression : node.callee;
        if (callee.type !== "MemberExpression" || callee.computed || callee.property.type !== "Identifier") return;
        const method = callee.property.name;
        if (!LOOKUPS.has(method)) return;
        const arg = node.arguments[0];
        if (!arg) return;
        // `exts.has(23)`, `suites.includes(0x1301)`: a numeric key looked up in a collection of code points.
        if (isNumber(arg)) {
          const name = codePointName(callee.object);
          if (name) context.report({ node: arg, messageId: "lookup", data: { value: text(arg), method, name } });
          return;
        }
        // `[29, 23, 24].includes(group)`: a code point looked up in a list of numbers.
        if (callee.object.type === "ArrayExpression" && (method === "includes" || method === "indexOf")) {
          const name = codePointName(arg);
          if (!name) return;
          for (const el of callee.object.elements) if (isNumber(el)) context.report({ node: el, messageId: "lookup", data: { value: text(el), method, name } });
        }
      },
    };
  },
};
