/**
 * Matrix: the engine's `connect` against OpenSSL's `s_server -www` — every version, group, certificate key type,
 * signature scheme and suite of the issue, client certificates and HelloRetryRequest; each cell asserts the value
 * was negotiated (not merely offered), both Finished verified and an HTTP answer read.
 */
import assert from "node:assert/strict";
import { cells, requirePeer, type CellKey } from "./lib/cells";
import { clientCredential, connectOk, type Negotiated } from "./lib/engine";
import { withServer } from "./lib/procs";
import { pki, type KeyType } from "./lib/pki";
import type { ConnectOptions } from "../../src/engine/connect";

interface Case {
  version: "1.2" | "1.3";
  axis: string;
  value: string;
  cert?: KeyType;
  server: string[];
  client?: Partial<ConnectOptions>;
  expect?: Partial<Negotiated>;
  check?: (r: Awaited<ReturnType<typeof connectOk>>) => void;
}

const V = { "1.2": "-tls1_2", "1.3": "-tls1_3" } as const;

const cases: Case[] = [
  // groups
  { version: "1.3", axis: "group", value: "x25519", server: ["-groups", "X25519"], expect: { group: 29 } },
  { version: "1.3", axis: "group", value: "x448", server: ["-groups", "X448"], expect: { group: 30 } },
  { version: "1.3", axis: "group", value: "secp256r1", server: ["-groups", "P-256"], expect: { group: 23 } },
  { version: "1.3", axis: "group", value: "secp384r1", server: ["-groups", "P-384"], expect: { group: 24 } },
  { version: "1.3", axis: "group", value: "secp521r1", server: ["-groups", "P-521"], expect: { group: 25 } },
  { version: "1.3", axis: "group", value: "ffdhe2048", server: ["-groups", "ffdhe2048"], expect: { group: 256 } },
  { version: "1.3", axis: "group", value: "ffdhe3072", server: ["-groups", "ffdhe3072"], expect: { group: 257 } },
  { version: "1.3", axis: "group", value: "ffdhe4096", server: ["-groups", "ffdhe4096"], expect: { group: 258 } },
  { version: "1.2", axis: "group", value: "x25519", server: ["-groups", "X25519"], expect: { group: 29 } },
  { version: "1.2", axis: "group", value: "x448", server: ["-groups", "X448"], expect: { group: 30 } },
  { version: "1.2", axis: "group", value: "secp256r1", server: ["-groups", "P-256"], expect: { group: 23 } },
  { version: "1.2", axis: "group", value: "secp384r1", server: ["-groups", "P-384"], expect: { group: 24 } },
  { version: "1.2", axis: "group", value: "secp521r1", server: ["-groups", "P-521"], expect: { group: 25 } },
  // TLS 1.2 DHE: the group the client names in supported_groups (RFC 7919 §4).
  ...(["ffdhe2048", "ffdhe3072", "ffdhe4096"] as const).map((g): Case => ({
    version: "1.2",
    axis: "group",
    value: g,
    server: ["-cipher", "DHE-RSA-AES128-GCM-SHA256", "-groups", g],
    expect: { suite: 0x009e },
  })),
  // certificate key types and the signatures they make
  ...(["1.2", "1.3"] as const).flatMap((version) =>
    (
      [
        ["rsa", version === "1.3" ? 0x0804 : undefined],
        ["rsa-pss", version === "1.3" ? 0x0809 : undefined],
        ["p256", 0x0403],
        ["p384", version === "1.3" ? 0x0503 : undefined],
        ["p521", version === "1.3" ? 0x0603 : undefined],
        ["ed25519", 0x0807],
        ["ed448", 0x0808],
      ] as const
    ).map((c): Case => ({ version, axis: "certificate", value: c[0], cert: c[0], server: [], expect: c[1] !== undefined ? { scheme: c[1] } : {} })),
  ),
  // TLS 1.2 ECDSA: a hash with another curve's certificate (RFC 8422 §5.10)
  {
    version: "1.2",
    axis: "signature",
    value: "ecdsa_secp256r1_sha256 with P-384",
    cert: "p384",
    server: ["-sigalgs", "ECDSA+SHA256"],
    expect: { scheme: 0x0403 },
  },
  {
    version: "1.2",
    axis: "signature",
    value: "ecdsa_secp384r1_sha384 with P-521",
    cert: "p521",
    server: ["-sigalgs", "ECDSA+SHA384"],
    expect: { scheme: 0x0503 },
  },
  {
    version: "1.2",
    axis: "signature",
    value: "ecdsa_secp521r1_sha512 with P-256",
    cert: "p256",
    server: ["-sigalgs", "ECDSA+SHA512"],
    expect: { scheme: 0x0603 },
  },
  { version: "1.2", axis: "signature", value: "rsa_pkcs1_sha256", cert: "rsa", server: ["-sigalgs", "RSA+SHA256"], expect: { scheme: 0x0401 } },
  { version: "1.2", axis: "signature", value: "rsa_pkcs1_sha512", cert: "rsa", server: ["-sigalgs", "RSA+SHA512"], expect: { scheme: 0x0601 } },
  { version: "1.3", axis: "signature", value: "rsa_pss_rsae_sha384", cert: "rsa", server: ["-sigalgs", "rsa_pss_rsae_sha384"], expect: { scheme: 0x0805 } },
  { version: "1.3", axis: "signature", value: "rsa_pss_rsae_sha512", cert: "rsa", server: ["-sigalgs", "rsa_pss_rsae_sha512"], expect: { scheme: 0x0806 } },
  { version: "1.3", axis: "signature", value: "rsa_pss_pss_sha512", cert: "rsa-pss", server: ["-sigalgs", "rsa_pss_pss_sha512"], expect: { scheme: 0x080b } },
  // suites
  ...(
    [
      ["TLS_AES_128_GCM_SHA256", 0x1301],
      ["TLS_AES_256_GCM_SHA384", 0x1302],
      ["TLS_CHACHA20_POLY1305_SHA256", 0x1303],
      ["TLS_AES_128_CCM_SHA256", 0x1304],
      ["TLS_AES_128_CCM_8_SHA256", 0x1305],
    ] as const
  ).map((s): Case => ({ version: "1.3", axis: "suite", value: s[0], server: ["-ciphersuites", s[0]], client: { cipher: s[1] }, expect: { suite: s[1] } })),
  ...(
    [
      ["ECDHE-RSA-AES128-GCM-SHA256", 0xc02f, "rsa"],
      ["ECDHE-ECDSA-AES256-GCM-SHA384", 0xc02c, "p256"],
      ["ECDHE-RSA-CHACHA20-POLY1305", 0xcca8, "rsa"],
      ["ECDHE-ECDSA-CHACHA20-POLY1305", 0xcca9, "p256"],
      ["DHE-RSA-AES256-GCM-SHA384", 0x009f, "rsa"],
      ["AES128-GCM-SHA256", 0x009c, "rsa"],
      ["ECDHE-ECDSA-AES128-CCM", 0xc0ac, "p256"],
      ["ECDHE-ECDSA-AES256-CCM8", 0xc0af, "p256"],
      ["DHE-RSA-AES128-CCM", 0xc09e, "rsa"],
      ["DHE-RSA-AES256-CCM8", 0xc0a3, "rsa"],
      ["AES128-CCM", 0xc09c, "rsa"],
      ["AES256-CCM8", 0xc0a1, "rsa"],
      ["ECDHE-RSA-AES128-SHA", 0xc013, "rsa"],
      ["ECDHE-RSA-AES128-SHA256", 0xc027, "rsa"],
      ["ECDHE-ECDSA-AES256-SHA384", 0xc024, "p256"],
      ["DHE-RSA-AES256-SHA256", 0x006b, "rsa"],
      ["AES256-SHA", 0x0035, "rsa"],
    ] as const
  ).map((s): Case => ({
    version: "1.2",
    axis: "suite",
    value: s[0],
    cert: s[2],
    server: ["-cipher", s[0]],
    client: { cipher: s[1] },
    expect: { suite: s[1] },
  })),
  {
    version: "1.2",
    axis: "suite",
    value: "ECDHE-RSA-AES128-SHA without encrypt_then_mac",
    server: ["-cipher", "ECDHE-RSA-AES128-SHA", "-no_etm"],
    expect: { suite: 0xc013 },
    // RFC 7366: no encrypt_then_mac (22) in the ServerHello, so the records are MAC-then-encrypt.
    check: (r) => assert.ok(!(r.connection.messages.find((m) => m.name === "ServerHello")!.fields!.extensions as number[]).includes(22)),
  },
  {
    version: "1.2",
    axis: "suite",
    value: "ECDHE-RSA-AES128-SHA with encrypt_then_mac",
    server: ["-cipher", "ECDHE-RSA-AES128-SHA"],
    expect: { suite: 0xc013 },
    check: (r) => assert.ok((r.connection.messages.find((m) => m.name === "ServerHello")!.fields!.extensions as number[]).includes(22)),
  },
  // flows
  {
    version: "1.3",
    axis: "flow",
    value: "HelloRetryRequest",
    server: ["-groups", "P-384"],
    check: (r) =>
      assert.deepEqual(
        r.connection.messages.slice(0, 3).map((m) => m.name),
        ["ClientHello", "HelloRetryRequest", "ClientHello"],
      ),
  },
  ...(["1.2", "1.3"] as const).flatMap((version) =>
    (["p384", "rsa-pss", "ed25519"] as const).map((t): Case => ({
      version,
      axis: "client certificate",
      value: t,
      server: ["-Verify", "1", "-CAfile", "@CA"],
      client: { clientCertificate: clientCredential(t) },
      check: (r) => assert.ok(r.connection.messages.some((m) => m.name === "CertificateVerify" && m.dir === "c2s")),
    })),
  ),
];

requirePeer("openssl", "openssl");

cells(
  "connect ↔ openssl s_server",
  cases.map((c) => {
    const key: CellKey = { peer: "openssl s_server", role: "connect", version: c.version, axis: c.axis, value: c.value };
    return {
      key,
      run: () =>
        withServer(
          (port) => {
            const leaf = pki().leaf(c.cert ?? "rsa");
            const server = c.server.map((a) => (a === "@CA" ? pki().ca : a));
            return {
              cmd: "openssl",
              args: ["s_server", "-accept", `127.0.0.1:${port}`, "-www", "-cert", leaf.cert, "-key", leaf.key, V[c.version], ...server],
            };
          },
          async (port) => {
            const r = await connectOk(port, { version: c.version, ...c.client });
            assert.equal(r.n.version, c.version === "1.3" ? 0x0304 : 0x0303);
            for (const [k, v] of Object.entries(c.expect ?? {})) assert.equal(r.n[k as keyof Negotiated], v, `negotiated ${k}`);
            c.check?.(r);
          },
        ),
    };
  }),
);
