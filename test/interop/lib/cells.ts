/**
 * A matrix cell: one node:test test that records its outcome as one JSON line in test-results/interop/cells.jsonl
 * — {"peer","role","version","axis","value","result"} — which scripts/interop-table.mjs turns into the README's
 * table. Cells of a file run concurrently (bounded), each under its own timeout.
 */
import { describe, it } from "node:test";
import { appendFileSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";

export interface CellKey {
  peer: string;
  /** "connect" (the engine is the client), "serve" (the engine is the server) or "capture" (inspect of two peers). */
  role: "connect" | "serve" | "capture";
  version: "1.0" | "1.1" | "1.2" | "1.3";
  axis: string;
  value: string;
}

const OUT = path.resolve(__dirname, "../../../test-results/interop/cells.jsonl");

function record(k: CellKey, result: "pass" | "fail"): void {
  mkdirSync(path.dirname(OUT), { recursive: true });
  appendFileSync(OUT, JSON.stringify({ peer: k.peer, role: k.role, version: k.version, axis: k.axis, value: k.value, result }) + "\n");
}

/** Throws a clear message when a peer's program is missing (a cell never skips silently). */
export function requirePeer(cmd: string, pkg: string): void {
  if (spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status !== 0)
    throw new Error(`peer "${cmd}" is not installed: Debian package ${pkg} (.ci/run and scripts/bootstrap.js install it)`);
}

/** A group of cells run `concurrency` at a time. */
export function cells(title: string, list: { key: CellKey; run: () => Promise<void> }[], concurrency = 3, timeoutMs = 30_000): void {
  describe(title, { concurrency }, () => {
    for (const c of list) {
      const k = c.key;
      it(`${k.role} ${k.peer} TLS ${k.version} ${k.axis}=${k.value}`, { timeout: timeoutMs }, async () => {
        let timer: NodeJS.Timeout | undefined;
        try {
          // Our own bound, a little inside the test's, so a cell that hangs is still recorded as failed.
          await Promise.race([
            c.run(),
            new Promise<never>(
              (_, reject) => (timer = setTimeout(() => reject(new Error(`cell did not finish within ${timeoutMs - 2000} ms`)), timeoutMs - 2000)),
            ),
          ]);
          record(k, "pass");
        } catch (e) {
          record(k, "fail");
          throw e;
        } finally {
          clearTimeout(timer);
        }
      });
    }
  });
}
