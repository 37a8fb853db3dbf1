/**
 * Matrix: the engine's `serve` accepting every client stack on the machine — OpenSSL `s_client`, GnuTLS
 * `gnutls-cli`, curl, Node's https, Python's ssl and headless Chromium — over versions, groups, certificate key
 * types, suites and client certificates; each cell asserts both Finished verified (serve's own report), the
 * request read and the answer printed by the client, and what was negotiated.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cells, requirePeer, type CellKey } from "./lib/cells";
import { assertServed, serveOnce, type Negotiated } from "./lib/engine";
import { run } from "./lib/procs";
import { pki, type KeyType } from "./lib/pki";
import { chromiumClient, curlClient, gnutlsClient, nodeClient, opensslClient, pythonClient, type ClientSpec } from "./lib/clients";
import type { ServeOptions } from "../../src/engine/serve";
import { readFileSync } from "node:fs";

type Ver = "1.2" | "1.3";
interface Case {
  peer: string;
  version: Ver;
  axis: string;
  value: string;
  cert?: KeyType;
  serve?: Partial<ServeOptions>;
  client: (port: number) => ClientSpec;
  expect?: Partial<Negotiated>;
  check?: (s: Awaited<ReturnType<typeof serveOnce>>["served"]) => void;
}
const VERSIONS: Ver[] = ["1.2", "1.3"];
const all = <T>(f: (v: Ver) => T[]): T[] => VERSIONS.flatMap(f);
const clientAuth = (): Partial<ServeOptions> => ({ clientAuth: true, clientCa: readFileSync(pki().ca, "utf8") });
const sentClientCert = (s: Awaited<ReturnType<typeof serveOnce>>["served"]) =>
  assert.ok(
    s.steps.some((x) => x.kind === "check" && x.title === "client CertificateVerify signature" && x.ok),
    "client CertificateVerify verified",
  );

const cases: Case[] = [
  // OpenSSL s_client
  ...all((version) =>
    (["rsa", "rsa-pss", "p256", "p384", "p521", "ed25519", "ed448"] as const).map((cert): Case => ({
      peer: "openssl s_client",
      version,
      axis: "certificate",
      value: cert,
      cert,
      client: (p) => opensslClient(p, { version }),
    })),
  ),
  ...all((version) =>
    (
      [
        ["x25519", "X25519", 29],
        ["x448", "X448", 30],
        ["secp256r1", "P-256", 23],
        ["secp384r1", "P-384", 24],
        ["secp521r1", "P-521", 25],
        ...(version === "1.3"
          ? ([
              ["ffdhe2048", "ffdhe2048", 256],
              ["ffdhe3072", "ffdhe3072", 257],
              ["ffdhe4096", "ffdhe4096", 258],
            ] as const)
          : []),
      ] as const
    )
      // An RSA certificate: in TLS 1.2 an ECDSA one must be on a curve the client lists too (RFC 8422 §5.1).
      .map((g): Case => ({
        peer: "openssl s_client",
        version,
        axis: "group",
        value: g[0],
        cert: "rsa",
        client: (p) => opensslClient(p, { version, extra: ["-groups", g[1]] }),
        expect: { group: g[2] },
      })),
  ),
  ...(["ffdhe2048", "ffdhe3072", "ffdhe4096"] as const).map((g): Case => ({
    peer: "openssl s_client",
    version: "1.2",
    axis: "group",
    value: g,
    cert: "rsa",
    client: (p) => opensslClient(p, { version: "1.2", extra: ["-cipher", "DHE-RSA-AES128-GCM-SHA256", "-groups", g] }),
    check: (s) => assert.equal(s.connection.cipherSuite, 0x009e),
  })),
  ...(
    [
      ["TLS_AES_128_GCM_SHA256", 0x1301],
      ["TLS_AES_256_GCM_SHA384", 0x1302],
      ["TLS_CHACHA20_POLY1305_SHA256", 0x1303],
      ["TLS_AES_128_CCM_SHA256", 0x1304],
      ["TLS_AES_128_CCM_8_SHA256", 0x1305],
    ] as const
  ).map((s): Case => ({
    peer: "openssl s_client",
    version: "1.3",
    axis: "suite",
    value: s[0],
    client: (p) => opensslClient(p, { version: "1.3", extra: ["-ciphersuites", s[0]] }),
    expect: { suite: s[1] },
  })),
  ...(
    [
      ["ECDHE-ECDSA-AES128-GCM-SHA256", 0xc02b, "p256"],
      ["ECDHE-RSA-AES256-GCM-SHA384", 0xc030, "rsa"],
      ["ECDHE-ECDSA-CHACHA20-POLY1305", 0xcca9, "p256"],
      ["DHE-RSA-CHACHA20-POLY1305", 0xccaa, "rsa"],
      ["ECDHE-ECDSA-AES128-CCM", 0xc0ac, "p256"],
      ["ECDHE-ECDSA-AES128-CCM8", 0xc0ae, "p256"],
      ["DHE-RSA-AES256-CCM", 0xc09f, "rsa"],
      ["AES128-CCM8", 0xc0a0, "rsa"],
      ["ECDHE-RSA-AES256-SHA", 0xc014, "rsa"],
      ["ECDHE-ECDSA-AES128-SHA256", 0xc023, "p256"],
      ["ECDHE-RSA-AES256-SHA384", 0xc028, "rsa"],
      ["AES128-SHA256", 0x003c, "rsa"],
    ] as const
  ).map((s): Case => ({
    peer: "openssl s_client",
    version: "1.2",
    axis: "suite",
    value: s[0],
    cert: s[2],
    client: (p) => opensslClient(p, { version: "1.2", extra: ["-cipher", s[0]] }),
    expect: { suite: s[1] },
  })),
  {
    peer: "openssl s_client",
    version: "1.2",
    axis: "signature",
    value: "ecdsa_secp256r1_sha256 with P-384",
    cert: "p384",
    client: (p) => opensslClient(p, { version: "1.2", extra: ["-sigalgs", "ECDSA+SHA256"] }),
    expect: { scheme: 0x0403 },
  },
  {
    peer: "openssl s_client",
    version: "1.2",
    axis: "signature",
    value: "ecdsa_secp384r1_sha384 with P-521",
    cert: "p521",
    client: (p) => opensslClient(p, { version: "1.2", extra: ["-sigalgs", "ECDSA+SHA384"] }),
    expect: { scheme: 0x0503 },
  },
  {
    peer: "openssl s_client",
    version: "1.2",
    axis: "signature",
    value: "rsa_pkcs1_sha384",
    cert: "rsa",
    client: (p) => opensslClient(p, { version: "1.2", extra: ["-sigalgs", "RSA+SHA384"] }),
    expect: { scheme: 0x0501 },
  },
  {
    peer: "openssl s_client",
    version: "1.3",
    axis: "signature",
    value: "rsa_pss_pss_sha384",
    cert: "rsa-pss",
    client: (p) => opensslClient(p, { version: "1.3", extra: ["-sigalgs", "rsa_pss_pss_sha384"] }),
    expect: { scheme: 0x080a },
  },
  {
    peer: "openssl s_client",
    version: "1.3",
    axis: "flow",
    value: "HelloRetryRequest",
    serve: { groups: [24] },
    client: (p) => opensslClient(p, { version: "1.3" }),
    check: (s) => assert.ok(s.connection.messages.some((m) => m.name === "HelloRetryRequest")),
  },
  ...all((version) =>
    (["p256", "rsa", "rsa-pss", "p521", "ed448"] as const).map((cert): Case => ({
      peer: "openssl s_client",
      version,
      axis: "client certificate",
      value: cert,
      serve: clientAuth(),
      client: (p) => opensslClient(p, { version, cert }),
      check: sentClientCert,
    })),
  ),
  // GnuTLS gnutls-cli
  ...all((version) =>
    (["rsa", "rsa-pss", "p384", "ed25519", "ed448"] as const).map((cert): Case => ({
      peer: "gnutls-cli",
      version,
      axis: "certificate",
      value: cert,
      cert,
      client: (p) => gnutlsClient(p, { version }),
    })),
  ),
  ...(
    [
      ["x448", "GROUP-X448", 30],
      ["secp521r1", "GROUP-SECP521R1", 25],
      ["ffdhe2048", "GROUP-FFDHE2048", 256],
    ] as const
  ).map((g): Case => ({
    peer: "gnutls-cli",
    version: "1.3",
    axis: "group",
    value: g[0],
    client: (p) => gnutlsClient(p, { version: "1.3", priority: `NORMAL:-GROUP-ALL:+${g[1]}` }),
    expect: { group: g[2] },
  })),
  {
    peer: "gnutls-cli",
    version: "1.3",
    axis: "suite",
    value: "TLS_AES_128_CCM_SHA256",
    client: (p) => gnutlsClient(p, { version: "1.3", priority: "NORMAL:-CIPHER-ALL:+AES-128-CCM" }),
    expect: { suite: 0x1304 },
  },
  {
    peer: "gnutls-cli",
    version: "1.2",
    axis: "suite",
    value: "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
    cert: "p256",
    client: (p) => gnutlsClient(p, { version: "1.2", priority: "NORMAL:-CIPHER-ALL:+AES-256-CCM" }),
    expect: { suite: 0xc0ad },
  },
  ...all((version): Case[] => [
    {
      peer: "gnutls-cli",
      version,
      axis: "client certificate",
      value: "p384",
      serve: clientAuth(),
      client: (p) => gnutlsClient(p, { version, cert: "p384" }),
      check: sentClientCert,
    },
  ]),
  // curl
  ...all((version) =>
    (["rsa", "p256", "ed25519"] as const).map((cert): Case => ({
      peer: "curl",
      version,
      axis: "certificate",
      value: cert,
      cert,
      client: (p) => curlClient(p, { version }),
    })),
  ),
  {
    peer: "curl",
    version: "1.3",
    axis: "group",
    value: "x448",
    client: (p) => curlClient(p, { version: "1.3", extra: ["--curves", "X448"] }),
    expect: { group: 30 },
  },
  {
    peer: "curl",
    version: "1.2",
    axis: "suite",
    value: "ECDHE-RSA-CHACHA20-POLY1305",
    cert: "rsa",
    client: (p) => curlClient(p, { version: "1.2", extra: ["--ciphers", "ECDHE-RSA-CHACHA20-POLY1305"] }),
    expect: { suite: 0xcca8 },
  },
  ...all((version): Case[] => [
    {
      peer: "curl",
      version,
      axis: "client certificate",
      value: "ed25519",
      serve: clientAuth(),
      client: (p) => curlClient(p, { version, cert: "ed25519" }),
      check: sentClientCert,
    },
  ]),
  // Node
  ...all((version) =>
    (["rsa", "p384", "ed448"] as const).map((cert): Case => ({
      peer: "node https",
      version,
      axis: "certificate",
      value: cert,
      cert,
      client: (p) => nodeClient(p, { version }),
    })),
  ),
  {
    peer: "node https",
    version: "1.3",
    axis: "group",
    value: "secp521r1",
    client: (p) => nodeClient(p, { version: "1.3", ecdhCurve: "P-521" }),
    expect: { group: 25 },
  },
  ...all((version): Case[] => [
    {
      peer: "node https",
      version,
      axis: "client certificate",
      value: "rsa-pss",
      serve: clientAuth(),
      client: (p) => nodeClient(p, { version, cert: "rsa-pss" }),
      check: sentClientCert,
    },
  ]),
  // Python
  ...all((version) =>
    (["rsa", "p521", "ed25519"] as const).map((cert): Case => ({
      peer: "python ssl",
      version,
      axis: "certificate",
      value: cert,
      cert,
      client: (p) => pythonClient(p, { version }),
    })),
  ),
  ...all((version): Case[] => [
    {
      peer: "python ssl",
      version,
      axis: "client certificate",
      value: "p256",
      serve: clientAuth(),
      client: (p) => pythonClient(p, { version, cert: "p256" }),
      check: sentClientCert,
    },
  ]),
];

// Chromium: a few cells (it takes seconds to start); its TLS 1.3 default is the hybrid X25519MLKEM768.
const chromiumCases: Case[] = [
  ...all((version): Case[] => [
    { peer: "chromium", version, axis: "certificate", value: "p256", cert: "p256", client: (p) => chromiumClient(p, { version, profile: profile() }) },
  ]),
  {
    peer: "chromium",
    version: "1.3",
    axis: "certificate",
    value: "rsa",
    cert: "rsa",
    client: (p) => chromiumClient(p, { version: "1.3", profile: profile() }),
  },
];
const profiles: string[] = [];
function profile(): string {
  const d = mkdtempSync(path.join(tmpdir(), "interop-chromium-"));
  profiles.push(d);
  return d;
}
process.on("exit", () => profiles.forEach((d) => rmSync(d, { recursive: true, force: true })));

for (const [cmd, pkg] of [
  ["openssl", "openssl"],
  ["gnutls-cli", "gnutls-bin"],
  ["curl", "curl"],
  ["python3", "python3"],
  ["chromium", "chromium"],
])
  requirePeer(cmd, pkg);

const toCell = (c: Case) => {
  const key: CellKey = { peer: c.peer, role: "serve", version: c.version, axis: c.axis, value: c.value };
  return {
    key,
    run: async () => {
      const r = await serveOnce({ cert: c.cert ?? "p256", versions: [c.version === "1.3" ? 0x0304 : 0x0303], ...c.serve }, async (port) => {
        const spec = c.client(port);
        return run(spec.cmd, spec.args, { stdin: spec.stdin, ms: spec.ms ?? 15_000 });
      });
      const n = assertServed(r.served, r.client.out);
      assert.equal(n.version, c.version === "1.3" ? 0x0304 : 0x0303);
      for (const [k, v] of Object.entries(c.expect ?? {})) assert.equal(n[k as keyof Negotiated], v, `negotiated ${k}`);
      c.check?.(r.served);
    },
  };
};

cells("serve ↔ s_client, gnutls-cli, curl, node, python", cases.map(toCell), 3);
cells("serve ↔ chromium", chromiumCases.map(toCell), 1, 60_000);
