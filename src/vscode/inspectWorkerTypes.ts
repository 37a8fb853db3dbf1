/** Messages between the extension host and dist/inspectWorker.js (structured-clone safe). */
import type { CaptureModel, ConnectionModel, LocatedError } from "../model";

export interface WorkerJob {
  path: string;
  /** The file's bytes, when it is not on the local disk (virtual file systems). */
  bytes?: Uint8Array;
  name: string;
  /** NSS key log text (never logged). */
  keylog?: string;
  /** Connections kept in "full" detail (bytes and field trees). */
  maxConnections: number;
  /** The file's size as the host saw it (the host stats the file once; the worker stats it only without this). */
  size?: number;
}

/**
 * Files up to this size are inspected once in full detail. Larger ones get a fast summary pass first (the table
 * appears in seconds), then a background full-detail pass over the first `maxConnections` connections.
 */
export const FULL_PASS_LIMIT = 32 * 1024 * 1024;

export type WorkerReply =
  | { type: "progress"; done: number; total: number }
  | { type: "connections"; connections: ConnectionModel[] }
  | { type: "done"; input: CaptureModel["input"]; errors: LocatedError[]; background: boolean }
  /** Background pass: the same connections in full detail. */
  | { type: "detail"; connections: ConnectionModel[] }
  | { type: "detailDone" }
  | { type: "error"; message: string };
