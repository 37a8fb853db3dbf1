/**
 * Capture cells, KeyUpdate (RFC 8446 §4.6.3, §7.2): openssl s_client and s_server in TLS 1.3, the client sending a
 * KeyUpdate with update_requested (its `K` command), so that the server updates too: both directions change keys.
 * Recorded with tcpdump and the client's key log. Decryption follows each direction's next traffic secret; the decode equals tshark's.
 */
import assert from "node:assert/strict";
import { cert } from "./lib/capture/certs";
import { captureCells, requireProgram, type CaptureCell } from "./lib/capture/cells";
import { checkRecording, recordTwoPeers } from "./lib/capture/record";
import { start, waitOutput } from "./lib/procs";

for (const [cmd, pkg] of [
  ["tcpdump", "tcpdump"],
  ["tshark", "tshark"],
  ["openssl", "openssl"],
  ["python3", "python3"],
]) {
  requireProgram(cmd, pkg);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const CASES = [{ value: "client, update_requested", by: "client" as const, command: "K\n", updates: { c2s: 1, s2c: 1 } }];

const list: CaptureCell[] = CASES.map((c) => ({
  key: { peer: "openssl→openssl", version: "1.3", axis: "KeyUpdate", value: c.value },
  run: async () => {
    const k = cert("rsa");
    const rec = await recordTwoPeers(
      "keyupdate",
      (port) => ({ cmd: "openssl", args: ["s_server", "-tls1_3", "-accept", `127.0.0.1:${port}`, "-cert", k.cert, "-key", k.key], ready: "ACCEPT" }),
      async ({ port, files, server }) => {
        const client = start("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, "-tls1_3", "-keylogfile", files.keylog]);
        try {
          await waitOutput(client, "Verify return code", 20_000);
          await waitOutput(server, "CIPHER is", 20_000);
          (c.by === "client" ? client : server).child.stdin!.write(c.command);
          await waitOutput(c.by === "client" ? client : server, "KEYUPDATE", 20_000);
          await sleep(300);
          // Data each way after the update, so both directions' new keys are used.
          client.child.stdin!.write("from the client\n");
          await waitOutput(server, "from the client", 20_000);
          server.child.stdin!.write("from the server\n");
          await waitOutput(client, "from the server", 20_000);
          client.child.stdin!.end();
          await Promise.race([client.exited, sleep(5000)]);
        } finally {
          client.kill();
        }
      },
    );
    const ours = await checkRecording(rec, c.value, { connections: 1 });
    const ku = ours[0].messages.filter((m) => m.name === "KeyUpdate");
    assert.deepEqual(
      { c2s: ku.filter((m) => m.dir === "c2s").length, s2c: ku.filter((m) => m.dir === "s2c").length },
      c.updates,
      "KeyUpdate messages per direction",
    );
    // Records after the update decrypted: the data lines each way were read under the next generation's keys.
    const last = ours[0].records.filter((r) => r.type === 23);
    assert.ok(last.length > 0 && ours[0].records.every((r) => r.type !== 23 || r.innerType !== undefined), "every protected record opened");
  },
}));

captureCells("capture cells: KeyUpdate", list, 2);
