/**
 * Capture cells, AES-CCM and CCM_8 (TLS 1.3 0x1304/0x1305, RFC 8446 Appendix B.4; the TLS 1.2 CCM family,
 * RFC 6655 and RFC 7251): OpenSSL s_server and s_client negotiate each suite while tcpdump records and s_client
 * writes its key log; `inspect --json --keylog` equals tshark's decode of the same capture — every message, frame
 * and field, both Finished verified, the application data each way decrypted as tshark decrypts it.
 */
import assert from "node:assert/strict";
import { captureCells, requireProgram, type CaptureCell } from "./lib/capture/cells";
import { checkRecording, recordTwoPeers } from "./lib/capture/record";
import { run } from "./lib/procs";
import { pki, type KeyType } from "./lib/pki";

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
  ["python3", "python3"],
])
  requireProgram(cmd, pkg);

const list: CaptureCell[] = SUITES.map((s) => ({
  key: { peer: "openssl→openssl", version: s.version, axis: "suite", value: s.name },
  run: async () => {
    const leaf = pki().leaf(s.cert);
    const suiteArgs = s.version === "1.3" ? ["-tls1_3", "-ciphersuites", s.name] : ["-tls1_2", "-cipher", s.name];
    const rec = await recordTwoPeers(
      `ccm-${s.name}`,
      (port) => ({
        cmd: "openssl",
        args: ["s_server", "-accept", `127.0.0.1:${port}`, "-www", "-cert", leaf.cert, "-key", leaf.key, ...suiteArgs],
        ready: "ACCEPT",
      }),
      async ({ port, files }) => {
        const c = await run("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, "-keylogfile", files.keylog, "-ign_eof", "-quiet", ...suiteArgs], {
          stdin: "GET / HTTP/1.0\r\n\r\n",
          ms: 20_000,
        });
        assert.match(c.out, /HTTP\/1\.0 200/, c.out.slice(-1500));
      },
    );
    const [conn] = await checkRecording(rec, s.name, { connections: 1 });
    assert.equal(conn.cipherSuite, s.code, "the suite negotiated");
  },
}));

captureCells("capture cells: AES-CCM and CCM_8", list, 2);
