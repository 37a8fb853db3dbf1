/** `simulate`, `connect` and `serve` as a user runs them (through src/cli/main.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { freePort, waitListening } from "../../../support/ports";
import { requireTool } from "../../../support/require";

const root = path.resolve(__dirname, "../../../..");
const CERTS = path.resolve(root, "../shared/fixtures/certs");
const main = path.join(root, "src/cli/main.ts");
// The real peers: a missing one fails the file with the package to install (never a silent skip).
requireTool("openssl", ["version"]);
requireTool("curl", ["--version"]);

// Plain text whatever the terminal: `node --test` started from one sets FORCE_COLOR=1 for its test files.
const env = { ...process.env, FORCE_COLOR: "0" };

function cli(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", main, ...args], { cwd: root, encoding: "utf8", timeout: 60_000, maxBuffer: 1 << 28, env });
}

test("simulate: human output, --json document and exit codes", () => {
  const r = cli(["simulate", "--version", "1.2", "--kx", "DHE", "--seed", "cli"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ServerKeyExchange/);
  assert.match(r.stdout, /✓ server Finished verify_data/);
  const j = cli([
    "simulate",
    "--version",
    "1.3",
    "--hrr",
    "--group",
    "p256",
    "--suite",
    "TLS_AES_256_GCM_SHA384",
    "--sig",
    "rsa_pss_rsae_sha256",
    "--seed",
    "cli",
    "--json",
  ]);
  assert.equal(j.status, 0, j.stderr);
  const doc = JSON.parse(j.stdout);
  assert.equal(doc.schema, 1);
  assert.equal(doc.input.format, "simulated");
  assert.equal(doc.connections.length, 1);
  assert.equal(doc.connections[0].cipherSuite, 0x1302);
  assert.ok(doc.connections[0].messages.some((m: { name: string }) => m.name === "HelloRetryRequest"));
  assert.ok(
    doc.connections[0].messages
      .filter((m: { name: string }) => m.name === "Finished")
      .every((m: { fields: { verified: boolean } }) => m.fields.verified === true),
  );
  assert.ok(doc.steps.some((s: { kind: string }) => s.kind === "secret"));
  assert.equal(cli(["simulate", "--seed", "cli", "--json"]).stdout, cli(["simulate", "--seed", "cli", "--json"]).stdout);
  const bad = cli(["simulate", "--version", "1.4"]);
  assert.equal(bad.status, 2);
  const plain = JSON.parse(cli(["simulate", "--seed", "cli", "--json"]).stdout);
  const ee = plain.steps.find((s: { title: string }) => s.title === "EncryptedExtensions");
  const tamper = cli(["simulate", "--seed", "cli", "--tamper", `${ee.index}:10`]);
  assert.equal(tamper.status, 1);
  assert.match(tamper.stdout, /✗ record protection \(integrity\)/);
  assert.equal(cli(["simulate", "--seed", "cli", "--tamper", "0:0"]).status, 2);
});

test("simulate --transcript is decrypted by inspect (an independent decryptor)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sim-"));
  try {
    for (const args of [
      ["--version", "1.3"],
      ["--version", "1.2", "--suite", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"],
      ["--version", "1.2", "--kx", "RSA"],
    ]) {
      const t = cli(["simulate", "--seed", "tr", ...args, "--transcript"]);
      assert.equal(t.status, 0, t.stderr);
      const file = path.join(dir, "sim.tlstrace");
      fs.writeFileSync(file, t.stdout);
      const i = cli(["inspect", file, "--json"]);
      assert.equal(i.status, 0, i.stderr);
      const c = JSON.parse(i.stdout).connections[0];
      assert.equal(c.decrypted, true, JSON.stringify(args));
      const fin = c.messages.filter((m: { name: string }) => m.name === "Finished");
      assert.equal(fin.length, 2);
      for (const f of fin) assert.equal(f.fields.verified, true, JSON.stringify(args));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("connect --json against openssl s_server", { timeout: 60000 }, async () => {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "conn-"));
  try {
    child = spawn(
      "openssl",
      ["s_server", "-accept", `127.0.0.1:${port}`, "-www", "-cert", path.join(CERTS, "server-ecdsa.pem"), "-key", path.join(CERTS, "server-ecdsa.key")],
      { stdio: "ignore" },
    );
    await waitListening(port, child, 10000);
    const keylog = path.join(dir, "keys.log");
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const c = spawn(
        process.execPath,
        ["--import", "tsx", main, "connect", `127.0.0.1:${port}`, "--ca", path.join(CERTS, "ca.pem"), "--keylog-out", keylog, "--json"],
        { cwd: root },
      );
      let out = "";
      c.stdout.on("data", (d) => (out += d));
      const timer = setTimeout(() => c.pid && c.exitCode === null && process.kill(c.pid, "SIGKILL"), 30000);
      c.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
    assert.equal(r.code, 0, r.out);
    const doc = JSON.parse(r.out);
    assert.equal(doc.input.format, "live");
    assert.equal(doc.connections.length, 1);
    assert.match(doc.appData.firstLine, /^HTTP\/1\.0 200/);
    assert.ok(doc.appData.sent > 0 && doc.appData.received > 0);
    assert.ok(
      doc.connections[0].messages
        .filter((m: { name: string }) => m.name === "Finished")
        .every((m: { fields: { verified: boolean } }) => m.fields.verified === true),
    );
    assert.match(fs.readFileSync(keylog, "utf8"), /^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]{64}$/m);
  } finally {
    if (child?.pid && child.exitCode === null) process.kill(child.pid, "SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("serve --json --max-connections answers curl -k and exits", { timeout: 60000 }, async () => {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", main, "serve", "--port", String(port), "--json", "--max-connections", "1"], { cwd: root });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  try {
    // Readiness is read from /proc (the socket is the child's), so curl's is the only connection.
    await waitListening(port, child, 10000);
    const c = spawnSync("curl", ["-sk", "--max-time", "10", `https://127.0.0.1:${port}/`], { encoding: "utf8", timeout: 15000 });
    assert.match(c.stdout, /hello from tls-handshake-explorer/);
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r("timeout"), 15000))]);
    assert.equal(code, 0);
    const docs = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.equal(docs.length, 1);
    const ok = docs[0];
    assert.equal(ok.input.format, "live");
    assert.equal(ok.appData.firstLine, "GET / HTTP/1.1");
    assert.equal(ok.connections[0].version, 0x0304);
  } finally {
    if (child.pid && child.exitCode === null) process.kill(child.pid, "SIGTERM");
  }
});
