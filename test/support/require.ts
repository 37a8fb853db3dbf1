/**
 * What the tests read from outside the repository: `../shared` (fixtures, vectors) and the real peers and oracles
 * (openssl, tshark, python3). A test that needs one and does not find it fails with the reason, never skips: a
 * silently skipped oracle comparison would look like a pass in CI.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

const repo = path.resolve(__dirname, "../..");

/** A path inside ../shared that must exist (throws, naming it, when it does not). */
export function sharedPath(...parts: string[]): string {
  const p = path.resolve(repo, "..", "shared", ...parts);
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: these tests read ../shared beside the checkout (see README, "Tests")`);
  return p;
}

/** Throws, naming the Debian package, when `cmd args` cannot run (the project's .ci/run installs every one). */
export function requireTool(cmd: string, args: string[], pkg: string = cmd): void {
  const r = spawnSync(cmd, args, { stdio: "ignore", timeout: 30_000 });
  if (r.error || r.status !== 0) throw new Error(`${cmd} is not available (Debian package ${pkg}; .ci/run installs it)`);
}
