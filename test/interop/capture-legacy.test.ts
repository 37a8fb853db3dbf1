/**
 * Capture cells, TLS 1.0 and 1.1 (RFC 2246, RFC 4346): decoded and decrypted with the client's key log
 * (CLIENT_RANDOM master secrets) — the MD5/SHA-1 PRF, TLS 1.0's chained CBC IVs and TLS 1.1's explicit ones,
 * Finished over MD5 + SHA-1 — and compared with tshark's decode of the same capture: every message, every Finished
 * verified, the application data each way as tshark decrypted it.
 *
 * OpenSSL 3.0 speaks these versions only at security level 0 (`DEFAULT:@SECLEVEL=0` on both sides); GnuTLS 3.7
 * still allows them with a priority string naming the version.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { cert } from "./lib/capture/certs";
import { captureCells, requireProgram, type CaptureCell } from "./lib/capture/cells";
import { checkRecording, recordTwoPeers } from "./lib/capture/record";
import { run } from "./lib/procs";
import { pki } from "./lib/pki";

for (const [cmd, pkg] of [
  ["tcpdump", "tcpdump"],
  ["tshark", "tshark"],
  ["openssl", "openssl"],
  ["gnutls-serv", "gnutls-bin"],
  ["gnutls-cli", "gnutls-bin"],
  ["python3", "python3"],
]) {
  requireProgram(cmd, pkg);
}

const GET = "GET / HTTP/1.0\r\n\r\n";
const VERSIONS = [
  { version: "1.0", openssl: "-tls1", gnutls: "VERS-TLS1.0", wire: 0x0301 },
  { version: "1.1", openssl: "-tls1_1", gnutls: "VERS-TLS1.1", wire: 0x0302 },
] as const;

/** OpenSSL suites of these versions: ECDHE, DHE and RSA key exchange, with and without encrypt_then_mac (RFC 7366). */
const OPENSSL_SUITES: { suite: string; cert: "rsa" | "p256"; etm: boolean; code: number }[] = [
  { suite: "ECDHE-RSA-AES256-SHA", cert: "rsa", etm: true, code: 0xc014 },
  { suite: "ECDHE-RSA-AES128-SHA", cert: "rsa", etm: false, code: 0xc013 },
  { suite: "ECDHE-ECDSA-AES128-SHA", cert: "p256", etm: true, code: 0xc009 },
  { suite: "DHE-RSA-AES256-SHA", cert: "rsa", etm: false, code: 0x0039 },
  { suite: "AES128-SHA", cert: "rsa", etm: true, code: 0x002f },
];

const list: CaptureCell[] = [];

for (const v of VERSIONS) {
  for (const s of OPENSSL_SUITES) {
    const value = `${s.suite} ${s.etm ? "encrypt_then_mac" : "no encrypt_then_mac"}`;
    list.push({
      key: { peer: "openssl→openssl", version: v.version, axis: "suite", value },
      run: async () => {
        const k = cert(s.cert);
        const cipher = ["-cipher", `${s.suite}:@SECLEVEL=0`];
        const rec = await recordTwoPeers(
          `legacy-openssl-${v.version}`,
          (port) => ({
            cmd: "openssl",
            args: ["s_server", "-accept", `127.0.0.1:${port}`, "-cert", k.cert, "-key", k.key, "-www", v.openssl, ...cipher],
            ready: "ACCEPT",
          }),
          async ({ port, files }) => {
            const args = ["s_client", "-connect", `127.0.0.1:${port}`, "-keylogfile", files.keylog, "-ign_eof", v.openssl, ...cipher];
            const c = await run("openssl", [...args, ...(s.etm ? [] : ["-no_etm"])], { stdin: GET, ms: 20_000 });
            assert.match(c.out, /HTTP\/1\.0 200/, `s_client:\n${c.out.slice(-1500)}`);
          },
        );
        assert.ok(readFileSync(rec.keylog, "utf8").includes("CLIENT_RANDOM"), "a key log of master secrets");
        const [conn] = await checkRecording(rec, `TLS ${v.version} ${value}`, { connections: 1 });
        assert.equal(conn.version, v.wire, "the version negotiated");
        assert.equal(conn.cipherSuite, s.code, "the suite negotiated");
        const sh = conn.messages.find((m) => m.name === "ServerHello")!;
        assert.equal((sh.fields.extensions as number[]).includes(22), s.etm, "encrypt_then_mac negotiated or not");
      },
    });
  }

  // GnuTLS: its defaults for the version (ECDHE, extended master secret, encrypt-then-MAC), keys from the client.
  list.push({
    key: { peer: "gnutls-cli→gnutls-serv", version: v.version, axis: "suite", value: "default (ECDHE, AES-CBC)" },
    run: async () => {
      const leaf = pki().leaf("rsa");
      const prio = `NORMAL:-VERS-ALL:+${v.gnutls}`;
      const rec = await recordTwoPeers(
        `legacy-gnutls-${v.version}`,
        (port) => ({
          cmd: "gnutls-serv",
          args: ["--port", String(port), "--http", "--x509certfile", leaf.cert, "--x509keyfile", leaf.key, "--priority", prio],
          ready: "listening on IPv4",
        }),
        async ({ port, files }) => {
          const c = await run("gnutls-cli", ["--x509cafile", pki().ca, "--port", String(port), "--priority", prio, "127.0.0.1"], {
            stdin: GET,
            env: { ...process.env, SSLKEYLOGFILE: files.keylog },
            ms: 20_000,
          });
          assert.match(c.out, /HTTP\/1\.0 200/, `gnutls-cli:\n${c.out.slice(-1500)}`);
        },
      );
      const [conn] = await checkRecording(rec, `gnutls TLS ${v.version}`, { connections: 1 });
      assert.equal(conn.version, v.wire, "the version negotiated");
    },
  });
}

captureCells("capture cells: TLS 1.0 and 1.1", list, 2);
