/**
 * JA4 against FoxIO's own outputs: their test captures with the values their Rust and Python tools publish
 * (test/fixtures/ja4/expected.json), and this project's shared fixtures with the values FoxIO's Python tool
 * computed for them (test/fixtures/ja4/shared-fixtures.ja4py.json). How both files were made: its README.md.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { inspectFile } from "../../../src/inspect/inspect";
import type { ConnectionModel } from "../../../src/model";

const here = path.resolve(__dirname, "../../fixtures/ja4");
const shared = path.resolve(__dirname, "../../../../shared/fixtures");

interface Expected {
  transport: "tcp" | "udp";
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  rust?: string;
  python?: string;
  python_r?: string;
}

/**
 * Where this file follows FoxIO's specification and both reference tools do not: the first ALPN name of this
 * capture is 0xba 0xad, which the specification codes by its hex digits ("bd") and both tools as "99" (their
 * replacement for a non-ASCII character). See test/fixtures/ja4/README.md.
 */
const SPEC_OVER_REFERENCE: Record<string, string> = {
  "tls-non-ascii-alpn.pcapng 192.168.1.168:50112": "t13d1516bd_8daaf6152771_e5627efa2ab1",
};

const key = (c: { client: { ip: string; port: number } }) => `${c.client.ip}:${c.client.port}`;

test("JA4 of FoxIO's test captures equals FoxIO's published outputs", () => {
  const doc = JSON.parse(fs.readFileSync(path.join(here, "expected.json"), "utf8")) as { captures: Record<string, Expected[]> };
  let matched = 0;
  for (const [name, rows] of Object.entries(doc.captures)) {
    const model = inspectFile(path.join(here, "pcap", name), { detail: "summary" });
    const byClient = new Map<string, ConnectionModel>();
    for (const c of model.connections) if (c.ja4 !== null) byClient.set(key(c), c);
    for (const e of rows) {
      const where = `${name} ${key(e)}`;
      // The two tools agree wherever both report (checked when the file was made); Rust alone covers QUIC.
      if (e.rust && e.python) assert.equal(e.rust, e.python, `${where}: the references disagree`);
      const want = SPEC_OVER_REFERENCE[where] ?? e.rust ?? e.python!;
      const got = byClient.get(key(e));
      // TLS after an HTTP CONNECT or SOCKS preamble (https-connect.pcap, socks-https-example.pcap) included.
      assert.ok(got, `${where}: no JA4, expected ${want}`);
      assert.equal(got.ja4, want, where);
      if (e.python_r && !SPEC_OVER_REFERENCE[where]) assert.equal(got.ja4_r, e.python_r, `${where} (raw)`);
      assert.equal(got.server.ip, e.server.ip, where);
      matched++;
      byClient.delete(key(e));
    }
    // A fingerprint the references do not have is a ClientHello they did not see (or we invented).
    assert.deepEqual([...byClient.keys()], [], `${name}: JA4 for connections FoxIO's tools do not fingerprint`);
  }
  assert.ok(matched >= 151, `only ${matched} fingerprints compared`);
});

test("JA4 of the shared fixtures equals FoxIO's Python tool's, in --json and --summary detail", () => {
  assert.ok(fs.existsSync(shared), `${shared} is missing: these tests need ../shared (see README)`);
  const doc = JSON.parse(fs.readFileSync(path.join(here, "shared-fixtures.ja4py.json"), "utf8")) as {
    captures: Record<string, { client: { ip: string; port: number }; ja4: string; ja4_r: string }[]>;
  };
  let n = 0;
  for (const [name, rows] of Object.entries(doc.captures)) {
    for (const detail of ["summary", "fields"] as const) {
      const model = inspectFile(path.join(shared, name), { detail });
      assert.equal(model.connections.length, rows.length, `${name}: connections`);
      const byClient = new Map(model.connections.map((c) => [key(c), c]));
      for (const e of rows) {
        const c = byClient.get(key(e));
        assert.ok(c, `${name} ${key(e)}: no connection`);
        assert.equal(c.ja4, e.ja4, `${name} ${key(e)} (${detail})`);
        assert.equal(c.ja4_r, e.ja4_r, `${name} ${key(e)} (${detail}, raw)`);
        n++;
      }
    }
  }
  assert.equal(n, 2 * 41);
});

test("a real Chromium 156: JA4 equals FoxIO's tool on both connections, whose extension orders differ", () => {
  const dir = path.resolve(__dirname, "../../fixtures/chromium");
  const want = JSON.parse(fs.readFileSync(path.join(dir, "chromium156-openssl-s_server.ja4py.json"), "utf8")) as {
    connections: { srcport: string; "JA4.1": string; "JA4_r.1": string; "JA4_ro.1": string }[];
  };
  const model = inspectFile(path.join(dir, "chromium156-openssl-s_server.pcap"), { detail: "fields" });
  assert.equal(model.connections.length, 2);
  for (const c of model.connections) {
    const e = want.connections.find((x) => Number(x.srcport) === c.client.port)!;
    assert.equal(c.ja4, e["JA4.1"]);
    assert.equal(c.ja4_r, e["JA4_r.1"]);
  }
  // The point of sorting: the wire orders (JA4_ro) differ, the fingerprint does not.
  assert.notEqual(want.connections[0]["JA4_ro.1"], want.connections[1]["JA4_ro.1"]);
  assert.equal(model.connections[0].ja4, model.connections[1].ja4);
});

test("the field tree of a ClientHello ends with a JA4 node: three parts, each over the bytes it reads", () => {
  const model = inspectFile(path.join(shared, "tls13-ecdsa-chacha20-alpn.pcap"), { detail: "full" });
  const hello = model.connections[0].messages[0];
  const node = hello.tree!.children!.at(-1)!;
  assert.equal(node.name, "JA4");
  assert.equal(node.display, model.connections[0].ja4);
  assert.deepEqual(
    node.children!.map((c) => c.name),
    ["JA4_a", "JA4_b", "JA4_c", "JA4_r"],
  );
  const suites = hello.tree!.children!.find((c) => c.name === "cipher_suites")!;
  const b = node.children![1];
  assert.deepEqual([b.start, b.end], [suites.start, suites.end], "JA4_b covers cipher_suites");
  const a = node.children![0];
  assert.deepEqual(
    a.children!.map((c) => c.name),
    ["transport", "version", "sni", "cipher_count", "extension_count", "alpn"],
  );
  const alpn = a.children!.at(-1)!;
  assert.match(alpn.display, /^h2: /);
  assert.ok(alpn.end - alpn.start < 30, "the ALPN part covers the ALPN extension, not the message");
});
