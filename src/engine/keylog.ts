/**
 * NSS key log files (the `SSLKEYLOGFILE` format written by OpenSSL, NSS, GnuTLS, Node, browsers): one
 * `LABEL <client_random hex> <secret hex>` per line, `#` comments, blank lines. A bad line is reported with its
 * number and skipped; parsing never throws.
 *
 * TLS 1.2: CLIENT_RANDOM (48-byte master secret). TLS 1.3 (RFC 8446 §7.1 secrets): CLIENT_EARLY_TRAFFIC_SECRET,
 * CLIENT/SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT/SERVER_TRAFFIC_SECRET_N, EXPORTER_SECRET, EARLY_EXPORTER_SECRET.
 * Kept too: `RSA <first 8 bytes of the encrypted premaster> <premaster>` (keyed by those 16 hex digits, not a
 * client random) and `PMS_CLIENT_RANDOM <client_random> <premaster>`.
 */

export interface KeyLogError {
  /** 1-based line number. */
  line: number;
  message: string;
}

export interface KeyLog {
  /** client random (lowercase hex) → label → secret. */
  entries: Map<string, Map<string, Uint8Array>>;
  errors: KeyLogError[];
}

const FIXED_LABELS = new Set([
  "CLIENT_RANDOM",
  "PMS_CLIENT_RANDOM",
  "RSA",
  "CLIENT_EARLY_TRAFFIC_SECRET",
  "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
  "SERVER_HANDSHAKE_TRAFFIC_SECRET",
  "EXPORTER_SECRET",
  "EARLY_EXPORTER_SECRET",
]);
const TRAFFIC_N = /^(CLIENT|SERVER)_TRAFFIC_SECRET_(\d{1,10})$/;
const HEX = /^[0-9a-fA-F]*$/;

/** Errors kept at most (a file that is not a key log at all should not produce one error per line forever). */
const MAX_ERRORS = 1000;

export function isKeyLogLabel(label: string): boolean {
  return FIXED_LABELS.has(label) || TRAFFIC_N.test(label);
}

function secretLengthProblem(label: string, bytes: number): string | null {
  if (label === "CLIENT_RANDOM" || label === "PMS_CLIENT_RANDOM" || label === "RSA") {
    return bytes === 48 ? null : `${label} secret must be 48 bytes, got ${bytes}`;
  }
  // TLS 1.3 secrets are Hash.length long: 32 (SHA-256) or 48 (SHA-384); 64 allows SHA-512-based suites.
  return bytes === 32 || bytes === 48 || bytes === 64 ? null : `${label} secret must be 32, 48 or 64 bytes, got ${bytes}`;
}

const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, "hex"));

export function parseKeyLog(text: string): KeyLog {
  const entries = new Map<string, Map<string, Uint8Array>>();
  const errors: KeyLogError[] = [];
  const report = (line: number, message: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ line, message });
  };
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === "" || line.startsWith("#")) continue;
    const parts = line.split(/[ \t]+/);
    const label = parts[0];
    if (!isKeyLogLabel(label)) {
      report(lineNo, `unknown label "${label.slice(0, 40)}"`);
      continue;
    }
    if (parts.length !== 3) {
      report(lineNo, `${label}: expected 3 fields (label, client random, secret), got ${parts.length}`);
      continue;
    }
    const [, id, secret] = parts;
    const idBytes = label === "RSA" ? 8 : 32;
    if (!HEX.test(id) || id.length !== idBytes * 2) {
      report(lineNo, `${label}: ${label === "RSA" ? "encrypted premaster prefix" : "client random"} must be ${idBytes * 2} hex digits`);
      continue;
    }
    if (!HEX.test(secret) || secret.length % 2 !== 0) {
      report(lineNo, `${label}: secret is not hex`);
      continue;
    }
    const problem = secretLengthProblem(label, secret.length / 2);
    if (problem) {
      report(lineNo, problem);
      continue;
    }
    const key = id.toLowerCase();
    let m = entries.get(key);
    if (!m) entries.set(key, (m = new Map()));
    m.set(label, fromHex(secret));
  }
  return { entries, errors };
}

/** Write entries back as key log text (labels in a stable order, one line each). */
export function formatKeyLog(entries: Map<string, Map<string, Uint8Array>>, comment?: string): string {
  const order = (l: string): number => {
    const fixed = [
      "CLIENT_RANDOM",
      "PMS_CLIENT_RANDOM",
      "RSA",
      "CLIENT_EARLY_TRAFFIC_SECRET",
      "EARLY_EXPORTER_SECRET",
      "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
      "SERVER_HANDSHAKE_TRAFFIC_SECRET",
    ];
    const i = fixed.indexOf(l);
    if (i >= 0) return i;
    const t = TRAFFIC_N.exec(l);
    if (t) return 100 + 2 * Number(t[2]) + (t[1] === "SERVER" ? 1 : 0);
    return 50; // EXPORTER_SECRET, after the handshake secrets
  };
  const lines: string[] = [];
  if (comment) for (const c of comment.split("\n")) lines.push(`# ${c}`);
  for (const [random, labels] of entries) {
    const sorted = [...labels.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
    for (const label of sorted) lines.push(`${label} ${random} ${Buffer.from(labels.get(label)!).toString("hex")}`);
  }
  return lines.join("\n") + "\n";
}

/** One key log line (for writing as a handshake goes, like SSLKEYLOGFILE). */
export function keyLogLine(label: string, clientRandom: Uint8Array, secret: Uint8Array): string {
  return `${label} ${Buffer.from(clientRandom).toString("hex")} ${Buffer.from(secret).toString("hex")}`;
}
