/**
 * What a fuzz target module (fuzz/targets/<name>.ts) exports, and the list of targets `npm run fuzz` runs.
 * A target's `fuzz` must return normally for every input: documented errors are caught inside the target, so
 * anything that escapes it — or a run over the time bound, or a heap past the bound — is a finding.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface FuzzTarget {
  fuzz(data: Uint8Array): void;
  /** Longest input the mutators build (default 64 KiB). */
  maxLength?: number;
  /** Tokens the mutators insert or write over (magic numbers, type codes, record headers). */
  dictionary?: readonly Uint8Array[];
  /** Seeds computed at load time, in addition to fuzz/corpus/<name>/. */
  seeds?(): Uint8Array[];
}

export const TARGETS = ["pcap", "pcapng", "tcp", "record", "handshake", "certificate", "transcript", "keylog", "inspect", "decrypt", "quic"] as const;

export type TargetName = (typeof TARGETS)[number];

export const FUZZ_ROOT = path.resolve(__dirname, "..");

export function targetFile(name: string): string {
  return path.join(FUZZ_ROOT, "targets", `${name}.ts`);
}

/** Every file of a corpus directory (sorted, so runs are reproducible). */
export function readCorpusDir(dir: string): Uint8Array[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => !f.startsWith(".") && !f.endsWith(".txt") && !f.endsWith(".md"))
    .sort()
    .map((f) => path.join(dir, f))
    .filter((p) => fs.statSync(p).isFile())
    .map((p) => new Uint8Array(fs.readFileSync(p)));
}

export function loadTarget(name: string): FuzzTarget {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(targetFile(name)) as FuzzTarget;
}

/** Hex digits from a string (dictionary tokens written readably). */
export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));
}

export function ascii(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, "latin1"));
}
