/**
 * AES-CCM and CCM_8 captures decrypt: OpenSSL s_server and s_client negotiate each CCM suite (TLS 1.3 0x1304/0x1305,
 * the TLS 1.2 CCM family) on the loopback while tcpdump records it and s_client writes its key log; `inspect --json
 * --keylog` must decrypt the connection, verify both Finished and find every handshake message in the frame where
 * tshark's decode of the same capture finds it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cells, requirePeer } from "./lib/cells";
import { runClient, start, waitFor } from "./lib/peers";
import { freePort, waitListening } from "../support/ports";
import { pki, type KeyType } from "./lib/pki";

const root = path.resolve(__dirname, "../..");
const cli = (args: string[]) => {
  const main = path.join(root, "dist/cli.js");
  const cmd = spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: "utf8", timeout: 60_000, maxBuffer: 1 << 26 });
  assert.equal(cmd.status, 0, cmd.stderr);
  return cmd.stdout;
};

const SUITES: { version: "1.2" | "1.3"; name: string; code: number; cert: KeyType }[] = [
  { version: "1.3", name: "TLS_AES_128_CCM_SHA256", code: 0x1304, cert: "rsa" },
  { version: "1.3", name: "TLS_AES_128_CCM_8_SHA256", code: 0x1305, cert: "rsa" },
  { version: "1.2", name: "ECDHE-ECDSA-AES128-CCM", code: 0xc0ac, cert: "p256" },
  { version: "1.2", name: "ECDHE-ECDSA-AES256-CCM8", code: 0xc0af, cert: "p256" },
  { version: "1.2", name: "DHE-RSA-AES128-CCM8", code: 0xc0a2, cert: "rsa" },
];

for (const [cmd, pkg] of [
  ["openssl", "openssl"],
  ["tcpdump", "tcpdump"],
  ["tshark", "tshark"],
])
  requirePeer(cmd, pkg);

cells(
  "CCM captures decrypted like tshark",
  SUITES.map((s) => ({
    key: { peer: "openssl s_server ↔ s_client", role: "capture" as const, version: s.version, axis: "suite", value: s.name },
    run: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "interop-ccm-"));
      const pcap = path.join(dir, "ccm.pcap");
      const keylog = path.join(dir, "ccm.keylog");
      const port = await freePort();
      const dump = start("tcpdump", ["-i", "lo", "-U", "--immediate-mode", "-n", "-w", pcap, `tcp port ${port}`]);
      const leaf = pki().leaf(s.cert);
      const suiteArgs = s.version === "1.3" ? ["-tls1_3", "-ciphersuites", s.name] : ["-tls1_2", "-cipher", s.name];
      const server = start("openssl", ["s_server", "-accept", `127.0.0.1:${port}`, "-www", "-cert", leaf.cert, "-key", leaf.key, ...suiteArgs]);
      try {
        await waitFor(() => /listening on/.test(dump.output()), 10_000, "tcpdump");
        await waitListening(port, server.child);
        const c = await runClient("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, "-keylogfile", keylog, "-ign_eof", "-quiet", ...suiteArgs], {
          stdin: "GET / HTTP/1.0\r\n\r\n",
        });
        assert.match(c.out, /HTTP\/1\.0 200/, c.out.slice(-1500));
        // tcpdump -U writes each packet as it comes: give the last ones a moment, then stop it.
        await new Promise((r) => setTimeout(r, 1000));
        dump.child.kill("SIGINT");
        await new Promise((r) => dump.child.on("close", r));

        const doc = JSON.parse(cli(["inspect", pcap, "--json", "--keylog", keylog]));
        // The readiness probe is a connection of its own (s_server answers it with decode_error): the client's is the last.
        const conns = doc.connections.filter((x: { server: { port: number } }) => x.server.port === port);
        const conn = conns[conns.length - 1];
        assert.ok(conn, "the connection is listed");
        assert.equal(conn.cipherSuite, s.code, JSON.stringify(doc).slice(0, 1500));
        assert.equal(conn.decrypted, true, "decrypted");
        assert.deepEqual(conn.errors ?? [], []);
        const fins = conn.messages.filter((m: { name: string }) => m.name === "Finished");
        assert.ok(
          fins.length === 2 && fins.every((m: { fields?: { verified?: boolean } }) => m.fields?.verified === true),
          `both Finished verified: ${JSON.stringify(fins).slice(0, 600)}`,
        );

        // tshark's decode of the same capture: the handshake types per frame.
        const ts = spawnSync(
          "tshark",
          [
            "-r",
            pcap,
            "-o",
            `tls.keylog_file:${keylog}`,
            "-Y",
            `tcp.port == ${conn.client.port}`,
            "-T",
            "fields",
            "-e",
            "frame.number",
            "-e",
            "tls.handshake.type",
          ],
          {
            encoding: "utf8",
            timeout: 60_000,
          },
        );
        assert.equal(ts.status, 0, ts.stderr);
        const theirs = ts.stdout
          .trim()
          .split("\n")
          .flatMap((l) => {
            const [frame, types] = l.split("\t");
            return types ? types.split(",").map((t) => `${frame}:${t}`) : [];
          });
        const ours = conn.messages.map((m: { frame: number; type: number }) => `${m.frame}:${m.type}`);
        assert.deepEqual(ours, theirs, "every handshake message in tshark's frame");
        assert.ok(readFileSync(keylog, "utf8").length > 0);
      } finally {
        dump.stop();
        server.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  })),
  1,
);
