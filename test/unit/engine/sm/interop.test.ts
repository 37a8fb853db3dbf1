/**
 * Interop on 127.0.0.1 with real peers: the engine's client against `openssl s_server -www`, the engine's server
 * against `openssl s_client` and `curl -k`. Every peer process is killed by pid in `finally`; every wait is bounded.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as net from "node:net";
import path from "node:path";
import { connect, type ConnectOptions } from "../../../../src/engine/connect";
import { serve, type ServedConnection } from "../../../../src/engine/serve";
import { toPem } from "../../../../src/engine/pem";
import { freePort, waitListening } from "../../../support/ports";
import { requireTool, sharedPath } from "../../../support/require";

const CERTS = sharedPath("fixtures", "certs");
const CA = readFileSync(path.join(CERTS, "ca.pem"), "utf8");
const RSA = ["-cert", path.join(CERTS, "server-rsa.pem"), "-key", path.join(CERTS, "server-rsa.key")];
const EC = ["-cert", path.join(CERTS, "server-ecdsa.pem"), "-key", path.join(CERTS, "server-ecdsa.key")];
// The real peers: a missing one fails the file with the package to install (never a silent skip).
requireTool("openssl", ["version"]);
requireTool("curl", ["--version"]);

async function connectOk(port: number, o: Partial<ConnectOptions>) {
  const r = await connect({ host: "127.0.0.1", port, ca: CA, timeoutMs: 8000, ...o });
  const failed = r.steps.filter((s) => s.kind === "check" && !s.ok).map((s) => (s.kind === "check" ? `${s.title}: ${s.detail}` : ""));
  assert.ok(r.ok, `${r.error} ${failed.join(" | ")}`);
  const fin = r.connection.messages.filter((m) => m.name === "Finished");
  assert.equal(fin.length, 2);
  assert.ok(fin.every((m) => m.verified === true));
  assert.ok(r.steps.some((s) => s.kind === "check" && s.title === "server Finished verify_data" && s.ok));
  assert.match(r.appData.firstLine ?? "", /^HTTP\/1\.[01] 200/);
  assert.equal(r.connection.decrypted, true);
  return r;
}

const cases: { name: string; server: string[]; client: Partial<ConnectOptions>; check?: (r: Awaited<ReturnType<typeof connectOk>>) => void }[] = [
  { name: "TLS 1.3 X25519", server: [...RSA, "-tls1_3"], client: { version: "1.3" }, check: (r) => assert.equal(r.connection.cipherSuite, 0x1301) },
  {
    name: "TLS 1.3 P-256 via HelloRetryRequest",
    server: [...RSA, "-tls1_3", "-groups", "P-256"],
    client: { version: "1.3" },
    check: (r) => {
      assert.deepEqual(
        r.connection.messages.slice(0, 3).map((m) => m.name),
        ["ClientHello", "HelloRetryRequest", "ClientHello"],
      );
      assert.equal(r.connection.messages.find((m) => m.name === "ServerHello")!.fields!.keyShareGroup, 23);
    },
  },
  {
    name: "TLS 1.3 P-384 AES-256-GCM",
    server: [...EC, "-tls1_3", "-groups", "P-384", "-ciphersuites", "TLS_AES_256_GCM_SHA384"],
    client: { version: "1.3", group: 24, cipher: 0x1302 },
    check: (r) => assert.equal(r.connection.cipherSuite, 0x1302),
  },
  {
    name: "TLS 1.3 ChaCha20-Poly1305",
    server: [...RSA, "-tls1_3", "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"],
    client: { version: "1.3" },
    check: (r) => assert.equal(r.connection.cipherSuite, 0x1303),
  },
  {
    name: "TLS 1.2 ECDHE-RSA AES-GCM",
    server: [...RSA, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"],
    client: { version: "1.2" },
    check: (r) => assert.equal(r.connection.cipherSuite, 0xc02f),
  },
  {
    name: "TLS 1.2 ECDHE-ECDSA AES-GCM",
    server: [...EC, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES256-GCM-SHA384"],
    client: { version: "1.2" },
    check: (r) => assert.equal(r.connection.cipherSuite, 0xc02c),
  },
  {
    name: "TLS 1.2 ECDHE-RSA-AES128-SHA (CBC)",
    server: [...RSA, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA"],
    client: { version: "1.2" },
    check: (r) => assert.equal(r.connection.cipherSuite, 0xc013),
  },
  {
    name: "TLS 1.2 ECDHE-RSA-AES128-SHA without encrypt_then_mac",
    server: [...RSA, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA", "-no_etm"],
    client: { version: "1.2" },
  },
  {
    name: "TLS 1.2 DHE-RSA",
    server: [...RSA, "-tls1_2", "-cipher", "DHE-RSA-AES128-GCM-SHA256", "-dhparam", path.join(CERTS, "dhparams.pem")],
    client: { version: "1.2" },
    check: (r) => assert.equal(r.connection.cipherSuite, 0x009e),
  },
  {
    name: "TLS 1.2 RSA key transport AES128-SHA256",
    server: [...RSA, "-tls1_2", "-cipher", "AES128-SHA256"],
    client: { version: "1.2" },
    check: (r) => assert.equal(r.connection.cipherSuite, 0x003c),
  },
];

for (const c of cases) {
  test(`connect ↔ openssl s_server: ${c.name}`, { timeout: 30000 }, async () => {
    const port = await freePort();
    let child: ChildProcess | undefined;
    try {
      child = spawn("openssl", ["s_server", "-accept", `127.0.0.1:${port}`, "-www", ...c.server], { stdio: ["ignore", "ignore", "pipe"] });
      await waitListening(port, child);
      const r = await connectOk(port, c.client);
      c.check?.(r);
    } finally {
      if (child?.pid && child.exitCode === null) process.kill(child.pid, "SIGTERM");
    }
  });
}

test("connect: an unknown CA fails the chain check visibly", { timeout: 30000 }, async () => {
  const port = await freePort();
  let child: ChildProcess | undefined;
  try {
    child = spawn("openssl", ["s_server", "-accept", `127.0.0.1:${port}`, "-www", ...RSA], { stdio: ["ignore", "ignore", "pipe"] });
    await waitListening(port, child);
    const other = readFileSync(path.join(CERTS, "untrusted.pem"), "utf8");
    const r = await connect({ host: "127.0.0.1", port, ca: other, timeoutMs: 8000 });
    assert.equal(r.ok, false);
    assert.ok(r.steps.some((s) => s.kind === "check" && !s.ok && /trust anchor|issuer/.test(s.title)));
    const lines: string[] = [];
    const insecure = await connect({ host: "127.0.0.1", port, insecure: true, timeoutMs: 8000, keylogOut: (l) => lines.push(l) });
    assert.ok(insecure.ok);
    assert.ok(lines.some((l) => l.startsWith("CLIENT_HANDSHAKE_TRAFFIC_SECRET ") || l.startsWith("CLIENT_RANDOM ")));
  } finally {
    if (child?.pid && child.exitCode === null) process.kill(child.pid, "SIGTERM");
  }
});

test("connect: a closed port and a silent server end with an error, not a hang", { timeout: 20000 }, async () => {
  const port = await freePort();
  const r = await connect({ host: "127.0.0.1", port, timeoutMs: 3000, insecure: true });
  assert.equal(r.ok, false);
  const silent = net.createServer(() => {});
  await new Promise<void>((res) => silent.listen(0, "127.0.0.1", () => res()));
  try {
    const t = Date.now();
    const s = await connect({ host: "127.0.0.1", port: (silent.address() as net.AddressInfo).port, timeoutMs: 500, insecure: true });
    assert.equal(s.ok, false);
    assert.ok(Date.now() - t < 5000);
  } finally {
    silent.close();
  }
});

function run(cmd: string, args: string[], input: string, ms: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, "SIGKILL"), ms);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
    child.stdin.end(input);
  });
}

test("serve ↔ openssl s_client -tls1_3 / -tls1_2 and curl -k", { timeout: 60000 }, async () => {
  const seen: ServedConnection[] = [];
  const srv = await serve({ port: 0, onConnection: (c) => seen.push(c) });
  try {
    const req = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    // s_client verifies the served chain against the generated root (and fails the handshake if it does not).
    const dir = mkdtempSync(path.join(tmpdir(), "serve-"));
    const root = path.join(dir, "root.pem");
    writeFileSync(root, toPem(srv.pki.root.der));
    try {
      for (const v of ["-tls1_3", "-tls1_2"]) {
        const r = await run(
          "openssl",
          [
            "s_client",
            "-connect",
            `127.0.0.1:${srv.port}`,
            v,
            "-ign_eof",
            "-quiet",
            "-CAfile",
            root,
            "-verify_return_error",
            "-verify_hostname",
            "localhost",
            "-servername",
            "localhost",
          ],
          req,
          15000,
        );
        assert.match(r.out, /HTTP\/1\.1 200 OK/, r.out);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    {
      const c = await run("curl", ["-sk", "--max-time", "10", `https://127.0.0.1:${srv.port}/`], "", 15000);
      assert.match(c.out, /hello from tls-handshake-explorer: TLS 1\.3/);
      const c12 = await run("curl", ["-sk", "--max-time", "10", "--tls-max", "1.2", `https://127.0.0.1:${srv.port}/`], "", 15000);
      assert.match(c12.out, /TLS 1\.2/);
    }
    const deadline = Date.now() + 5000;
    while (seen.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(seen.length, 4);
    for (const s of seen) {
      assert.ok(s.ok, s.error);
      assert.equal(s.appData.firstLine, "GET / HTTP/1.1");
      assert.ok(s.connection.messages.filter((m) => m.name === "Finished").every((m) => m.verified === true));
    }
    assert.deepEqual(
      seen.map((s) => s.connection.version),
      [0x0304, 0x0303, 0x0304, 0x0303],
    );
  } finally {
    await srv.close();
  }
});
