// Shared helpers for the extension-host tests: fixture lookup, bounded waiting, the extension's test API and
// tree walking through the public TreeDataProvider interface.
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";

export const EXTENSION_ID = "tls-handshake-explorer.tls-handshake-explorer";

/** The repository root (tests run from out/integration/). */
export const REPO = path.resolve(__dirname, "../..");

/** Commands the extension contract fixes (ext-contract.md). */
export const CONTRACT_COMMANDS = [
  "tlsHandshake.openPanel",
  "tlsHandshake.simulate",
  "tlsHandshake.connect",
  "tlsHandshake.openCapture",
  "tlsHandshake.attachKeyLog",
  "tlsHandshake.saveTranscript",
  "tlsHandshake.exportKeyLog",
  "tlsHandshake.explain",
  "tlsHandshake.showInTimeline",
  "tlsHandshake.copyValue",
  "tlsHandshake.setNotesLanguage",
  "tlsHandshake.startLesson",
];

/** Finds a fixture in the repository (samples/, test/fixtures/) or, for developers, in ../shared/fixtures. */
export function fixture(name: string): string | undefined {
  const dirs = [
    path.join(REPO, "samples"),
    path.join(REPO, "test/fixtures"),
    path.join(REPO, "test/fixtures/hostile"),
    path.resolve(REPO, "../shared/fixtures"),
  ];
  for (const d of dirs) {
    const p = path.join(d, name);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError}` : ""}`);
    await sleep(100);
  }
}

/** The object the extension's activate() returns; `_test` holds the test-only hooks. */
export interface ExtensionApi {
  _test?: {
    activationMs?: number;
    connectionsProvider?: vscode.TreeDataProvider<unknown>;
    fieldsProvider?: vscode.TreeDataProvider<unknown>;
    connections?: (parent?: unknown) => unknown[] | Promise<unknown[]>;
    fields?: (parent?: unknown) => unknown[] | Promise<unknown[]>;
    selectConnection?: (index: number) => unknown;
    [k: string]: unknown;
  };
}

export async function activateExtension(): Promise<{ api: ExtensionApi; wallMs: number; ext: vscode.Extension<ExtensionApi> }> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded (extensionDevelopmentPath?)`);
  const t0 = Date.now();
  const api = (await ext.activate()) ?? {};
  return { api, wallMs: Date.now() - t0, ext };
}

export interface Node {
  element: unknown;
  item: vscode.TreeItem;
  label: string;
  text: string;
  depth: number;
}

function labelOf(item: vscode.TreeItem): string {
  const l = item.label;
  return typeof l === "string" ? l : (l?.label ?? "");
}

function textOf(item: vscode.TreeItem): string {
  const tip = item.tooltip;
  const tipText = typeof tip === "string" ? tip : (tip?.value ?? "");
  return [labelOf(item), typeof item.description === "string" ? item.description : "", tipText].join(" | ");
}

/**
 * Walks one of the extension's trees to `maxDepth` (0 = top level) through the provider when the test API gives
 * one, else through `_test.connections()/fields()` returning elements that are TreeItems themselves.
 */
export async function walkTree(api: ExtensionApi, which: "connections" | "fields", maxDepth = 1, maxNodes = 2000): Promise<Node[]> {
  const t = api._test ?? {};
  const provider = (which === "connections" ? t.connectionsProvider : t.fieldsProvider) as vscode.TreeDataProvider<unknown> | undefined;
  const fn = (which === "connections" ? t.connections : t.fields) as ((p?: unknown) => unknown[] | Promise<unknown[]>) | undefined;
  if (!provider && !fn) throw new Error(`activate() must return _test.${which}Provider or _test.${which}()`);
  const children = async (p?: unknown): Promise<unknown[]> => ((provider ? await provider.getChildren(p) : await fn!(p)) ?? []) as unknown[];
  const treeItem = async (e: unknown): Promise<vscode.TreeItem> => (provider ? await provider.getTreeItem(e) : (e as vscode.TreeItem));
  const out: Node[] = [];
  const visit = async (parent: unknown, depth: number): Promise<void> => {
    for (const element of await children(parent)) {
      if (out.length >= maxNodes) return;
      const item = await treeItem(element);
      out.push({ element, item, label: labelOf(item), text: textOf(item), depth });
      const expandable = item.collapsibleState !== undefined && item.collapsibleState !== vscode.TreeItemCollapsibleState.None;
      if (depth < maxDepth && expandable) await visit(element, depth + 1);
    }
  };
  await visit(undefined, 0);
  return out;
}

/** Children of one node (same provider rules as walkTree). */
export async function childrenOf(api: ExtensionApi, which: "connections" | "fields", element: unknown): Promise<Node[]> {
  const t = api._test ?? {};
  const provider = (which === "connections" ? t.connectionsProvider : t.fieldsProvider) as vscode.TreeDataProvider<unknown> | undefined;
  const fn = (which === "connections" ? t.connections : t.fields) as ((p?: unknown) => unknown[] | Promise<unknown[]>) | undefined;
  const kids = ((provider ? await provider.getChildren(element) : await fn?.(element)) ?? []) as unknown[];
  const out: Node[] = [];
  for (const e of kids) {
    const item = provider ? await provider.getTreeItem(e) : (e as vscode.TreeItem);
    out.push({ element: e, item, label: labelOf(item), text: textOf(item), depth: 0 });
  }
  return out;
}

/** The tab currently active in any group whose input matches `pred`. */
export function findTab(pred: (input: unknown) => boolean): vscode.Tab | undefined {
  for (const g of vscode.window.tabGroups.all) for (const t of g.tabs) if (pred(t.input)) return t;
  return undefined;
}

export function recordPerf(name: string, ms: number): void {
  const perf = (globalThis as { __tlsPerf?: Record<string, number> }).__tlsPerf;
  if (perf) perf[name] = ms;
  console.log(`PERF ${name}=${Math.round(ms)}ms`);
}

export function hoverText(hovers: vscode.Hover[] | undefined): string {
  const parts: string[] = [];
  for (const h of hovers ?? [])
    for (const c of h.contents) {
      if (typeof c === "string") parts.push(c);
      else if (c instanceof vscode.MarkdownString) parts.push(c.value);
      else if (c && typeof c === "object" && "value" in c) parts.push(String((c as { value: unknown }).value));
    }
  return parts.join("\n");
}

/**
 * Opens a sample capture the way a user whose key logs live elsewhere would: the capture is copied into the
 * workspace without its sibling `.keylog`, `tlsHandshake.keyLogPath` (user settings) names the sample's key log,
 * and the capture opens in the custom editor. Returns the inspected document (connection and decrypted counts);
 * the setting is cleared again before returning.
 */
export async function openCaptureWithKeyLogSetting(api: ExtensionApi, sample: string): Promise<{ connections: number; decrypted: number }> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error("the tests need a workspace folder");
  const src = path.join(REPO, "samples", `${sample}.pcap`);
  const keyLog = path.join(REPO, "samples", `${sample}.keylog`);
  const dir = path.join(folder.uri.fsPath, `keylog-setting-${Date.now()}`);
  fs.mkdirSync(dir, { recursive: true });
  const capture = vscode.Uri.file(path.join(dir, `${sample}.pcap`));
  fs.copyFileSync(src, capture.fsPath);
  const config = vscode.workspace.getConfiguration("tlsHandshake");
  await config.update("keyLogPath", keyLog, vscode.ConfigurationTarget.Global);
  try {
    await vscode.commands.executeCommand("vscode.openWith", capture, "tlsHandshake.captureEditor");
    const active = api._test?.activeDocument as undefined | (() => { key: string; connections: number; decrypted: number } | undefined);
    if (!active) throw new Error("activate() must return _test.activeDocument()");
    return await waitFor(`${sample}.pcap inspected`, () => {
      const d = active();
      return d && d.key.includes(path.basename(dir)) && d.connections > 0 ? d : undefined;
    });
  } finally {
    await config.update("keyLogPath", undefined, vscode.ConfigurationTarget.Global);
  }
}

/** The code lenses of a document, once the provider has produced some. */
export function codeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return waitFor("code lenses", async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", doc.uri, 100);
    return l && l.length ? l : undefined;
  });
}
