/**
 * Capture cells of the interop matrix: each a node:test test that records its outcome as one JSON line in
 * test-results/interop/cells.jsonl — {"peer","role":"capture","version","axis","value","result"}, the format the
 * engine cells use (scripts/interop-table.mjs turns the file into the README's table). A file's cells run a few at
 * a time, each under its own bound, so one that hangs fails and is recorded.
 */
import { describe, it } from "node:test";
import { appendFileSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";

export interface CaptureCellKey {
  /** The two peers, client first ("openssl→openssl", "curl→nginx"). */
  peer: string;
  version: "1.0" | "1.1" | "1.2" | "1.3";
  axis: string;
  value: string;
}

const OUT = path.resolve(__dirname, "../../../../test-results/interop/cells.jsonl");

function record(k: CaptureCellKey, result: "pass" | "fail"): void {
  mkdirSync(path.dirname(OUT), { recursive: true });
  appendFileSync(OUT, JSON.stringify({ peer: k.peer, role: "capture", version: k.version, axis: k.axis, value: k.value, result }) + "\n");
}

/** Throws a clear message when a program a cell needs is missing (a cell never skips silently). */
export function requireProgram(cmd: string, pkg: string): void {
  if (spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status !== 0)
    throw new Error(`"${cmd}" is not installed: Debian package ${pkg} (.ci/run and scripts/bootstrap.js install it)`);
}

export interface CaptureCell {
  key: CaptureCellKey;
  run: () => Promise<void>;
}

export function captureCells(title: string, list: CaptureCell[], concurrency = 3, timeoutMs = 60_000): void {
  describe(title, { concurrency }, () => {
    for (const c of list) {
      const k = c.key;
      it(`capture ${k.peer} TLS ${k.version} ${k.axis}=${k.value}`, { timeout: timeoutMs }, async () => {
        let timer: NodeJS.Timeout | undefined;
        try {
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
