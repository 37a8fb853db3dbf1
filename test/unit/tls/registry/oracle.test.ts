/**
 * Every code point the fixture oracles (tshark's `*.tshark.json`, made from real OpenSSL / GnuTLS / Node handshakes)
 * contain must have a registry name or be GREASE, and every message name tshark's oracle gives must equal
 * handshakeName(type).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import {
  alertDescriptions,
  alertLevels,
  cipherSuites,
  compressionMethods,
  contentTypes,
  extensionTypes,
  handshakeName,
  namedGroups,
  pskKeyExchangeModes,
  signatureSchemes,
  clientCertificateTypes,
  ecCurveTypes,
  versionName,
  type OpenEnum,
} from "../../../../src/tls/registry";

const FIXTURES = path.resolve(__dirname, "../../../../../shared/fixtures");

interface Message {
  type: number;
  name: string;
  fields: Record<string, unknown>;
}
interface Stream {
  version: number | null;
  cipherSuite: number | null;
  messages: Message[];
  records?: { type: number; innerType?: number; version: number }[];
  alerts?: { level: number | null; description: number | null }[];
}
interface Oracle {
  streams: Stream[];
}

function oracles(): [string, Oracle][] {
  return fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".tshark.json"))
    .sort()
    .map((f) => [f, JSON.parse(fs.readFileSync(path.join(FIXTURES, f), "utf8")) as Oracle]);
}

/** Which registry names each oracle field. */
const FIELD_REGISTRY: Record<string, OpenEnum> = {
  cipherSuites,
  cipherSuite: cipherSuites,
  extensions: extensionTypes,
  supportedGroups: namedGroups,
  keyShareGroups: namedGroups,
  keyShareGroup: namedGroups,
  namedGroup: namedGroups,
  signatureAlgorithms: signatureSchemes,
  signatureAlgorithm: signatureSchemes,
  compressionMethods,
  compressionMethod: compressionMethods,
  pskKeyExchangeModes,
  certificateTypes: clientCertificateTypes,
  curveType: ecCurveTypes,
};

const named = (reg: OpenEnum, v: number) => reg.has(v) || reg.isGrease(v);

test("fixture oracles exist", () => {
  assert.ok(oracles().length >= 15);
});

test("every code point in the oracles has a registry name or is GREASE", () => {
  const seen: Record<string, Set<number>> = {};
  for (const [file, o] of oracles()) {
    for (const s of o.streams) {
      if (s.cipherSuite !== null) assert.ok(cipherSuites.has(s.cipherSuite), `${file}: suite ${s.cipherSuite}`);
      if (s.version !== null) assert.notEqual(versionName(s.version), "unknown", `${file}: version ${s.version}`);
      for (const m of s.messages) {
        for (const [field, value] of Object.entries(m.fields)) {
          const reg = FIELD_REGISTRY[field];
          if (!reg) continue;
          const values = Array.isArray(value) ? value : [value];
          for (const v of values) {
            if (typeof v !== "number") continue;
            (seen[field] ??= new Set()).add(v);
            assert.ok(named(reg, v), `${file}: ${m.name}.${field} = 0x${v.toString(16)} has no name in ${reg.title}`);
          }
        }
        for (const field of ["supportedVersions", "selectedVersion", "legacyVersion"]) {
          const value = m.fields[field];
          for (const v of Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]) {
            assert.notEqual(versionName(v as number), "unknown", `${file}: ${field} ${v}`);
          }
        }
      }
      for (const r of s.records ?? []) {
        (seen.recordType ??= new Set()).add(r.type);
        assert.ok(contentTypes.has(r.type), `${file}: record type ${r.type}`);
        if (r.innerType !== undefined) assert.ok(contentTypes.has(r.innerType), `${file}: inner type ${r.innerType}`);
        assert.notEqual(versionName(r.version), "unknown", `${file}: record version ${r.version}`);
      }
      for (const a of s.alerts ?? []) {
        if (a.level !== null) assert.ok(alertLevels.has(a.level), `${file}: alert level ${a.level}`);
        if (a.description !== null) {
          (seen.alert ??= new Set()).add(a.description);
          assert.ok(alertDescriptions.has(a.description), `${file}: alert ${a.description}`);
        }
      }
    }
  }
  // The check above must actually have covered the interesting fields.
  for (const f of ["cipherSuites", "extensions", "supportedGroups", "signatureAlgorithms", "cipherSuite", "recordType", "alert"]) {
    assert.ok((seen[f]?.size ?? 0) > 0, `no ${f} values seen in the oracles`);
  }
});

test("every tshark message name equals handshakeName(type)", () => {
  let n = 0;
  for (const [file, o] of oracles()) {
    for (const s of o.streams) {
      for (const m of s.messages) {
        // The oracle names a ServerHello carrying the HRR random "HelloRetryRequest" (RFC 8446 §4.1.3); the decoder
        // does that from the random, not from the type.
        if (m.name === "HelloRetryRequest") {
          assert.equal(m.type, 2);
          continue;
        }
        assert.equal(handshakeName(m.type), m.name, `${file}: type ${m.type}`);
        n++;
      }
    }
  }
  assert.ok(n > 100);
});

test("handshakeName agrees with the oracle tool's own name table (tools/oracle.py HS_NAMES)", () => {
  const src = fs.readFileSync(path.join(FIXTURES, "tools/oracle.py"), "utf8");
  const m = /HS_NAMES = (\{[^}]*\})/.exec(src);
  assert.ok(m, "HS_NAMES not found in oracle.py");
  let table: Record<string, string>;
  try {
    const py = `import ast, json, sys; print(json.dumps(ast.literal_eval(sys.stdin.read())))`;
    table = JSON.parse(execFileSync("python3", ["-c", py], { input: m[1], timeout: 30_000 }).toString());
  } catch {
    assert.fail("python3 is not available (Debian package python3; .ci/run installs it)");
  }
  assert.ok(Object.keys(table).length >= 15);
  for (const [type, name] of Object.entries(table)) assert.equal(handshakeName(Number(type)), name, `type ${type}`);
  assert.equal(handshakeName(6), "HelloRetryRequest");
  assert.equal(handshakeName(7), "unknown");
  assert.equal(handshakeName(255), "unknown");
});
