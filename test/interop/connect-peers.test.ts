/**
 * Matrix: the engine's `connect` against the other server stacks on the machine — GnuTLS (`gnutls-serv`, whose
 * TLS 1.3 default asks for an optional client certificate with an empty status_request, RFC 8446 §4.4.2.1),
 * nginx, Node's https and Python's ssl — over versions, certificate key types and groups.
 */
import assert from "node:assert/strict";
import { cells, requirePeer, type CellKey } from "./lib/cells";
import { clientCredential, connectOk } from "./lib/engine";
import { withServer } from "./lib/procs";
import { pki, type KeyType } from "./lib/pki";
import { gnutlsServ, nginx, nodeHttps, pythonSsl, type ServerSpec } from "./lib/servers";
import type { ConnectOptions } from "../../src/engine/connect";

type Ver = "1.2" | "1.3";
interface Case {
  peer: string;
  version: Ver;
  axis: string;
  value: string;
  server: (port: number) => ServerSpec;
  client?: Partial<ConnectOptions>;
  check?: (r: Awaited<ReturnType<typeof connectOk>>) => void;
}

const VERSIONS: Ver[] = ["1.2", "1.3"];
const certCases = (peer: string, types: KeyType[], make: (port: number, version: Ver, cert: KeyType) => ServerSpec): Case[] =>
  VERSIONS.flatMap((version) => types.map((t) => ({ peer, version, axis: "certificate", value: t, server: (port: number) => make(port, version, t) })));

const certRequest = (r: Awaited<ReturnType<typeof connectOk>>) => r.connection.messages.find((m) => m.name === "CertificateRequest");

const cases: Case[] = [
  ...certCases("gnutls-serv", ["rsa", "rsa-pss", "p256", "p384", "p521", "ed25519", "ed448"], (port, version, cert) => gnutlsServ(port, { version, cert })),
  {
    peer: "gnutls-serv",
    version: "1.3",
    axis: "CertificateRequest",
    value: "status_request, signature_algorithms",
    server: (port) => gnutlsServ(port, { version: "1.3" }),
    check: (r) => {
      const cr = certRequest(r);
      assert.ok(cr && !cr.error, `CertificateRequest decodes: ${cr?.error ?? "absent"}`);
      const exts = cr.fields!.extensions as number[];
      assert.ok(exts.includes(5) && exts.includes(13), `extensions ${exts.join(",")}`);
    },
  },
  {
    peer: "gnutls-serv",
    version: "1.3",
    axis: "CertificateRequest",
    value: "certificate_authorities",
    server: (port) => gnutlsServ(port, { version: "1.3", extra: ["--x509cafile", "@CA", "--verify-client-cert"] }),
    check: (r) => assert.ok((certRequest(r)!.fields!.extensions as number[]).includes(47)),
  },
  ...VERSIONS.map((version): Case => ({
    peer: "gnutls-serv",
    version,
    axis: "client certificate",
    value: "p256",
    server: (port) => gnutlsServ(port, { version, extra: ["--x509cafile", "@CA", "--require-client-cert"] }),
    client: { clientCertificate: clientCredential("p256") },
  })),
  ...(
    [
      ["x25519", "GROUP-X25519", 29],
      ["x448", "GROUP-X448", 30],
      ["secp256r1", "GROUP-SECP256R1", 23],
      ["secp384r1", "GROUP-SECP384R1", 24],
      ["secp521r1", "GROUP-SECP521R1", 25],
      ["ffdhe2048", "GROUP-FFDHE2048", 256],
      ["ffdhe3072", "GROUP-FFDHE3072", 257],
      ["ffdhe4096", "GROUP-FFDHE4096", 258],
    ] as const
  ).map((g): Case => ({
    peer: "gnutls-serv",
    version: "1.3",
    axis: "group",
    value: g[0],
    server: (port) => gnutlsServ(port, { version: "1.3", priority: `NORMAL:-GROUP-ALL:+${g[1]}` }),
    check: (r) => assert.equal(r.n.group, g[2]),
  })),
  ...(
    [
      ["TLS_AES_128_CCM_SHA256", "AES-128-CCM", 0x1304],
      ["TLS_AES_256_GCM_SHA384", "AES-256-GCM", 0x1302],
      ["TLS_CHACHA20_POLY1305_SHA256", "CHACHA20-POLY1305", 0x1303],
    ] as const
  ).map((s): Case => ({
    peer: "gnutls-serv",
    version: "1.3",
    axis: "suite",
    value: s[0],
    server: (port) => gnutlsServ(port, { version: "1.3", priority: `NORMAL:-CIPHER-ALL:+${s[1]}` }),
    check: (r) => assert.equal(r.n.suite, s[2]),
  })),
  ...certCases("nginx", ["rsa", "p384", "ed25519"], (port, version, cert) => nginx(port, { version, cert })),
  ...VERSIONS.map((version): Case => ({
    peer: "nginx",
    version,
    axis: "group",
    value: "secp521r1",
    server: (port) => nginx(port, { version, curves: "secp521r1" }),
    check: (r) => assert.equal(r.n.group, 25),
  })),
  ...certCases("node https", ["rsa", "p256", "p521", "ed25519"], (port, version, cert) => nodeHttps(port, { version, cert })),
  {
    peer: "node https",
    version: "1.3",
    axis: "group",
    value: "x448",
    server: (port) => nodeHttps(port, { version: "1.3", ecdhCurve: "X448" }),
    check: (r) => assert.equal(r.n.group, 30),
  },
  ...certCases("python ssl", ["rsa", "p384", "ed448"], (port, version, cert) => pythonSsl(port, { version, cert })),
];

for (const [cmd, pkg] of [
  ["gnutls-serv", "gnutls-bin"],
  ["nginx", "nginx-light"],
  ["python3", "python3"],
])
  requirePeer(cmd, pkg);

cells(
  "connect ↔ gnutls-serv, nginx, node, python",
  cases.map((c) => {
    const key: CellKey = { peer: c.peer, role: "connect", version: c.version, axis: c.axis, value: c.value };
    return {
      key,
      run: () =>
        withServer(
          (port) => {
            const s = c.server(port);
            return { ...s, args: s.args.map((a) => (a === "@CA" ? pki().ca : a)) };
          },
          async (port) => {
            const r = await connectOk(port, { version: c.version, ...c.client });
            assert.equal(r.n.version, c.version === "1.3" ? 0x0304 : 0x0303);
            c.check?.(r);
          },
        ),
    };
  }),
);
