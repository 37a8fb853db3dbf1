/**
 * JA4 from its inputs: the worked example and the ALPN examples of FoxIO's specification (technical_details/JA4.md,
 * whose values were computed by its authors), and the edge rules it states (GREASE ignored everywhere, counts
 * capped at 99, twelve zeros for an empty list, no `_` without signature algorithms).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ja4, type Ja4Input } from "../../../src/tls/fingerprint/ja4";

// The specification's example ClientHello (its "Example" and "Raw Output" sections), in wire order.
const SPEC_SUITES = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035];
const SPEC_EXTENSIONS = [0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015];
const SPEC_SIGALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

const h2 = new TextEncoder().encode("h2");

function input(over: Partial<Ja4Input> = {}): Ja4Input {
  return {
    transport: "tcp",
    legacyVersion: 0x0303,
    cipherSuites: SPEC_SUITES,
    extensions: SPEC_EXTENSIONS,
    supportedVersions: [0x0304, 0x0303],
    signatureAlgorithms: SPEC_SIGALGS,
    alpnFirst: h2,
    ...over,
  };
}

test("the specification's example: JA4 and JA4_r", () => {
  const r = ja4(input());
  assert.equal(r.ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
  assert.equal(
    r.ja4_r,
    "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601",
  );
  assert.equal(r.a.cipherCount, 15);
  assert.equal(r.a.extensionCount, 16);
});

test("without signature algorithms the extension list is hashed alone (the specification's 6d807ffa2a79)", () => {
  const r = ja4(input({ signatureAlgorithms: [] }));
  assert.equal(r.c.text, "6d807ffa2a79");
  assert.ok(!r.ja4_r.endsWith("_"), "no trailing underscore");
});

test("GREASE is ignored in every list, and the order of the lists does not matter", () => {
  const grease = ja4(
    input({
      cipherSuites: [0x3a3a, ...SPEC_SUITES].reverse(),
      extensions: [0xdada, ...SPEC_EXTENSIONS, 0x1a1a].reverse(),
      supportedVersions: [0xaaaa, 0x0304, 0x0303],
      signatureAlgorithms: [0x0a0a, ...SPEC_SIGALGS],
    }),
  );
  assert.equal(grease.ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
});

test("version: highest supported_versions entry; legacy_version without the extension; unknown is 00", () => {
  assert.equal(ja4(input({ supportedVersions: [0x0303, 0x0304] })).a.text.slice(1, 3), "13");
  assert.equal(ja4(input({ supportedVersions: null, legacyVersion: 0x0301 })).a.text.slice(1, 3), "10");
  assert.equal(ja4(input({ supportedVersions: null, legacyVersion: 0x0300 })).a.text.slice(1, 3), "s3");
  assert.equal(ja4(input({ supportedVersions: [0x7f1c] })).a.text.slice(1, 3), "00");
});

test("transport and SNI markers", () => {
  assert.equal(ja4(input({ transport: "quic" })).a.text[0], "q");
  assert.equal(ja4(input({ extensions: SPEC_EXTENSIONS.filter((e) => e !== 0) })).a.text.slice(0, 4), "t13i");
});

test("ALPN: the specification's examples", () => {
  const code = (bytes: number[] | null) => ja4(input({ alpnFirst: bytes && Uint8Array.from(bytes) })).a.alpn.code;
  assert.equal(code([...new TextEncoder().encode("http/1.1")]), "h1");
  assert.equal(code(null), "00");
  assert.equal(code([]), "00");
  assert.equal(code([0x68]), "hh", "a one-character name is both first and last");
  assert.equal(code([0xab]), "ab");
  assert.equal(code([0x20]), "20");
  assert.equal(code([0xab, 0xcd]), "ad");
  assert.equal(code([0x20, 0x61]), "21");
  assert.equal(code([0x30, 0xab]), "3b");
  assert.equal(code([0x61, 0x20]), "60");
  assert.equal(code([0x30, 0x31, 0xab, 0xcd]), "3d");
  assert.equal(code([0x30, 0xab, 0xcd, 0x31]), "01");
});

test("empty lists hash to twelve zeros; counts cap at 99", () => {
  const r = ja4(input({ cipherSuites: [], extensions: [0x0000, 0x0010], signatureAlgorithms: [] }));
  assert.equal(r.ja4, "t13d0002h2_000000000000_000000000000");
  const many = Array.from({ length: 150 }, (_, i) => 0x0100 + i);
  assert.equal(ja4(input({ cipherSuites: many, extensions: many })).a.text.slice(4, 8), "9999");
});
