/**
 * Capture cells, renegotiation (RFC 5746): TLS 1.2 connections of openssl s_client and s_server renegotiated by
 * the client (its `R` command; the server started with -client_renegotiation) and by the server (its `r`
 * command: HelloRequest), with resumption on renegotiation forbidden (-no_resumption_on_reneg) and allowed, recorded with
 * tcpdump and the client's key log. Decryption follows every handshake's keys: the second handshake travels under
 * the first's, each side's second ChangeCipherSpec is protected by the first keys and switches to the second's,
 * every Finished verifies — and the decode equals tshark's (records, messages, frames, fields, alerts).
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

interface Case {
  value: string;
  by: "client" | "server";
  serverOpts: string[];
  /** The second handshake resumes the first's session (s_server 3.0 renegotiates in full even when it may resume). */
  resumed: boolean;
}

const CASES: Case[] = [
  { value: "client-initiated, full", by: "client", serverOpts: ["-client_renegotiation", "-no_resumption_on_reneg"], resumed: false },
  { value: "client-initiated, resumption allowed", by: "client", serverOpts: ["-client_renegotiation"], resumed: false },
  { value: "server-initiated (HelloRequest)", by: "server", serverOpts: ["-no_resumption_on_reneg"], resumed: false },
];

const list: CaptureCell[] = CASES.map((c) => ({
  key: { peer: "openssl→openssl", version: "1.2", axis: "renegotiation", value: c.value },
  run: async () => {
    const k = cert("rsa");
    const rec = await recordTwoPeers(
      "reneg",
      (port) => ({
        cmd: "openssl",
        args: ["s_server", "-tls1_2", "-accept", `127.0.0.1:${port}`, "-cert", k.cert, "-key", k.key, ...c.serverOpts],
        ready: "ACCEPT",
      }),
      async ({ port, files, server }) => {
        const client = start("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, "-tls1_2", "-keylogfile", files.keylog]);
        try {
          await waitOutput(client, "Verify return code", 20_000);
          await waitOutput(server, "CIPHER is", 20_000);
          // Each side's commands are lines on its stdin (s_client: R renegotiates; s_server: r sends HelloRequest).
          if (c.by === "client") client.child.stdin!.write("R\n");
          else server.child.stdin!.write("r\n");
          await waitOutput(c.by === "client" ? client : server, c.by === "client" ? "RENEGOTIATING" : "SSL_do_handshake", 20_000);
          // The second handshake is done when a line sent now arrives at the server, under its keys.
          await sleep(500);
          client.child.stdin!.write("after renegotiation\n");
          await waitOutput(server, "after renegotiation", 20_000);
          client.child.stdin!.end();
          await Promise.race([client.exited, sleep(5000)]);
        } finally {
          client.kill();
        }
      },
    );
    const ours = await checkRecording(rec, c.value, { connections: 1 });
    const conn = ours[0];
    const names = conn.messages.map((m) => m.name);
    assert.equal(names.filter((n) => n === "ClientHello").length, 2, `two handshakes: ${names.join(", ")}`);
    if (c.by === "server") assert.ok(names.includes("HelloRequest"), "the server's HelloRequest");
    assert.equal(
      names.includes("Certificate") && names.lastIndexOf("Certificate") > names.lastIndexOf("ClientHello"),
      !c.resumed,
      "full or abbreviated second handshake",
    );
    const fin = conn.messages.filter((m) => m.name === "Finished");
    assert.equal(fin.length, 4, "four Finished");
    assert.ok(
      fin.every((m) => m.fields.verified === true),
      "every Finished verified",
    );
    // Both sides' second ChangeCipherSpec is protected (by the first handshake's keys), and decrypted.
    const ccs = conn.records.filter((r) => r.type === 20);
    assert.deepEqual(
      ccs.map((r) => r.encrypted),
      [false, false, true, true],
      "ChangeCipherSpec records: the second pair under the first keys",
    );
    const secondClientHello = conn.messages.filter((m) => m.name === "ClientHello")[1];
    assert.equal(secondClientHello.encrypted, true, "the second handshake travels encrypted");
  },
}));

captureCells("capture cells: renegotiation", list, 3);
