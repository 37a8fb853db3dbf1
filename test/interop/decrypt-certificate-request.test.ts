/**
 * The capture side of gnutls-serv's TLS 1.3 CertificateRequest (its default asks for an optional client
 * certificate, with an empty status_request, RFC 8446 §4.4.2.1): gnutls-serv and gnutls-cli recorded with tcpdump,
 * the key log from gnutls-cli's SSLKEYLOGFILE; `inspect --json --keylog` decodes the CertificateRequest without an
 * error, verifies both Finished and places every handshake message in the frame where tshark's decode does.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cells, requirePeer } from "./lib/cells";
import { runClient, start, waitFor } from "./lib/peers";
import { freePort, waitListening } from "../support/ports";
import { pki } from "./lib/pki";

const root = path.resolve(__dirname, "../..");

for (const [cmd, pkg] of [
  ["gnutls-serv", "gnutls-bin"],
  ["tcpdump", "tcpdump"],
  ["tshark", "tshark"],
])
  requirePeer(cmd, pkg);

cells(
  "gnutls CertificateRequest captures",
  (["p256", "rsa"] as const).map((cert) => ({
    key: { peer: "gnutls-serv ↔ gnutls-cli", role: "capture" as const, version: "1.3" as const, axis: "CertificateRequest", value: `status_request (${cert})` },
    run: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "interop-gnutls-cr-"));
      const pcap = path.join(dir, "cr.pcap");
      const keylog = path.join(dir, "cr.keylog");
      const port = await freePort();
      const dump = start("tcpdump", ["-i", "lo", "-U", "--immediate-mode", "-n", "-w", pcap, `tcp port ${port}`]);
      const leaf = pki().leaf(cert);
      const prio = "NORMAL:-VERS-ALL:+VERS-TLS1.3";
      const server = start("gnutls-serv", ["--port", String(port), "--http", "--x509certfile", leaf.cert, "--x509keyfile", leaf.key, "--priority", prio]);
      try {
        await waitFor(() => /listening on/.test(dump.output()), 10_000, "tcpdump");
        await waitListening(port, server.child);
        const c = await runClient("gnutls-cli", ["--x509cafile", pki().ca, "--port", String(port), "--priority", prio, "localhost"], {
          stdin: "GET / HTTP/1.0\r\n\r\n",
          env: { ...process.env, SSLKEYLOGFILE: keylog },
        });
        assert.match(c.out, /HTTP\/1\.0 200/, c.out.slice(-1500));
        await new Promise((r) => setTimeout(r, 1000));
        dump.child.kill("SIGINT");
        await new Promise((r) => dump.child.on("close", r));

        const run = spawnSync(process.execPath, [path.join(root, "dist/cli.js"), "inspect", pcap, "--json", "--keylog", keylog], {
          encoding: "utf8",
          timeout: 60_000,
        });
        assert.equal(run.status, 0, run.stderr);
        const doc = JSON.parse(run.stdout);
        const conns = doc.connections.filter((x: { server: { port: number } }) => x.server.port === port);
        const conn = conns[conns.length - 1]; // the readiness probe is a connection of its own
        assert.equal(conn.decrypted, true);
        assert.deepEqual(conn.errors ?? [], []);
        const cr = conn.messages.find((m: { name: string }) => m.name === "CertificateRequest");
        assert.ok(cr && !cr.error, `CertificateRequest decodes: ${cr?.error ?? "absent"}`);
        assert.ok((cr.fields.extensions as number[]).includes(5), "status_request in it");
        const fins = conn.messages.filter((m: { name: string }) => m.name === "Finished");
        assert.ok(fins.length === 2 && fins.every((m: { fields?: { verified?: boolean } }) => m.fields?.verified === true), "both Finished verified");
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
          { encoding: "utf8", timeout: 60_000 },
        );
        assert.equal(ts.status, 0, ts.stderr);
        const theirs = ts.stdout
          .trim()
          .split("\n")
          .flatMap((l) => {
            const [frame, types] = l.split("\t");
            return types ? types.split(",").map((t) => `${frame}:${t}`) : [];
          });
        assert.deepEqual(
          conn.messages.map((m: { frame: number; type: number }) => `${m.frame}:${m.type}`),
          theirs,
          "every handshake message in tshark's frame",
        );
      } finally {
        dump.stop();
        server.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  })),
  1,
);
