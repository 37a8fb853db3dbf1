/** Runs the CLI as a user does: the built dist/cli.js when there is one, else the source through tsx. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const root = path.resolve(__dirname, "../../..");
const cliJs = path.join(root, "dist/cli.js");

/**
 * The environment without the colour variables, so a run is plain unless a test asks for colour (`node --test`
 * started from a terminal sets FORCE_COLOR=1 for its test files, and children inherit it), and without the locale
 * variables, so the diagnoses are in English unless a test asks for a language (see src/cli/lang.ts).
 */
export function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const k of ["FORCE_COLOR", "NO_COLOR", "LC_ALL", "LC_MESSAGES", "LANG"]) if (!(k in extra)) delete env[k];
  return env;
}

export function cli(args: string[], env: Record<string, string> = {}) {
  const cmd = fs.existsSync(cliJs) ? [cliJs] : ["--import", "tsx", path.join(root, "src/cli/main.ts")];
  return spawnSync(process.execPath, [...cmd, ...args], { cwd: root, encoding: "utf8", timeout: 60_000, maxBuffer: 1 << 28, env: plainEnv(env) });
}
