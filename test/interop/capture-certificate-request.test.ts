/**
 * Capture cells, gnutls-serv's TLS 1.3 CertificateRequest (its default asks for an optional client certificate,
 * with an empty status_request, RFC 8446 §4.4.2.1): gnutls-serv and gnutls-cli recorded with tcpdump, the key log
 * from gnutls-cli's SSLKEYLOGFILE; `inspect --json --keylog` decodes the CertificateRequest without an error and
 * equals tshark's decode of the capture (every message, frame and field, both Finished verified, application data).
 */
import assert from "node:assert/strict";
import { captureCells, requireProgram, type CaptureCell } from "./lib/capture/cells";
import { checkRecording, recordTwoPeers } from "./lib/capture/record";
import { run } from "./lib/procs";
import { pki } from "./lib/pki";

for (const [cmd, pkg] of [
  ["gnutls-serv", "gnutls-bin"],
  ["gnutls-cli", "gnutls-bin"],
  ["tcpdump", "tcpdump"],
  ["tshark", "tshark"],
  ["python3", "python3"],
])
  requireProgram(cmd, pkg);

const list: CaptureCell[] = (["p256", "rsa"] as const).map((cert) => ({
  key: { peer: "gnutls-cli→gnutls-serv", version: "1.3", axis: "CertificateRequest", value: `status_request (${cert})` },
  run: async () => {
    const leaf = pki().leaf(cert);
    const prio = "NORMAL:-VERS-ALL:+VERS-TLS1.3";
    const rec = await recordTwoPeers(
      `gnutls-cr-${cert}`,
      (port) => ({
        cmd: "gnutls-serv",
        args: ["--port", String(port), "--http", "--x509certfile", leaf.cert, "--x509keyfile", leaf.key, "--priority", prio],
        ready: "listening on IPv4",
      }),
      async ({ port, files }) => {
        const c = await run("gnutls-cli", ["--x509cafile", pki().ca, "--port", String(port), "--priority", prio, "127.0.0.1"], {
          stdin: "GET / HTTP/1.0\r\n\r\n",
          env: { ...process.env, SSLKEYLOGFILE: files.keylog },
          ms: 20_000,
        });
        assert.match(c.out, /HTTP\/1\.0 200/, c.out.slice(-1500));
      },
    );
    const [conn] = await checkRecording(rec, `gnutls CertificateRequest ${cert}`, { connections: 1 });
    const cr = conn.messages.find((m) => m.name === "CertificateRequest");
    assert.ok(cr, "a CertificateRequest");
    assert.ok((cr.fields.extensions as number[]).includes(5), "status_request in it");
  },
}));

captureCells("capture cells: gnutls CertificateRequest", list, 2);
