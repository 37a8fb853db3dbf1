/**
 * A real browser against the engine's server: headless Debian Chromium loads a page from `tls-handshake serve` on
 * 127.0.0.1 and negotiates X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem), which every current browser offers first.
 * Asserted from serve's own JSON (the ServerHello's key share), and from a tcpdump capture of the same traffic
 * that tshark decrypts with Chromium's key log (the HTTP answer inside is the oracle that the keys were right).
 * Every process started here is killed by its pid; every wait is bounded.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NamedGroup } from "../../../../src/tls/registry";

const root = path.resolve(__dirname, "../../../..");
const main = path.join(root, "src/cli/main.ts");
const has = (cmd: string, arg = "--version") => spawnSync(cmd, [arg], { timeout: 20000 }).status === 0;
const canCapture = process.getuid?.() === 0 && has("tcpdump") && has("tshark");

/** Resolves with the first match of `re` in the child's stream, or rejects after `ms`. */
function waitFor(child: ChildProcess, stream: "stdout" | "stderr", re: RegExp, ms: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`no ${re} in ${stream} after ${ms} ms: ${text}`)), ms);
    child[stream]!.on("data", (d: Buffer) => {
      text += d.toString();
      const m = re.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
  });
}

function stop(child: ChildProcess, ms = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.pid && process.kill(child.pid, "SIGKILL"), ms);
    child.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.pid) process.kill(child.pid, "SIGTERM");
  });
}

test("headless Chromium ↔ tls-handshake serve negotiates X25519MLKEM768", { timeout: 120000 }, async () => {
  assert.ok(has("chromium"), "chromium is needed (installed by .ci/run and scripts/bootstrap.js)");
  const dir = mkdtempSync(path.join(tmpdir(), "chromium-pq-"));
  const children: ChildProcess[] = [];
  try {
    const server = spawn(process.execPath, ["--import", "tsx", main, "serve", "--port", "0", "--json"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    children.push(server);
    let served = "";
    server.stdout!.on("data", (d: Buffer) => (served += d.toString()));
    const port = Number((await waitFor(server, "stderr", /listening on 127\.0\.0\.1:(\d+)/, 30000))[1]);
    const pcap = path.join(dir, "chromium.pcap");
    let dump: ChildProcess | undefined;
    if (canCapture) {
      dump = spawn("tcpdump", ["-i", "lo", "-U", "--immediate-mode", "-n", "-w", pcap, `tcp port ${port}`], { stdio: ["ignore", "ignore", "pipe"] });
      children.push(dump);
      await waitFor(dump, "stderr", /listening on/, 15000);
    }
    const keylog = path.join(dir, "chromium.keylog");
    const browser = spawnSync(
      "chromium",
      [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${path.join(dir, "profile")}`,
        `--ssl-key-log-file=${keylog}`,
        "--ignore-certificate-errors",
        "--dump-dom",
        `https://127.0.0.1:${port}/`,
      ],
      { encoding: "utf8", timeout: 60000, maxBuffer: 1 << 24 },
    );
    assert.match(browser.stdout, /hello from tls-handshake-explorer: TLS 1\.3/, browser.stderr.slice(-2000));
    await stop(server);
    if (dump) await stop(dump);

    // serve's own report: one JSON document per connection.
    const docs = served
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l));
    assert.ok(docs.length >= 1, "serve reported the connection");
    for (const d of docs) {
      assert.deepEqual(d.errors, []);
      const c = d.connections[0];
      assert.equal(c.version, 0x0304);
      const ch = c.messages.find((m: { name: string }) => m.name === "ClientHello");
      const sh = c.messages.find((m: { name: string }) => m.name === "ServerHello");
      assert.ok(ch.fields.keyShareGroups.includes(NamedGroup.X25519MLKEM768), "Chromium sent an X25519MLKEM768 share");
      assert.ok(ch.fields.keyShareGroups.includes(NamedGroup.x25519), "… beside an X25519 one");
      assert.equal(sh.fields.keyShareGroup, NamedGroup.X25519MLKEM768, "serve chose the hybrid");
      assert.equal(c.decrypted, true);
      assert.deepEqual(c.errors, []);
      assert.equal(c.messages.filter((m: { name: string }) => m.name === "Finished").length, 2);
    }

    if (canCapture) {
      assert.ok(existsSync(pcap));
      assert.match(readFileSync(keylog, "utf8"), /CLIENT_HANDSHAKE_TRAFFIC_SECRET/);
      const ts = spawnSync(
        "tshark",
        [
          "-r",
          pcap,
          "-o",
          `tls.keylog_file:${keylog}`,
          // serve listens on a random port: tell tshark it carries TLS (its port table knows 443, not this one).
          "-d",
          `tcp.port==${port},tls`,
          "-Y",
          "tls.handshake.type == 2 || http.response",
          "-T",
          "fields",
          "-e",
          "tls.handshake.extensions_key_share_group",
          "-e",
          "http.response.code",
        ],
        { encoding: "utf8", timeout: 60000 },
      );
      assert.equal(ts.status, 0, ts.stderr);
      const rows = ts.stdout.trim().split("\n");
      assert.ok(
        rows.some((r) => r.split("\t")[0] === String(NamedGroup.X25519MLKEM768)),
        `tshark: the ServerHello's group\n${ts.stdout}`,
      );
      assert.ok(
        rows.some((r) => r.split("\t")[1] === "200"),
        `tshark decrypted the HTTP answer\n${ts.stdout}`,
      );
    }
  } finally {
    for (const c of children) await stop(c);
    rmSync(dir, { recursive: true, force: true });
  }
});
