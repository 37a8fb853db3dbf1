/**
 * Capture cells of the interop matrix: cells (../cells.ts) whose role is "capture" — two real peers recorded with
 * tcpdump and their key log, the capture inspected and compared with tshark. The same JSON line, table and bounds
 * as the engine's cells; the key names the two peers ("openssl→openssl", "curl→nginx") and may be TLS 1.0/1.1.
 */
import { cells, requirePeer, type CellKey } from "../cells";

export type CaptureCellKey = Omit<CellKey, "role">;

export interface CaptureCell {
  key: CaptureCellKey;
  run: () => Promise<void>;
}

/** Throws a clear message when a program a cell needs is missing (a cell never skips silently). */
export const requireProgram = requirePeer;

/** A file's capture cells, `concurrency` at a time, each under its own bound. */
export function captureCells(title: string, list: CaptureCell[], concurrency = 3, timeoutMs = 60_000): void {
  cells(
    title,
    list.map((c) => ({ key: { ...c.key, role: "capture" as const }, run: c.run })),
    concurrency,
    timeoutMs,
  );
}
