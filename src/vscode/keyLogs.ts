/**
 * Where a capture's key log comes from — a sibling `NAME.keylog`, the `tlsHandshake.keyLogPath` setting (trusted
 * workspaces only: a workspace could otherwise point it at any file), or a file the user picks — and the key-log
 * lines that belong to one connection (matched by its ClientHello random, the NSS key log's second column).
 * Key-log text is secret: it is passed along, never logged.
 */
import * as path from "node:path";
import * as vscode from "vscode";
import type { ConnectionModel } from "../model";
import { core } from "./lazyCore";

const MAX_KEYLOG_BYTES = 64 * 1024 * 1024;

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const st = await vscode.workspace.fs.stat(uri);
    if (st.size > MAX_KEYLOG_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** `capture.pcap` → `capture.keylog` beside it. */
export function siblingKeyLogUri(capture: vscode.Uri): vscode.Uri {
  const p = capture.path.replace(/\.(pcapng|pcap|cap)$/i, "") + ".keylog";
  return capture.with({ path: p });
}

export function keyLogPathSetting(): string {
  return vscode.workspace.getConfiguration("tlsHandshake").get<string>("keyLogPath", "").trim();
}

/** The key log found for a capture without asking: sibling file first, then the setting. */
export async function findKeyLog(capture: vscode.Uri): Promise<{ text: string; source: string } | undefined> {
  const sibling = siblingKeyLogUri(capture);
  const text = await readText(sibling);
  if (text !== undefined) return { text, source: path.basename(sibling.path) };
  const setting = keyLogPathSetting();
  if (setting && vscode.workspace.isTrusted) {
    const folder = vscode.workspace.getWorkspaceFolder(capture) ?? vscode.workspace.workspaceFolders?.[0];
    const uri = path.isAbsolute(setting) || !folder ? vscode.Uri.file(setting) : vscode.Uri.joinPath(folder.uri, setting);
    const t = await readText(uri);
    if (t !== undefined) return { text: t, source: path.basename(uri.path) };
  }
  return undefined;
}

/** "Attach key log…": the user picks the file. */
export async function pickKeyLog(near?: vscode.Uri): Promise<{ text: string; source: string } | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    defaultUri: near ? near.with({ path: path.posix.dirname(near.path) }) : undefined,
    openLabel: vscode.l10n.t("Attach Key Log"),
    filters: { [vscode.l10n.t("Key logs")]: ["keylog", "log", "txt"], [vscode.l10n.t("All files")]: ["*"] },
  });
  if (!picked?.[0]) return undefined;
  const text = await readText(picked[0]);
  if (text === undefined) {
    void vscode.window.showErrorMessage(vscode.l10n.t("Could not read {0}.", path.basename(picked[0].path)));
    return undefined;
  }
  return { text, source: path.basename(picked[0].path) };
}

/** The ClientHello's random (RFC 8446 §4.1.2: after msg_type, length and legacy_version), lowercase hex. */
export function clientRandom(conn: ConnectionModel): string | undefined {
  const { HandshakeType, toHex } = core();
  const ch = conn.messages.find((m) => m.type === HandshakeType.client_hello && m.dir === "c2s" && m.raw && m.raw.length >= 38);
  if (ch?.raw) return toHex(ch.raw.subarray(6, 38));
  return conn.secrets?.find((s) => s.label === "client_random")?.value;
}

/** Lines of an NSS key log that belong to this connection. */
export function keyLogLinesFor(keylog: string, conn: ConnectionModel): string {
  const random = clientRandom(conn);
  if (!random) return "";
  const out: string[] = [];
  for (const line of keylog.split(/\r?\n/)) {
    const parts = line.trim().split(/\s+/);
    if (parts.length === 3 && parts[1].toLowerCase() === random) out.push(parts.join(" "));
  }
  return out.length ? out.join("\n") + "\n" : "";
}

/** RFC 8446 §7.1 secret names → NSS key log labels; TLS 1.2's master_secret is CLIENT_RANDOM. */
const NSS_LABELS: Record<string, string> = {
  client_early_traffic_secret: "CLIENT_EARLY_TRAFFIC_SECRET",
  client_handshake_traffic_secret: "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
  server_handshake_traffic_secret: "SERVER_HANDSHAKE_TRAFFIC_SECRET",
  client_application_traffic_secret_0: "CLIENT_TRAFFIC_SECRET_0",
  server_application_traffic_secret_0: "SERVER_TRAFFIC_SECRET_0",
  exporter_master_secret: "EXPORTER_SECRET",
  early_exporter_master_secret: "EARLY_EXPORTER_SECRET",
};

/** An NSS key log for a connection the engine took part in (from the secrets it derived). */
export function engineKeyLog(conn: ConnectionModel): string {
  const random = clientRandom(conn);
  if (!random) return "";
  const tls13 = conn.version === core().ProtocolVersion.TLSv1_3;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const s of conn.secrets ?? []) {
    const label = tls13 ? NSS_LABELS[s.label] : s.label === "master_secret" ? "CLIENT_RANDOM" : undefined;
    if (!label || seen.has(label)) continue;
    seen.add(label);
    out.push(`${label} ${random} ${s.value}`);
  }
  return out.length ? out.join("\n") + "\n" : "";
}
