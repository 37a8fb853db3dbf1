/**
 * The matrix's certificates, made by OpenSSL at test time (never checked in): one P-256 root CA, and for every
 * key type a leaf it issues for localhost/127.0.0.1 (serverAuth and clientAuth, so the same leaf serves as a
 * client certificate). One PKI per test process, in a temporary directory removed at exit.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const KEY_TYPES = ["rsa", "rsa-pss", "p256", "p384", "p521", "ed25519", "ed448"] as const;
export type KeyType = (typeof KEY_TYPES)[number];

const GENPKEY: Record<KeyType, string[]> = {
  rsa: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
  "rsa-pss": ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
  p256: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
  p384: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
  p521: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
  ed25519: ["-algorithm", "ED25519"],
  ed448: ["-algorithm", "ED448"],
};

export interface Pki {
  dir: string;
  ca: string;
  caKey: string;
  /** Certificate and key file of a leaf. */
  leaf(t: KeyType): { cert: string; key: string };
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync("openssl", args, { cwd, encoding: "utf8", timeout: 30_000 });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.error?.message ?? r.stderr}`);
}

let made: Pki | undefined;

export function pki(): Pki {
  if (made) return made;
  if (spawnSync("openssl", ["version"]).status !== 0) throw new Error("openssl is not installed (Debian package openssl; .ci/run installs it)");
  const dir = mkdtempSync(path.join(tmpdir(), "interop-pki-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  openssl(
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2"],
      ...["-subj", "/CN=Interop Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
    ],
    dir,
  );
  writeFileSync(
    path.join(dir, "leaf.ext"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n",
  );
  const leaves = new Map<KeyType, { cert: string; key: string }>();
  made = {
    dir,
    ca: path.join(dir, "ca.pem"),
    caKey: path.join(dir, "ca.key"),
    leaf(t) {
      let l = leaves.get(t);
      if (!l) {
        openssl(["genpkey", ...GENPKEY[t], "-out", `${t}.key`], dir);
        openssl(["req", "-new", "-key", `${t}.key`, "-subj", "/CN=localhost", "-out", `${t}.csr`], dir);
        openssl(
          ["x509", "-req", "-in", `${t}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "leaf.ext", "-out", `${t}.pem`],
          dir,
        );
        l = { cert: path.join(dir, `${t}.pem`), key: path.join(dir, `${t}.key`) };
        leaves.set(t, l);
      }
      return l;
    },
  };
  return made;
}
