/** The webview side of VS Code's messaging: one acquired API, typed posts and persisted state. */
import type { Selection, SimulateRequest, WebviewToHost } from "../../src/protocol/messages";

export interface SimulateFormState extends SimulateRequest {
  host?: string;
  port?: string;
  sni?: string;
}

/** What survives the webview being hidden and restored (vscode.setState). */
export interface PersistedState {
  selection: Selection;
  tab: "message" | "keys";
  stepIndex: number;
  simulateForm: SimulateFormState;
}

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// Outside VS Code (unit previews) fall back to a no-op API so the page still renders.
const api: VsCodeApi =
  typeof acquireVsCodeApi === "function" ? acquireVsCodeApi() : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };

export function post(msg: WebviewToHost): void {
  api.postMessage(msg);
}

export function loadState(): Partial<PersistedState> {
  const s = api.getState();
  return typeof s === "object" && s !== null ? (s as Partial<PersistedState>) : {};
}

let pending: PersistedState | undefined;
/** Saves state at most once per frame (selection changes come in bursts while arrowing through the timeline). */
export function saveState(state: PersistedState): void {
  const first = pending === undefined;
  pending = state;
  if (first) {
    queueMicrotask(() => {
      if (pending) api.setState(pending);
      pending = undefined;
    });
  }
}
