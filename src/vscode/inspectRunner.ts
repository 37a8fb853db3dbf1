/**
 * Runs dist/inspectWorker.js for one capture under a cancellable progress notification. Cancel terminates the
 * worker (inspection is synchronous inside it, so terminate is the only way to stop it promptly).
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import * as vscode from "vscode";
import type { CaptureModel, ConnectionModel } from "../model";
import type { WorkerJob, WorkerReply } from "./inspectWorkerTypes";

export interface InspectRun {
  uri: vscode.Uri;
  keylog?: string;
  maxConnections: number;
  /** Connections as they arrive (the editor can show the first ones early). */
  onConnections?(batch: ConnectionModel[]): void;
  /** After the result: the same connections in full detail, from the background pass of a large file. */
  onDetail?(batch: ConnectionModel[]): void;
}

export interface InspectResult {
  model: CaptureModel;
  /** Ends the background pass (if one is running). */
  stop(): void;
}

/** Captures at least this large show a cancellable progress notification. */
const NOTIFY_MIN_BYTES = 8 << 20;

export class InspectCancelled extends Error {
  constructor() {
    super("inspection cancelled");
  }
}

export async function runInspection(extensionUri: vscode.Uri, run: InspectRun): Promise<InspectResult> {
  const name = run.uri.path.slice(run.uri.path.lastIndexOf("/") + 1);
  const job: WorkerJob = { path: run.uri.fsPath, name, keylog: run.keylog, maxConnections: run.maxConnections };
  if (run.uri.scheme !== "file") job.bytes = await vscode.workspace.fs.readFile(run.uri);
  // A small capture is read in well under a second and the editor shows its own "Inspecting…" line: a
  // notification would only flash (VS Code keeps one on screen for a moment after the work ends). Large files get
  // the cancellable notification with a percentage.
  job.size =
    job.bytes?.length ??
    (await vscode.workspace.fs.stat(run.uri).then(
      (st) => st.size,
      () => undefined,
    ));
  const location = (job.size ?? 0) >= NOTIFY_MIN_BYTES ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window;
  return vscode.window.withProgress(
    { location, title: vscode.l10n.t("Inspecting {0}", name), cancellable: location === vscode.ProgressLocation.Notification },
    (progress, token) =>
      new Promise<InspectResult>((resolve, reject) => {
        const worker = new Worker(path.join(extensionUri.fsPath, "dist", "inspectWorker.js"), { workerData: job });
        const connections: ConnectionModel[] = [];
        let reported = 0;
        let settled = false;
        const settle = (f: () => void) => {
          if (settled) return;
          settled = true;
          sub.dispose();
          void worker.terminate();
          f();
        };
        const sub = token.onCancellationRequested(() => settle(() => reject(new InspectCancelled())));
        const stop = () => void worker.terminate();
        worker.on("message", (m: WorkerReply) => {
          switch (m.type) {
            case "progress": {
              const pct = m.total > 0 ? Math.min(100, (100 * m.done) / m.total) : 0;
              progress.report({ increment: pct - reported, message: vscode.l10n.t("{0}% · {1} connections", Math.floor(pct), connections.length) });
              reported = pct;
              return;
            }
            case "connections":
              for (const c of m.connections) connections.push(c);
              run.onConnections?.(m.connections);
              return;
            case "done": {
              const model: CaptureModel = { schema: 1, input: m.input, connections, errors: m.errors };
              if (!m.background) return settle(() => resolve({ model, stop }));
              // Keep the worker for its background pass; the progress notification ends here.
              settled = true;
              sub.dispose();
              resolve({ model, stop });
              return;
            }
            case "detail":
              run.onDetail?.(m.connections);
              return;
            case "detailDone":
              stop();
              return;
            case "error":
              settle(() => reject(new Error(m.message)));
              return;
          }
        });
        worker.on("error", (e) => settle(() => reject(e)));
        worker.on("exit", (code) => settle(() => reject(new Error(`inspection worker exited (${code})`))));
      }),
  );
}
