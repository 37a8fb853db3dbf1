/** The package's version, for `tls-handshake --version`. */
import * as fs from "node:fs";
import * as path from "node:path";

/** Replaced by the version string when esbuild bundles dist/cli.js (esbuild.mjs `define`). */
declare const TLS_HANDSHAKE_VERSION: string | undefined;

export function packageVersion(): string {
  if (typeof TLS_HANDSHAKE_VERSION === "string") return TLS_HANDSHAKE_VERSION;
  // Run from source (tsx) there is no bundle: read package.json two folders up.
  return (JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as { version: string }).version;
}
