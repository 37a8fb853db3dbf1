/**
 * QUIC recorded live: ngtcp2's example server and client (gtlsserver, gtlsclient; GnuTLS inside) on 127.0.0.1,
 * the client writing its NSS key log (SSLKEYLOGFILE), the traffic captured by tcpdump on lo. The capture is then
 * decoded by the project and by tshark with the same key log (test/tools/quic-oracle.py, as for the fixtures) and
 * the two compared packet by packet, frame by frame and message by message. A plain v1 handshake and one where the
 * server validates the address with a Retry first (gtlsserver -V).
 * Every process started here is killed by its pid; every wait is bounded. KEEP=1 keeps the recording's folder.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as dgram from "node:dgram";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspectFile } from "../../../../src/inspect/inspect";
import { HandshakeType } from "../../../../src/tls/registry";
import { compareCapture, counts, type Oracle } from "./oracleCompare";

const root = path.resolve(__dirname, "../../../..");
const certs = path.join(root, "test/fixtures/quic/certs");
const oracleScript = path.join(root, "test/tools/quic-oracle.py");
const isRoot = process.getuid?.() === 0;
const found = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`], { timeout: 10000 }).status === 0;

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket("udp4");
    s.once("error", reject);
    s.bind(0, "127.0.0.1", () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 100 ms, at most `ms`. */
async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (check()) return;
    await sleep(100);
  }
  throw new Error(`${what}: not after ${ms} ms`);
}

function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM", ms = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.pid && process.kill(child.pid, "SIGKILL"), ms);
    child.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.pid) process.kill(child.pid, signal);
  });
}

async function record(name: string, serverArgs: string[]): Promise<{ pcap: string; keylog: string; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), `quic-live-${name}-`));
  const htdocs = path.join(dir, "htdocs");
  mkdirSync(htdocs);
  writeFileSync(path.join(htdocs, "index.html"), "hello over QUIC\n");
  const pcap = path.join(dir, `${name}.pcap`);
  const keylog = path.join(dir, `${name}.keylog`);
  const port = await freeUdpPort();
  const children: ChildProcess[] = [];
  try {
    // --immediate-mode: packets reach the file as they arrive, not when a kernel buffer block fills (a handshake
    // of ten packets could still sit in one when tcpdump is stopped).
    const dump = spawn("tcpdump", ["-i", "lo", "-U", "--immediate-mode", "-n", "-s", "0", "-w", pcap, `udp port ${port}`], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    children.push(dump);
    let dumpErr = "";
    dump.stderr!.on("data", (d: Buffer) => (dumpErr += d.toString()));
    await until(() => /listening on/.test(dumpErr), 10000, `tcpdump (${dumpErr})`);
    // --max-gso-dgrams=1: one datagram per send (a GSO super-datagram is captured on lo before the kernel splits it).
    const server = spawn(
      "gtlsserver",
      [
        "-q",
        "-d",
        htdocs,
        "--max-gso-dgrams=1",
        ...serverArgs,
        "127.0.0.1",
        String(port),
        path.join(certs, "server-ecdsa.key"),
        path.join(certs, "server-ecdsa.pem"),
      ],
      { stdio: "ignore" },
    );
    children.push(server);
    // Wait for its socket without sending to it (a probe would be in the capture).
    await until(
      () =>
        spawnSync("ss", ["-Hlun", `sport = :${port}`], { timeout: 5000 })
          .stdout?.toString()
          .trim() !== "",
      10000,
      "gtlsserver's socket",
    );
    const download = path.join(dir, "download");
    mkdirSync(download);
    const client = spawnSync(
      "gtlsclient",
      ["-q", "--exit-on-all-streams-close", `--download=${download}`, "127.0.0.1", String(port), `https://127.0.0.1:${port}/index.html`],
      { env: { ...process.env, SSLKEYLOGFILE: keylog }, timeout: 20000, stdio: ["ignore", "pipe", "pipe"] },
    );
    assert.equal(client.error, undefined, `gtlsclient: ${client.error?.message}`);
    const page = path.join(download, "index.html");
    assert.ok(existsSync(page) && readFileSync(page, "utf8").includes("hello over QUIC"), `gtlsclient got no page: ${client.stderr.toString().slice(0, 400)}`);
    await sleep(300);
    await stop(server);
    await sleep(300);
    await stop(dump, "SIGINT");
    return { pcap, keylog, dir };
  } finally {
    for (const c of children) await stop(c, "SIGKILL", 1000);
  }
}

after(() => console.log(`compared with tshark: ${JSON.stringify(counts)}`));

const cases: { name: string; serverArgs: string[]; retry: boolean }[] = [
  { name: "v1", serverArgs: [], retry: false },
  { name: "retry", serverArgs: ["-V"], retry: true },
];

for (const c of cases) {
  test(
    `live QUIC (${c.name}): gtlsclient ↔ gtlsserver on 127.0.0.1, decoded as tshark decodes it`,
    { timeout: 120000, skip: isRoot ? false : "tcpdump on lo needs root" },
    async () => {
      for (const cmd of ["gtlsserver", "gtlsclient", "tcpdump", "tshark", "python3", "ss"])
        assert.ok(found(cmd), `${cmd} is needed (.ci/run and scripts/bootstrap.js install it)`);
      const { pcap, keylog, dir } = await record(c.name, c.serverArgs);
      try {
        assert.ok(existsSync(keylog) && readFileSync(keylog, "utf8").includes("CLIENT_HANDSHAKE_TRAFFIC_SECRET"), "the client wrote no key log");
        const oracleRun = spawnSync("python3", [oracleScript, pcap, "--keylog", keylog], { timeout: 60000, maxBuffer: 64 << 20 });
        assert.equal(oracleRun.status, 0, `quic-oracle.py: ${oracleRun.stderr?.toString().slice(0, 400)}`);
        const oracle = JSON.parse(oracleRun.stdout.toString()) as Oracle;
        const model = inspectFile(pcap, { keylog: readFileSync(keylog, "utf8"), detail: "fields" });
        compareCapture(model, oracle, `live ${c.name}`);
        // What the recording was for: one decrypted QUIC connection, both Finished verified, Retry as asked.
        const quic = model.connections.filter((x) => x.transport === "quic");
        assert.equal(quic.length, 1);
        const conn = quic[0];
        assert.ok(conn.decrypted);
        const finished = conn.messages.filter((m) => m.type === HandshakeType.finished);
        assert.deepEqual(
          finished.map((m) => [m.dir, (m.fields as Record<string, unknown>).verified]),
          [
            ["s2c", true],
            ["c2s", true],
          ],
        );
        assert.equal(conn.quic?.retry, c.retry);
        if (c.retry)
          assert.ok(
            conn.packets?.some((p) => p.type === "Retry" && p.retryIntegrity === true),
            "a Retry whose integrity tag verifies",
          );
      } finally {
        if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
        else console.log(dir);
      }
    },
  );
}
