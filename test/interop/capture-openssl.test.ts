/**
 * Capture cells, openssl s_client → openssl s_server: versions, groups, suites, extensions and flows recorded with
 * tcpdump on loopback and the client's key log (SSLKEYLOGFILE format, -keylogfile), then `inspect --json --keylog`
 * compared with tshark's decode — every connection, record, message, frame, field and alert — with every Finished
 * verified and no error of ours.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { cert } from "./lib/capture/certs";
import { captureCells, requireProgram, type CaptureCell, type CaptureCellKey } from "./lib/capture/cells";
import { type OurConnection } from "./lib/capture/oracle";
import { checkRecording, recordTwoPeers } from "./lib/capture/record";
import { start } from "./lib/procs";
import { pki, type KeyType } from "./lib/pki";

for (const [cmd, pkg] of [
  ["tcpdump", "tcpdump"],
  ["tshark", "tshark"],
  ["openssl", "openssl"],
  ["python3", "python3"],
]) {
  requireProgram(cmd, pkg);
}

const GET = "GET / HTTP/1.0\r\n\r\n";

interface Spec {
  key: Omit<CaptureCellKey, "peer">;
  /** The server's certificate key (test/interop/lib/pki.ts; RSA by default). */
  cert?: KeyType;
  server: string[];
  /** One entry per client connection, in order; `{sess}` is replaced by the session file. */
  clients: string[][];
  /** Early data to send (with -early_data) on the connections that ask for it. */
  early?: string;
  /** s_server answers GET with -www (not allowed with -early_data: then the client only sends and ends). */
  noWww?: boolean;
  check?: (conns: OurConnection[]) => void;
}

/** The group a handshake negotiated: TLS 1.3's ServerHello key_share, TLS 1.2's ServerKeyExchange. */
function negotiatedGroup(conns: OurConnection[]): unknown {
  const sh = conns[0].messages.find((m) => m.name === "ServerHello");
  const ske = conns[0].messages.find((m) => m.name === "ServerKeyExchange");
  return sh?.fields.keyShareGroup ?? ske?.fields.namedGroup;
}

/** The scheme the server signed with: CertificateVerify (TLS 1.3) or ServerKeyExchange (TLS 1.2). */
function serverSignature(conns: OurConnection[]): unknown {
  const m = conns[0].messages.find((x) => x.dir === "s2c" && (x.name === "CertificateVerify" || x.name === "ServerKeyExchange"));
  return m?.fields.signatureAlgorithm;
}

const SPECS: Spec[] = [
  // Groups (RFC 8446 §4.2.7, RFC 8422 §5.1.1): each one the only one both sides allow, so it is negotiated.
  ...(
    [
      ["1.3", "X25519", "x25519", 0x001d],
      ["1.3", "X448", "x448", 0x001e],
      ["1.3", "P-256", "secp256r1", 0x0017],
      ["1.3", "P-384", "secp384r1", 0x0018],
      ["1.3", "P-521", "secp521r1", 0x0019],
      ["1.2", "X448", "x448", 0x001e],
      ["1.2", "P-521", "secp521r1", 0x0019],
    ] as const
  ).map(([version, openssl, name, code]): Spec => ({
    key: { version, axis: "group", value: name },
    server: [version === "1.3" ? "-tls1_3" : "-tls1_2", "-groups", openssl],
    clients: [[version === "1.3" ? "-tls1_3" : "-tls1_2", "-groups", openssl]],
    check: (conns) => assert.equal(negotiatedGroup(conns), code, `${name} negotiated`),
  })),
  // Certificate keys and the schemes they sign with (RFC 8446 §4.2.3): TLS 1.3 binds the ECDSA curve to the
  // scheme; TLS 1.2 names only the hash (RFC 8422 §5.10).
  ...(
    [
      ["1.3", "rsa-pss", 0x0809],
      ["1.3", "p384", 0x0503],
      ["1.3", "p521", 0x0603],
      ["1.3", "ed25519", 0x0807],
      ["1.3", "ed448", 0x0808],
      ["1.2", "p384", null],
      ["1.2", "ed25519", 0x0807],
    ] as const
  ).map(([version, kind, scheme]): Spec => ({
    key: { version, axis: "certificate", value: kind },
    cert: kind,
    server: [version === "1.3" ? "-tls1_3" : "-tls1_2"],
    clients: [[version === "1.3" ? "-tls1_3" : "-tls1_2"]],
    check: (conns) => {
      const got = serverSignature(conns);
      if (scheme !== null) assert.equal(got, scheme, `the server signed with 0x${scheme.toString(16)}`);
      else assert.equal(typeof got === "number" && (got & 0xff) === 3, true, "an ECDSA signature (any hash)");
    },
  })),
  ...["ffdhe2048", "ffdhe3072", "ffdhe4096"].map((g): Spec => ({
    key: { version: "1.3", axis: "group", value: g },
    server: ["-tls1_3", "-groups", g],
    clients: [["-tls1_3", "-groups", g]],
  })),
  ...(
    [
      ["ECDHE-RSA-AES128-SHA", true],
      ["ECDHE-RSA-AES128-SHA", false],
      ["ECDHE-RSA-AES128-SHA256", true],
      ["ECDHE-RSA-AES256-SHA384", false],
      ["DHE-RSA-AES256-SHA256", true],
      ["DHE-RSA-AES128-SHA", false],
      ["AES128-SHA", false],
      ["AES256-SHA256", true],
    ] as const
  ).map(([suite, etm]): Spec => ({
    key: { version: "1.2", axis: "suite", value: `${suite} ${etm ? "encrypt_then_mac" : "no encrypt_then_mac"}` },
    server: ["-tls1_2", "-cipher", suite],
    clients: [["-tls1_2", "-cipher", suite, ...(etm ? [] : ["-no_etm"])]],
    check: (conns) => {
      const sh = conns[0].messages.find((m) => m.name === "ServerHello")!;
      assert.equal((sh.fields.extensions as number[]).includes(22), etm, "encrypt_then_mac negotiated or not");
    },
  })),
  {
    key: { version: "1.2", axis: "resumption", value: "session id" },
    server: ["-tls1_2", "-no_ticket"],
    clients: [
      ["-tls1_2", "-sess_out", "{sess}"],
      ["-tls1_2", "-sess_in", "{sess}"],
    ],
    check: resumed,
  },
  {
    key: { version: "1.2", axis: "resumption", value: "ticket" },
    server: ["-tls1_2"],
    clients: [
      ["-tls1_2", "-sess_out", "{sess}"],
      ["-tls1_2", "-sess_in", "{sess}"],
    ],
    check: resumed,
  },
  {
    key: { version: "1.3", axis: "resumption", value: "PSK" },
    server: ["-tls1_3"],
    clients: [
      ["-tls1_3", "-sess_out", "{sess}"],
      ["-tls1_3", "-sess_in", "{sess}"],
    ],
    check: resumed,
  },
  {
    key: { version: "1.3", axis: "0-RTT", value: "accepted" },
    server: ["-tls1_3", "-early_data"],
    noWww: true,
    clients: [
      ["-tls1_3", "-sess_out", "{sess}"],
      ["-tls1_3", "-sess_in", "{sess}", "-early_data", "{early}"],
    ],
    early: GET,
    check: (conns) => earlyData(conns, true),
  },
  {
    key: { version: "1.3", axis: "0-RTT", value: "rejected" },
    server: ["-tls1_3"],
    clients: [
      ["-tls1_3", "-sess_out", "{sess}"],
      ["-tls1_3", "-sess_in", "{sess}", "-early_data", "{early}"],
    ],
    early: GET,
    check: (conns) => earlyData(conns, false),
  },
];

function resumed(conns: OurConnection[]): void {
  assert.equal(conns.length, 2, "two connections");
  assert.ok(!conns[1].messages.some((m) => m.name === "Certificate"), "the second resumed (no Certificate)");
}

/** RFC 8446 §4.2.10: EncryptedExtensions carries early_data (42) when the server accepted it. */
function earlyData(conns: OurConnection[], accepted: boolean): void {
  assert.equal(conns.length, 2, "two connections");
  const ee = conns[1].messages.find((m) => m.name === "EncryptedExtensions")!;
  assert.equal((ee.fields.extensions as number[]).includes(42), accepted, `early data ${accepted ? "accepted" : "rejected"}`);
  assert.equal(
    conns[1].messages.some((m) => m.name === "EndOfEarlyData"),
    accepted,
    "EndOfEarlyData decrypted with the early traffic secret",
  );
}

const list: CaptureCell[] = SPECS.map((s) => ({
  key: { peer: "openssl→openssl", ...s.key },
  run: async () => {
    const k = s.cert ? pki().leaf(s.cert) : cert("rsa");
    const rec = await recordTwoPeers(
      "openssl",
      (port) => ({
        cmd: "openssl",
        args: ["s_server", "-accept", `127.0.0.1:${port}`, "-cert", k.cert, "-key", k.key, ...(s.noWww ? [] : ["-www"]), ...s.server],
        ready: "ACCEPT",
      }),
      async ({ port, files }) => {
        const sess = `${files.base}.sess`;
        const early = `${files.base}.early`;
        if (s.early) writeFileSync(early, s.early);
        for (const args of s.clients) {
          const a = args.map((x) => x.replace("{sess}", sess).replace("{early}", early));
          const c = start("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, "-keylogfile", files.keylog, ...(s.noWww ? [] : ["-ign_eof"]), ...a]);
          c.child.stdin!.write(GET);
          // Without -www nothing answers: the client ends its input once the server's tickets have had time to come.
          const ending = s.noWww ? setTimeout(() => c.child.stdin!.end(), 2000) : undefined;
          if (!s.noWww) c.child.stdin!.end();
          const bound = setTimeout(() => c.kill(), 20_000);
          await c.exited;
          clearTimeout(bound);
          clearTimeout(ending);
          const out = c.output();
          if (s.noWww) assert.match(out, /(New|Reused), TLSv1\.3/, `s_client ${a.join(" ")}:\n${out.slice(-1500)}`);
          else assert.match(out, /HTTP\/1\.0 200/, `s_client ${a.join(" ")}:\n${out.slice(-1500)}`);
        }
      },
    );
    assert.ok(readFileSync(rec.keylog, "utf8").length > 0, "a key log");
    const conns = await checkRecording(rec, s.key.value, { connections: s.clients.length });
    s.check?.(conns);
  },
}));

captureCells("capture cells: openssl → openssl", list, 3);
