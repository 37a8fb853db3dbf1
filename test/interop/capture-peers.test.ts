/**
 * Capture cells of the other real stacks, each in TLS 1.2 and 1.3: gnutls-cli → gnutls-serv, curl → nginx, Node
 * https → Node https, Python ssl → Python ssl + http.server, headless Chromium (BoringSSL) → openssl s_server —
 * recorded with tcpdump, each client writing its own key log (SSLKEYLOGFILE for GnuTLS, curl and Python's
 * ssl.create_default_context, which sets SSLContext.keylog_filename from it; NODE_OPTIONS=--tls-keylog for Node;
 * --ssl-key-log-file for Chromium), then `inspect --json --keylog` compared with tshark's decode of the same capture:
 * every connection, message, frame and field, every Finished verified, the application data each way as tshark
 * decrypted it.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cert } from "./lib/capture/certs";
import { captureCells, requireProgram, type CaptureCell } from "./lib/capture/cells";
import { checkRecording, recordTwoPeers, type Files, type ServerSpec } from "./lib/capture/record";
import { chromiumClient, curlClient, gnutlsClient, nodeClient, pythonClient, type ClientSpec } from "./lib/clients";
import { run } from "./lib/procs";
import { gnutlsServ, nginx, nodeHttps, pythonSsl } from "./lib/servers";

for (const [cmd, pkg] of [
  ["tcpdump", "tcpdump"],
  ["tshark", "tshark"],
  ["python3", "python3"],
  ["openssl", "openssl"],
  ["gnutls-serv", "gnutls-bin"],
  ["gnutls-cli", "gnutls-bin"],
  ["curl", "curl"],
  ["nginx", "nginx-light"],
  ["chromium", "chromium"],
]) {
  requireProgram(cmd, pkg);
}

type Ver = "1.2" | "1.3";
const WIRE: Record<Ver, number> = { "1.2": 0x0303, "1.3": 0x0304 };

const profiles: string[] = [];
process.on("exit", () => profiles.forEach((d) => rmSync(d, { recursive: true, force: true })));
function profile(): string {
  const d = mkdtempSync(path.join(tmpdir(), "capture-chromium-"));
  profiles.push(d);
  return d;
}

interface Pair {
  peer: string;
  server: (port: number, v: Ver) => ServerSpec;
  /** The client, with the environment or arguments that make it write its key log to `keylog`. */
  client: (port: number, v: Ver, files: Files) => ClientSpec & { env?: NodeJS.ProcessEnv };
  /** What the client prints when the HTTP exchange was carried. */
  answer: RegExp;
  /** Chromium opens connections it may not use; the others make exactly one. */
  connections?: number;
}

const withKeylogEnv = (spec: ClientSpec, env: NodeJS.ProcessEnv) => ({ ...spec, env: { ...process.env, ...env } });

const PAIRS: Pair[] = [
  {
    peer: "gnutls-cli→gnutls-serv",
    server: (port, v) => ({ ...gnutlsServ(port, { version: v }), ready: "listening on IPv4" }),
    client: (port, v, f) => withKeylogEnv(gnutlsClient(port, { version: v }), { SSLKEYLOGFILE: f.keylog }),
    answer: /HTTP\/1\.[01] 200/,
    connections: 1,
  },
  {
    peer: "curl→nginx",
    server: (port, v) => nginx(port, { version: v }),
    client: (port, v, f) => withKeylogEnv(curlClient(port, { version: v }), { SSLKEYLOGFILE: f.keylog }),
    answer: /hello from nginx/,
    connections: 1,
  },
  {
    peer: "node→node",
    server: (port, v) => nodeHttps(port, { version: v }),
    client: (port, v, f) =>
      withKeylogEnv(nodeClient(port, { version: v }), { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --tls-keylog=${f.keylog}`.trim() }),
    answer: /hello from node/,
    connections: 1,
  },
  {
    peer: "python→python",
    server: (port, v) => pythonSsl(port, { version: v }),
    client: (port, v, f) => withKeylogEnv(pythonClient(port, { version: v }), { SSLKEYLOGFILE: f.keylog }),
    answer: /hello from python/,
    connections: 1,
  },
  {
    peer: "chromium→openssl",
    server: (port, v) => {
      const k = cert("p256");
      const args = ["s_server", "-accept", `127.0.0.1:${port}`, "-cert", k.cert, "-key", k.key, "-www", v === "1.3" ? "-tls1_3" : "-tls1_2"];
      return { cmd: "openssl", args, ready: "ACCEPT" };
    },
    client: (port, v, f) => {
      const spec = chromiumClient(port, { version: v, profile: profile() });
      return { ...spec, args: [`--ssl-key-log-file=${f.keylog}`, ...spec.args] };
    },
    // s_server -www answers with its status page, which names the cipher in use.
    answer: /Ciphers supported in s_server binary|New, TLSv1\.[23]|Cipher/,
  },
];

const list: CaptureCell[] = PAIRS.flatMap((p) =>
  (["1.2", "1.3"] as const).map((v): CaptureCell => ({
    key: { peer: p.peer, version: v, axis: "defaults", value: "HTTP GET" },
    run: async () => {
      const rec = await recordTwoPeers(
        `${p.peer}-${v}`,
        (port) => p.server(port, v),
        async ({ port, files }) => {
          const c = p.client(port, v, files);
          const r = await run(c.cmd, c.args, { stdin: c.stdin, env: c.env, ms: c.ms ?? 20_000 });
          assert.match(r.out, p.answer, `${c.cmd}:\n${r.out.slice(-1500)}`);
        },
      );
      assert.ok(readFileSync(rec.keylog, "utf8").length > 0, "the client wrote a key log");
      const conns = await checkRecording(rec, `${p.peer} TLS ${v}`, { connections: p.connections });
      for (const c of conns) assert.equal(c.version, WIRE[v], "the version negotiated");
    },
  })),
);

// GnuTLS on both ends, one algorithm at a time (its priority strings), each the only one allowed, so negotiated.
const GNUTLS: { version: Ver; axis: string; value: string; priority: string; group?: number; suite?: number }[] = [
  { version: "1.3", axis: "group", value: "x448", priority: "NORMAL:-GROUP-ALL:+GROUP-X448", group: 0x001e },
  { version: "1.3", axis: "group", value: "ffdhe3072", priority: "NORMAL:-GROUP-ALL:+GROUP-FFDHE3072", group: 0x0101 },
  { version: "1.3", axis: "suite", value: "TLS_CHACHA20_POLY1305_SHA256", priority: "NORMAL:-CIPHER-ALL:+CHACHA20-POLY1305", suite: 0x1303 },
  { version: "1.3", axis: "suite", value: "TLS_AES_128_CCM_SHA256", priority: "NORMAL:-CIPHER-ALL:+AES-128-CCM", suite: 0x1304 },
  {
    version: "1.2",
    axis: "suite",
    value: "ECDHE-RSA AES-128-CBC SHA256 (encrypt_then_mac)",
    priority: "NORMAL:-CIPHER-ALL:+AES-128-CBC:-MAC-ALL:+SHA256",
    suite: 0xc027,
  },
  { version: "1.2", axis: "suite", value: "DHE-RSA AES-256-GCM", priority: "NORMAL:-KX-ALL:+DHE-RSA:-CIPHER-ALL:+AES-256-GCM", suite: 0x009f },
];
for (const g of GNUTLS) {
  list.push({
    key: { peer: "gnutls-cli→gnutls-serv", version: g.version, axis: g.axis, value: g.value },
    run: async () => {
      const rec = await recordTwoPeers(
        `gnutls-${g.value}`,
        (port) => ({ ...gnutlsServ(port, { version: g.version, priority: g.priority }), ready: "listening on IPv4" }),
        async ({ port, files }) => {
          const c = withKeylogEnv(gnutlsClient(port, { version: g.version, priority: g.priority }), { SSLKEYLOGFILE: files.keylog });
          const r = await run(c.cmd, c.args, { stdin: c.stdin, env: c.env, ms: 20_000 });
          assert.match(r.out, /HTTP\/1\.[01] 200/, `gnutls-cli:\n${r.out.slice(-1500)}`);
        },
      );
      const [conn] = await checkRecording(rec, `gnutls ${g.value}`, { connections: 1 });
      assert.equal(conn.version, WIRE[g.version], "the version negotiated");
      if (g.suite !== undefined) assert.equal(conn.cipherSuite, g.suite, "the suite negotiated");
      if (g.group !== undefined) {
        const sh = conn.messages.find((m) => m.name === "ServerHello")!;
        assert.equal(sh.fields.keyShareGroup, g.group, "the group negotiated");
      }
    },
  });
}

captureCells("capture cells: gnutls, curl→nginx, node, python, chromium", list, 2, 90_000);
