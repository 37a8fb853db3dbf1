/**
 * Certificates for the capture cells, made by OpenSSL at test time (never checked in): a self-signed server
 * certificate per key type for localhost/127.0.0.1, in a temporary directory removed at exit. The clients do not
 * verify them (the cells check what was captured, not who was trusted).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export type CertKind = "rsa" | "p256" | "p384";

const NEWKEY: Record<CertKind, string[]> = {
  rsa: ["-newkey", "rsa:2048"],
  p256: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
  p384: ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"],
};

let dir: string | undefined;
const made = new Map<CertKind, { cert: string; key: string }>();

export function workDir(): string {
  if (!dir) {
    dir = mkdtempSync(path.join(tmpdir(), "capture-cells-"));
    const d = dir;
    process.on("exit", () => {
      if (!process.env.KEEP_CAPTURES) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

export function cert(kind: CertKind = "rsa"): { cert: string; key: string } {
  const have = made.get(kind);
  if (have) return have;
  const d = workDir();
  const out = { cert: path.join(d, `${kind}.pem`), key: path.join(d, `${kind}.key`) };
  const r = spawnSync(
    "openssl",
    [
      ...["req", "-x509", ...NEWKEY[kind], "-nodes", "-keyout", out.key, "-out", out.cert, "-days", "2"],
      ...["-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
    ],
    { encoding: "utf8", timeout: 30_000 },
  );
  if (r.status !== 0) throw new Error(`openssl req (${kind}): ${r.error?.message ?? r.stderr}`);
  made.set(kind, out);
  return out;
}
