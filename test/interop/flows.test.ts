/**
 * Matrix: flows that take more than one exchange — resumption (TLS 1.2 session id and ticket, TLS 1.3 PSK),
 * KeyUpdate in both directions, and renegotiation asked for by the peer (RFC 5746), which the engine refuses
 * visibly: a failed "renegotiation" check in the step list and a warning no_renegotiation alert on the wire.
 * Peers: openssl s_server / s_client.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { cells, requirePeer, type CellKey } from "./lib/cells";
import { connectOk } from "./lib/engine";
import { start, waitFor, withServer } from "./lib/procs";
import { pki } from "./lib/pki";
import { connect } from "../../src/engine/connect";
import { serve, type ServedConnection } from "../../src/engine/serve";
import { credentialFromPem } from "../../src/engine/keyLoad";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

type Ver = "1.2" | "1.3";
const V = { "1.2": "-tls1_2", "1.3": "-tls1_3" } as const;
const REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
const leaf = () => pki().leaf("p256");
const sServer = (port: number, version: Ver, extra: string[] = []) => ({
  cmd: "openssl",
  args: ["s_server", "-accept", `127.0.0.1:${port}`, "-cert", leaf().cert, "-key", leaf().key, V[version], ...extra],
});
const sClientArgs = (port: number, version: Ver, extra: string[] = []) => [
  ...["s_client", "-connect", `127.0.0.1:${port}`, "-servername", "localhost", "-CAfile", pki().ca, "-verify_return_error", V[version]],
  ...extra,
];
const refused = (steps: { kind: string; title?: string; ok?: boolean }[]) =>
  assert.ok(
    steps.some((s) => s.kind === "check" && s.title === "renegotiation" && s.ok === false),
    "the refusal is a step",
  );
const names = (c: { messages: { name: string; dir: string }[] }, name: string) => c.messages.filter((m) => m.name === name).map((m) => m.dir);

/** The engine's server for several connections of one client peer: `client(port)` runs them; every report kept. */
async function serveMany(run: (port: number) => Promise<void>, o: { versions: number[] }): Promise<ServedConnection[]> {
  const all: ServedConnection[] = [];
  const cred = credentialFromPem(readFileSync(leaf().cert, "utf8"), readFileSync(leaf().key, "utf8"));
  const srv = await serve({ port: 0, timeoutMs: 12_000, credential: cred, versions: o.versions, onConnection: (c) => all.push(c) });
  try {
    await run(srv.port);
    for (let i = 0; i < 50 && all.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    return all;
  } finally {
    await srv.close();
  }
}

interface Case {
  peer: string;
  role: "connect" | "serve";
  version: Ver;
  axis: string;
  value: string;
  run: () => Promise<void>;
}

const connectResume = (version: Ver, value: string, extra: string[], check: (second: Awaited<ReturnType<typeof connectOk>>) => void): Case => ({
  peer: "openssl s_server",
  role: "connect",
  version,
  axis: "resumption",
  value,
  run: () =>
    withServer(
      (port) => sServer(port, version, ["-www", ...extra]),
      async (port) => {
        const first = await connectOk(port, { version });
        assert.ok(first.sessions.length > 0, "the server offered a session");
        const second = await connectOk(port, { version, session: first.sessions[first.sessions.length - 1] });
        assert.equal(names(second.connection, "Certificate").length, 0, "no certificate: the session was resumed");
        check(second);
      },
    ),
});

const serveResume = (version: Ver, value: string, extra: string[]): Case => ({
  peer: "openssl s_client",
  role: "serve",
  version,
  axis: "resumption",
  value,
  run: async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "interop-sess-"));
    try {
      const sess = path.join(dir, "session.pem");
      const served = await serveMany(
        async (port) => {
          for (const io of [
            ["-sess_out", sess],
            ["-sess_in", sess],
          ]) {
            const c = start("openssl", sClientArgs(port, version, ["-ign_eof", ...io, ...extra]), { stdin: REQUEST });
            await new Promise((r) => c.child.on("close", r));
            assert.match(c.output(), /hello from tls-handshake-explorer/, c.output().slice(-1500));
          }
        },
        { versions: [version === "1.3" ? 0x0304 : 0x0303] },
      );
      assert.equal(served.length, 2);
      assert.ok(served.every((s) => s.ok && s.connection.messages.filter((m) => m.name === "Finished").every((m) => m.verified === true)));
      assert.equal(names(served[1].connection, "Certificate").length, 0, "the second handshake resumed");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

const cases: Case[] = [
  connectResume("1.2", "session id", ["-no_ticket"], (r) => assert.equal(names(r.connection, "NewSessionTicket").length, 0)),
  connectResume("1.2", "ticket", [], () => {}),
  connectResume("1.3", "PSK (ticket)", [], (r) =>
    assert.ok((r.connection.messages.find((m) => m.name === "ServerHello")!.fields!.extensions as number[]).includes(41)),
  ),
  serveResume("1.2", "session id", ["-no_ticket"]),
  serveResume("1.2", "ticket", []),
  serveResume("1.3", "PSK (ticket)", []),
  {
    peer: "openssl s_server",
    role: "connect",
    version: "1.3",
    axis: "KeyUpdate",
    value: "both directions",
    run: () =>
      withServer(
        (port) => sServer(port, "1.3", ["-www"]),
        async (port) => {
          const r = await connectOk(port, { version: "1.3", keyUpdate: true });
          assert.deepEqual(names(r.connection, "KeyUpdate").sort(), ["c2s", "s2c"]);
        },
      ),
  },
  {
    peer: "openssl s_client",
    role: "serve",
    version: "1.3",
    axis: "KeyUpdate",
    value: "both directions",
    run: async () => {
      const served = await serveMany(
        async (port) => {
          // Without -ign_eof s_client reads commands: "K" is a KeyUpdate asking for one back (update_requested).
          const c = start("openssl", sClientArgs(port, "1.3"));
          await waitFor(() => /Verify return code: 0/.test(c.output()), 8000, "s_client handshake");
          c.child.stdin!.write("K\n");
          await new Promise((r) => setTimeout(r, 300));
          c.child.stdin!.write(REQUEST);
          await waitFor(() => /hello from tls-handshake-explorer/.test(c.output()), 8000, "the answer");
          c.child.stdin!.end();
          c.kill();
        },
        { versions: [0x0304] },
      );
      const s = served[0];
      assert.ok(s && s.ok, s?.error);
      assert.deepEqual(names(s.connection, "KeyUpdate").sort(), ["c2s", "s2c"]);
    },
  },
  {
    peer: "openssl s_server",
    role: "connect",
    version: "1.2",
    axis: "renegotiation",
    value: "server-initiated, refused",
    run: () =>
      withServer(
        (port) => sServer(port, "1.2"),
        async (port, peer) => {
          let answered = false;
          const pending = connect({
            host: "127.0.0.1",
            port,
            version: "1.2",
            ca: readFileSync(pki().ca, "utf8"),
            timeoutMs: 6000,
            onStep: (s) => {
              if (s.kind === "message" && s.title === "ApplicationData" && s.actor === "server") answered = true;
            },
          });
          await waitFor(() => /GET \//.test(peer.output()), 8000, "the request at s_server");
          peer.child.stdin!.write("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
          await waitFor(() => answered, 8000, "the answer at connect");
          peer.child.stdin!.write("R\n"); // s_server: send a HelloRequest
          const r = await pending;
          assert.equal(r.connection.messages.filter((m) => m.name === "Finished" && m.verified === true).length, 2);
          assert.match(r.appData.firstLine ?? "", /^HTTP\/1\.0 200/);
          assert.ok(
            r.connection.messages.some((m) => m.name === "HelloRequest"),
            "the HelloRequest was received",
          );
          refused(r.steps);
          assert.ok(
            r.connection.alerts.some((a) => a.dir === "c2s" && a.level === 1 && a.description === 100),
            "warning no_renegotiation sent",
          );
        },
      ),
  },
  {
    peer: "openssl s_client",
    role: "serve",
    version: "1.2",
    axis: "renegotiation",
    value: "client-initiated, refused",
    run: async () => {
      let answer = false;
      const served = await serveMany(
        async (port) => {
          const c = start("openssl", sClientArgs(port, "1.2"));
          await waitFor(() => /Verify return code: 0/.test(c.output()), 8000, "s_client handshake");
          // serve answers one request and closes: the renegotiation comes first, the request after it.
          c.child.stdin!.write("R\n"); // s_client: renegotiate (a new ClientHello)
          await new Promise((r) => setTimeout(r, 500));
          c.child.stdin!.write(REQUEST);
          await new Promise((r) => setTimeout(r, 1000));
          answer = /hello from tls-handshake-explorer/.test(c.output());
          c.kill();
        },
        { versions: [0x0303] },
      );
      const s = served[0];
      assert.ok(s, "a connection was served");
      assert.equal(s.connection.messages.filter((m) => m.name === "Finished" && m.verified === true).length, 2);
      refused(s.steps);
      // OpenSSL's client ends the connection at the refusal (handshake_failure) instead of carrying on.
      if (answer) assert.match(s.appData.firstLine ?? "", /^GET \//);
      else
        assert.ok(
          s.connection.alerts.some((a) => a.dir === "c2s" && a.level === 2),
          "or the client ended it with a fatal alert",
        );
      assert.ok(
        s.connection.alerts.some((a) => a.dir === "s2c" && a.level === 1 && a.description === 100),
        "warning no_renegotiation sent",
      );
    },
  },
];

requirePeer("openssl", "openssl");

cells(
  "flows: resumption, KeyUpdate, renegotiation",
  cases.map((c) => ({ key: { peer: c.peer, role: c.role, version: c.version, axis: c.axis, value: c.value } satisfies CellKey, run: c.run })),
  3,
);
