/**
 * Capture cells, preambles: TLS after plaintext on the same TCP stream, recorded with tcpdump on loopback from
 * real peers and decoded with the client's key log. Each connection is listed like any other, as tshark (told
 * the protocol of the port) lists it, with its preamble: the protocol, the proxy target, and the plaintext bytes
 * each side sent before TLS (those tshark counts before its first TLS record of that side).
 *
 * HTTP CONNECT through Debian's tinyproxy (curl as the client); SOCKS 4, 4a, 5 (IPv4 and host name) through a
 * proxy this test starts (curl); STARTTLS for SMTP, IMAP, POP3, FTP, LDAP and PostgreSQL with
 * `openssl s_client -starttls` against servers this test starts (upgradeServers.ts), which hand the socket to
 * node:tls. Every server behind a proxy is `openssl s_server`.
 */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { cert, workDir } from "./lib/capture/certs";
import { captureCells, requireProgram, type CaptureCell } from "./lib/capture/cells";
import { compareWithTshark, inspectJson, tsharkOracle, tsharkPreambleBytes, type OurConnection } from "./lib/capture/oracle";
import { run, start, tcpdump, waitOutput, type Proc } from "./lib/procs";
import { freePort, waitListening } from "../support/ports";
import { socksProxy, upgradeServer, type Upgrade } from "./lib/capture/upgradeServers";

for (const [cmd, pkg] of [
  ["tcpdump", "tcpdump"],
  ["tshark", "tshark"],
  ["openssl", "openssl"],
  ["curl", "curl"],
  ["tinyproxy", "tinyproxy"],
  ["python3", "python3"],
]) {
  requireProgram(cmd, pkg);
}

let seq = 0;
function files(name: string) {
  const base = path.join(workDir(), `${name}-${++seq}`);
  return { pcap: `${base}.pcap`, keylog: `${base}.keylog` };
}

/** openssl s_server on a free port (its -www page answers curl). */
async function opensslServer(): Promise<{ port: number; proc: Proc }> {
  const port = await freePort();
  const c = cert("rsa");
  const proc = start("openssl", ["s_server", "-accept", `127.0.0.1:${port}`, "-cert", c.cert, "-key", c.key, "-www"], { stdin: "keep" });
  // s_server prints ACCEPT once it listens (a probe connection would take its place in the accept queue).
  await waitOutput(proc, "ACCEPT", 20_000);
  return { port, proc };
}

/** Decode and compare; returns the connection whose client is the peer that spoke the preamble. */
async function check(
  pcap: string,
  keylog: string,
  decodeAs: string[],
  where: string,
): Promise<{ ours: OurConnection[]; bytes: Map<string, { c2s: number; s2c: number }> }> {
  const oracle = await tsharkOracle(pcap, keylog, decodeAs);
  const ours = compareWithTshark(await inspectJson(pcap, keylog), oracle, where);
  return { ours, bytes: await tsharkPreambleBytes(pcap, decodeAs) };
}

function assertPreamble(c: OurConnection, bytes: Map<string, { c2s: number; s2c: number }>, protocol: string, target: string | null, where: string): void {
  assert.ok(c.preamble, `${where}: a preamble`);
  const want = bytes.get(`${c.client.ip}:${c.client.port}`);
  assert.deepEqual(c.preamble, { protocol, target, c2sBytes: want?.c2s, s2cBytes: want?.s2c }, `${where}: preamble`);
  assert.ok(c.preamble.c2sBytes > 0 && c.preamble.s2cBytes > 0, `${where}: plaintext both ways`);
}

const STARTTLS: { proto: Upgrade; tshark: string }[] = [
  { proto: "smtp", tshark: "smtp" },
  { proto: "imap", tshark: "imap" },
  { proto: "pop3", tshark: "pop" },
  { proto: "ftp", tshark: "ftp" },
  { proto: "ldap", tshark: "ldap" },
  { proto: "postgres", tshark: "pgsql" },
];

const list: CaptureCell[] = [];

for (const { proto, tshark } of STARTTLS) {
  list.push({
    key: { peer: "openssl→node", version: "1.3", axis: "preamble", value: `${proto} STARTTLS` },
    run: async () => {
      const f = files(proto);
      writeFileSync(f.keylog, "");
      const c = cert("rsa");
      const server = await upgradeServer(proto, { ...c, keylog: f.keylog });
      const cap = await tcpdump(f.pcap, [server.port]);
      try {
        const r = await run("openssl", ["s_client", "-connect", `127.0.0.1:${server.port}`, "-starttls", proto, "-keylogfile", f.keylog, "-ign_eof"], {
          stdin: "",
          ms: 10_000,
        });
        assert.match(r.out, /Protocol\s*:\s*TLSv1\.3|New, TLSv1\.3/, `s_client did not finish the handshake:\n${r.out.slice(-2000)}`);
      } finally {
        await cap.stop();
        await server.close();
      }
      const { ours, bytes } = await check(f.pcap, f.keylog, [`${server.port},${tshark}`], proto);
      assert.equal(ours.length, 1, `${proto}: one connection`);
      assertPreamble(ours[0], bytes, proto, null, proto);
      assert.deepEqual(
        [ours[0].preamble!.c2sBytes, ours[0].preamble!.s2cBytes],
        [server.counts.read, server.counts.written],
        `${proto}: the server's own counts`,
      );
    },
  });
}

for (const [value, flag, host, target] of [
  ["SOCKS 4", "--socks4", "127.0.0.1", "socks4"],
  ["SOCKS 4a", "--socks4a", "localhost", "socks4"],
  ["SOCKS 5", "--socks5", "127.0.0.1", "socks5"],
  ["SOCKS 5 host name", "--socks5-hostname", "localhost", "socks5"],
] as const) {
  list.push({
    key: { peer: "curl→openssl", version: "1.3", axis: "preamble", value },
    run: async () => {
      const f = files("socks");
      const s = await opensslServer();
      const proxy = await socksProxy(s.port);
      const cap = await tcpdump(f.pcap, [proxy.port, s.port]);
      try {
        const r = await run("curl", ["-sk", flag, `127.0.0.1:${proxy.port}`, `https://${host}:${s.port}/`, "-o", "/dev/null", "-w", "%{http_code}"], {
          env: { ...process.env, SSLKEYLOGFILE: f.keylog },
          ms: 10_000,
        });
        assert.equal(r.out.trim(), "200", `curl through ${value}: ${r.out}`);
      } finally {
        await cap.stop();
        await proxy.close();
        s.proc.kill();
      }
      // tshark 4.0 reads the SOCKS leg's records but does not decrypt them: without keys, both legs are compared
      // whole (frames included); with them, the SOCKS leg's decryption against tshark's of the relayed leg.
      const decodeAs = [`${proxy.port},socks`];
      compareWithTshark(await inspectJson(f.pcap, null), await tsharkOracle(f.pcap, null, decodeAs), `${value} without keys`, { keyless: true });
      const oracle = await tsharkOracle(f.pcap, f.keylog, decodeAs);
      const legs = oracle.streams.filter((x) => x.records.length > 0);
      const viaProxy = legs.find((x) => x.server.port === proxy.port);
      const toServer = legs.find((x) => x.server.port === s.port);
      assert.ok(viaProxy && toServer, `${value}: tshark finds both legs`);
      const relayed = new Map([[`${viaProxy.client.ip}:${viaProxy.client.port}`, `${toServer.client.ip}:${toServer.client.port}`]]);
      const ours = compareWithTshark(await inspectJson(f.pcap, f.keylog), oracle, value, { relayed });
      const bytes = await tsharkPreambleBytes(f.pcap, decodeAs);
      const via = ours.filter((c) => c.server.port === proxy.port);
      assert.equal(via.length, 1, `${value}: one connection through the proxy`);
      assertPreamble(via[0], bytes, target, `${host}:${s.port}`, value);
      assert.deepEqual([via[0].preamble!.c2sBytes, via[0].preamble!.s2cBytes], [proxy.counts.read, proxy.counts.written], `${value}: the proxy's own counts`);
    },
  });
}

list.push({
  key: { peer: "curl→openssl", version: "1.3", axis: "preamble", value: "HTTP CONNECT (tinyproxy)" },
  run: async () => {
    const f = files("connect");
    const s = await opensslServer();
    const port = await freePort();
    const conf = path.join(workDir(), `tinyproxy-${port}.conf`);
    writeFileSync(conf, `Port ${port}\nListen 127.0.0.1\nTimeout 30\nAllow 127.0.0.1\nLogLevel Critical\nMaxClients 4\n`);
    const proxy = start("tinyproxy", ["-d", "-c", conf], { stdin: "keep" });
    try {
      await waitListening(port, proxy.child);
      const cap = await tcpdump(f.pcap, [port, s.port]);
      try {
        const r = await run("curl", ["-sk", "-x", `http://127.0.0.1:${port}`, `https://127.0.0.1:${s.port}/`, "-o", "/dev/null", "-w", "%{http_code}"], {
          env: { ...process.env, SSLKEYLOGFILE: f.keylog },
          ms: 10_000,
        });
        assert.equal(r.out.trim(), "200", `curl through tinyproxy: ${r.out}\n${proxy.output().slice(-2000)}`);
      } finally {
        await cap.stop();
      }
    } finally {
      proxy.kill();
      s.proc.kill();
    }
    const { ours, bytes } = await check(f.pcap, f.keylog, [`${port},http`], "HTTP CONNECT");
    const via = ours.filter((c) => c.server.port === port);
    assert.equal(via.length, 1, "one connection through the proxy");
    assertPreamble(via[0], bytes, "http-connect", `127.0.0.1:${s.port}`, "HTTP CONNECT");
    // tinyproxy's own leg to the server is plain TLS.
    const leg = ours.filter((c) => c.server.port === s.port);
    assert.equal(leg.length, 1, "tinyproxy's connection to the server");
    assert.equal(leg[0].preamble, null, "no preamble on the proxy's leg");
  },
});

captureCells("capture cells: preambles", list, 3);
