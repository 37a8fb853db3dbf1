/**
 * The commands of the contract (category "TLS"). Each works from the palette (asking what it needs) and from its
 * menus or code lenses (taking the tree node / note id / transcript location as its argument).
 */
import * as vscode from "vscode";
import { core } from "./lazyCore";
import { isWebviewToHost, type SimulateRequest } from "../protocol/messages";
import type { FieldNode } from "../tls/field";
import type { CaptureEditorProvider } from "./captureEditor";
import type { ConnectionNode } from "./connectionsView";
import type { FieldsElement } from "./fieldsView";
import { openNote, toggleNotesLanguage } from "./notes";
import { lessonRoutes } from "./lesson";
import { HandshakePanel } from "./panel";
import type { Session, SessionDocument } from "./session";
import { exportKeyLog, saveTranscript } from "./transcriptExport";
import { inspectTranscriptUri } from "./transcriptModel";

export interface CommandDeps {
  context: vscode.ExtensionContext;
  session: Session;
  captures: CaptureEditorProvider;
}

const isFieldsElement = (x: unknown): x is FieldsElement =>
  typeof x === "object" && x !== null && "kind" in x && ["message", "field", "alert"].includes((x as { kind: string }).kind) && "docKey" in x;
const isConnectionNode = (x: unknown): x is ConnectionNode => typeof x === "object" && x !== null && "summary" in x && "docKey" in x;

async function askSimulation(): Promise<SimulateRequest | undefined> {
  const version = await vscode.window.showQuickPick(
    [
      { label: "TLS 1.3", description: vscode.l10n.t("ECDHE (x25519), TLS_AES_128_GCM_SHA256"), version: "1.3" as const },
      {
        label: "TLS 1.3 X25519MLKEM768",
        description: vscode.l10n.t("post-quantum hybrid, the browsers' default (draft-ietf-tls-ecdhe-mlkem)"),
        version: "1.3" as const,
        group: core().NamedGroup.X25519MLKEM768,
      },
      { label: "TLS 1.2", description: vscode.l10n.t("choose the key exchange next"), version: "1.2" as const },
    ],
    { title: vscode.l10n.t("Simulate Handshake: protocol version"), placeHolder: vscode.l10n.t("Which TLS version?") },
  );
  if (!version) return undefined;
  if (version.version === "1.3") return "group" in version ? { version: "1.3", group: version.group } : { version: "1.3" };
  const kx = await vscode.window.showQuickPick(
    [
      { label: "ECDHE", description: "RFC 8422", kx: "ECDHE" as const },
      { label: "DHE", description: "RFC 7919 (ffdhe2048)", kx: "DHE" as const },
      { label: "RSA", description: vscode.l10n.t("RSA key transport (RFC 5246 §7.4.7.1)"), kx: "RSA" as const },
    ],
    { title: vscode.l10n.t("Simulate Handshake: key exchange"), placeHolder: vscode.l10n.t("Which key exchange?") },
  );
  return kx ? { version: "1.2", keyExchange: kx.kx } : undefined;
}

/** host, host:port, [v6]:port → parts (port 443 by default). */
export function parseHostPort(text: string): { host: string; port: number } | undefined {
  const t = text.trim();
  const m = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(t) ?? /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(t);
  if (!m) return undefined;
  const port = m[2] ? Number(m[2]) : 443;
  return port > 0 && port < 65536 ? { host: m[1], port } : undefined;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { context, session, captures } = deps;
  const extensionUri = context.extensionUri;
  const panel = (beside = false) => HandshakePanel.show(context, session, beside);

  /** The document and connection a command is about: its tree-node argument, else the active selection. */
  const target = (arg: unknown): { doc: SessionDocument; id: number } | undefined => {
    if (isConnectionNode(arg) || isFieldsElement(arg)) {
      const doc = session.get(arg.docKey);
      const id = isConnectionNode(arg) ? arg.summary.id : arg.connection;
      return doc ? { doc, id } : undefined;
    }
    const doc = session.active;
    const id = typeof arg === "number" ? arg : doc?.selection.connection;
    return doc && id !== undefined ? { doc, id } : undefined;
  };
  const noConnection = () => void vscode.window.showInformationMessage(vscode.l10n.t("Open a capture or run a simulation and choose a connection first."));

  const explain = async (arg?: unknown) => {
    let id: string | undefined;
    let section: string | undefined;
    if (typeof arg === "string") id = arg;
    else if (isFieldsElement(arg)) {
      if (arg.kind === "message") id = core().messageNote(arg.info);
      else if (arg.kind === "alert") id = "alert";
      else {
        // The nearest node (itself or an ancestor) that has a note.
        for (let e: FieldsElement | undefined = arg; e && !id; e = e.kind === "field" ? e.parent : undefined) {
          id = e.kind === "field" ? e.node.note : e.kind === "message" ? core().messageNote(e.info) : undefined;
          if (e.kind === "field") section = e.node.noteSection;
        }
      }
    }
    if (!id) id = await pickNote(extensionUri);
    if (id) await openNote(extensionUri, id, section);
  };

  const showInTimeline = async (uri?: unknown, connection?: unknown, message?: unknown) => {
    const fileUri =
      uri instanceof vscode.Uri
        ? uri
        : vscode.window.activeTextEditor?.document.languageId === "tls-transcript"
          ? vscode.window.activeTextEditor.document.uri
          : undefined;
    if (!fileUri) {
      panel();
      return;
    }
    const ix = await inspectTranscriptUri(fileUri);
    if (!ix) {
      void vscode.window.showWarningMessage(vscode.l10n.t("This file is not a TLS transcript."));
      return;
    }
    const conn = typeof connection === "number" ? connection : ix.model.connections[0]?.id;
    const p = panel(true);
    p.showCapture(fileUri, ix.model, conn !== undefined ? { connection: conn, message: typeof message === "number" ? message : undefined } : undefined);
  };

  const reg = (id: string, f: (...args: unknown[]) => unknown) => vscode.commands.registerCommand(id, f);
  return [
    reg("tlsHandshake.openPanel", async (arg?: unknown) => {
      if (arg instanceof vscode.Uri) return showInTimeline(arg);
      panel();
    }),
    reg("tlsHandshake.simulate", async (arg?: unknown) => {
      const request = arg && isWebviewToHost({ type: "simulate", request: arg }) ? (arg as SimulateRequest) : await askSimulation();
      if (request) await panel().simulate(request);
    }),
    reg("tlsHandshake.connect", async (arg?: unknown) => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage(vscode.l10n.t("Connecting to a host needs a trusted workspace."));
        return;
      }
      const text =
        typeof arg === "string"
          ? arg
          : await vscode.window.showInputBox({
              title: vscode.l10n.t("Connect to Host"),
              prompt: vscode.l10n.t("host or host:port (port 443 by default)"),
              placeHolder: "example.com:443",
              validateInput: (v) => (parseHostPort(v) ? undefined : vscode.l10n.t("Write host or host:port.")),
            });
      const hp = text ? parseHostPort(text) : undefined;
      if (hp) await panel().connect(hp.host, hp.port);
    }),
    reg("tlsHandshake.openCapture", async (arg?: unknown) => {
      const uri =
        arg instanceof vscode.Uri
          ? arg
          : (
              await vscode.window.showOpenDialog({
                canSelectMany: false,
                openLabel: vscode.l10n.t("Open Capture"),
                filters: { [vscode.l10n.t("Packet captures")]: ["pcap", "pcapng", "cap"], [vscode.l10n.t("TLS transcripts")]: ["tlstrace", "txt"] },
              })
            )?.[0];
      if (!uri) return;
      if (/\.(pcapng|pcap|cap)$/i.test(uri.path)) await vscode.commands.executeCommand("vscode.openWith", uri, "tlsHandshake.captureEditor");
      else await vscode.window.showTextDocument(uri);
    }),
    reg("tlsHandshake.attachKeyLog", async () => {
      const doc = session.active;
      const capture = doc && captures.document(doc.key);
      if (!capture) {
        void vscode.window.showInformationMessage(vscode.l10n.t("Open a capture (.pcap, .pcapng) first; key logs apply to captures."));
        return;
      }
      await captures.attachKeyLog(capture);
    }),
    reg("tlsHandshake.saveTranscript", async (arg?: unknown) => {
      const t = target(arg);
      const conn = t && session.connection(t.doc, t.id);
      if (!t || !conn) return noConnection();
      await saveTranscript(t.doc, conn);
    }),
    reg("tlsHandshake.exportKeyLog", async (arg?: unknown) => {
      const t = target(arg);
      const conn = t && session.connection(t.doc, t.id);
      if (!t || !conn) return noConnection();
      await exportKeyLog(t.doc, conn);
    }),
    reg("tlsHandshake.explain", explain),
    reg("tlsHandshake.startLesson", async (arg?: unknown) => {
      let route = typeof arg === "string" && /^[a-z0-9-]{1,64}$/.test(arg) ? arg : undefined;
      // Ask before the panel opens: a new panel takes the focus, which would close the quick pick.
      if (!route) {
        const routes = await lessonRoutes(extensionUri);
        const pick = await vscode.window.showQuickPick(
          routes.map((r) => ({ label: r.title, id: r.id })),
          { title: vscode.l10n.t("Start Lesson"), placeHolder: vscode.l10n.t("Which lesson?") },
        );
        if (!pick) return;
        route = pick.id;
      }
      await panel().startLesson(route);
    }),
    reg("tlsHandshake.showInTimeline", showInTimeline),
    reg("tlsHandshake.copyValue", async (arg?: unknown) => {
      if (!isFieldsElement(arg)) return;
      let text: string;
      if (arg.kind === "field") text = valueText(arg.node);
      else if (arg.kind === "message") text = core().toHex(arg.info.raw) || arg.info.name;
      else return;
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage(vscode.l10n.t("Copied to the clipboard."), 2000);
    }),
    reg("tlsHandshake.setNotesLanguage", async () => {
      await toggleNotesLanguage();
    }),
  ];
}

function valueText(n: FieldNode): string {
  return n.value === undefined || n.value === null ? n.display : String(n.value);
}

interface NoteIndex {
  notes: { id: string; title: { en: string; ko?: string } }[];
}

async function pickNote(extensionUri: vscode.Uri): Promise<string | undefined> {
  let index: NoteIndex;
  try {
    index = JSON.parse(
      new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, "media", "notes", "index.json"))),
    ) as NoteIndex;
  } catch {
    return undefined;
  }
  const ko = vscode.env.language.startsWith("ko");
  const pick = await vscode.window.showQuickPick(
    index.notes.map((n) => ({ label: (ko && n.title.ko) || n.title.en, description: n.id, id: n.id })),
    { title: vscode.l10n.t("Explain"), placeHolder: vscode.l10n.t("Which topic?") },
  );
  return pick?.id;
}
