/**
 * "Record two peers", the set-up every capture cell shares: a server peer started on a free port and waited for,
 * tcpdump on that port, the cell's clients run against it, then everything stopped by its own pid — and the check
 * every such recording gets: `inspect --json --keylog` compared with tshark's decode (oracle.ts), every
 * connection decrypted where tshark decrypts it, every Finished verified, and the application data each
 * connection carried each way equal in bytes to what tshark decrypted (a record only counts its plaintext once
 * its MAC or tag verified, so equal counts with no error mean the same bytes).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { inspectStream } from "../../../../src/inspect/inspect";
import { workDir } from "./certs";
import { compareWithTshark, inspectJson, tsharkOracle, type Oracle, type OurConnection } from "./oracle";
import { freePort, PortTakenError, waitListening } from "../../../support/ports";
import { start, tcpdump, waitOutput, type Proc } from "../procs";

export interface Files {
  pcap: string;
  keylog: string;
  /** Path prefix for the cell's other files (session files, scripts). */
  base: string;
}

export interface ServerSpec {
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Output to wait for besides its listening socket (test/support/ports.ts), when it is ready only later. */
  ready?: string | RegExp;
}

export interface Recording extends Files {
  port: number;
}

let seq = 0;

/** A fresh set of file names for a cell, in the capture cells' temporary directory. */
export function cellFiles(name: string): Files {
  const base = path.join(workDir(), `${name.replace(/[^\w.-]+/g, "_")}-${++seq}`);
  return { pcap: `${base}.pcap`, keylog: `${base}.keylog`, base };
}

/**
 * Starts `server(port, files)`, waits until it listens, starts tcpdump on its port, runs `talk` (the clients, each
 * bounded by the caller), and stops server and tcpdump whatever happened. The server's output is added to a failure.
 */
export async function recordTwoPeers(
  name: string,
  server: (port: number, files: Files) => ServerSpec,
  talk: (ctx: { port: number; files: Files; server: Proc }) => Promise<void>,
): Promise<Recording> {
  const files = cellFiles(name);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const spec = server(port, files);
    const proc = start(spec.cmd, spec.args, { env: spec.env, cwd: spec.cwd, stdin: "keep" });
    let cap: { stop(): Promise<void> } | undefined;
    try {
      try {
        await waitListening(port, proc.child, 20_000);
        if (spec.ready !== undefined) await waitOutput(proc, spec.ready, 20_000);
      } catch (e) {
        // Another process took the port between freePort and the bind: a new port (bounded).
        if (e instanceof PortTakenError && attempt < 3) continue;
        throw e;
      }
      cap = await tcpdump(files.pcap, [port]);
      await talk({ port, files, server: proc });
      return { ...files, port };
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- ${spec.cmd} output ---\n${proc.output().slice(-3000)}`, { cause: e });
    } finally {
      proc.kill();
      await cap?.stop();
    }
  }
}

/** Bytes of application data each way per connection (by client endpoint), as our decryption counted them. */
function ourAppData(pcap: string, keylog: string): Map<string, { c2s: number; s2c: number }> {
  const out = new Map<string, { c2s: number; s2c: number }>();
  inspectStream(pcap, pcap, {
    keylog: readFileSync(keylog, "utf8"),
    detail: "summary",
    onConnection: (c) => {
      if (c.appDataBytes) out.set(`${c.client.ip}:${c.client.port}`, c.appDataBytes);
    },
  });
  return out;
}

/** What tshark decrypted as application data each way per connection. */
function theirAppData(oracle: Oracle): Map<string, { c2s: number; s2c: number }> {
  const out = new Map<string, { c2s: number; s2c: number }>();
  for (const s of oracle.streams) {
    const n = { c2s: 0, s2c: 0 };
    for (const d of s.appData ?? []) n[d.dir as "c2s" | "s2c"] += d.length;
    out.set(`${s.client.ip}:${s.client.port}`, n);
  }
  return out;
}

/**
 * The recording decoded by `inspect --json --keylog` and by tshark, compared (compareWithTshark); every connection
 * decrypted (`connections` of them, when given), and its application data each way as tshark decrypted it.
 */
export async function checkRecording(
  rec: Files,
  where: string,
  opts: { connections?: number; decodeAs?: string[]; appData?: boolean } = {},
): Promise<OurConnection[]> {
  const oracle = await tsharkOracle(rec.pcap, rec.keylog, opts.decodeAs);
  const conns = compareWithTshark(await inspectJson(rec.pcap, rec.keylog), oracle, where);
  if (opts.connections !== undefined) assert.equal(conns.length, opts.connections, `${where}: connections`);
  assert.ok(conns.length > 0, `${where}: a TLS connection recorded`);
  for (const c of conns) {
    assert.ok(c.decrypted, `${where} ${c.client.port}: decrypted`);
    assert.ok(
      c.messages.some((m) => m.name === "Finished"),
      `${where} ${c.client.port}: a Finished (verified, compareWithTshark)`,
    );
  }
  if (opts.appData !== false) {
    const ours = ourAppData(rec.pcap, rec.keylog);
    const theirs = theirAppData(oracle);
    for (const c of conns) {
      const k = `${c.client.ip}:${c.client.port}`;
      assert.deepEqual(ours.get(k), theirs.get(k), `${where} ${k}: application data bytes each way, ours and tshark's`);
    }
    assert.ok(
      conns.some((c) => {
        const t = theirs.get(`${c.client.ip}:${c.client.port}`);
        return (t?.c2s ?? 0) + (t?.s2c ?? 0) > 0;
      }),
      `${where}: application data decrypted`,
    );
  }
  return conns;
}
