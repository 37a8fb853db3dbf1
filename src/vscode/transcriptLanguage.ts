/**
 * Language features for `tls-transcript` documents (.tlstrace and OpenSSL `s_client -msg` output): an outline
 * with one symbol per record/message, hovers naming the field under a hex byte, "Explain" and "Show in timeline"
 * code lenses above each handshake message, and diagnostics from the transcript parser and the message decoders.
 */
import * as vscode from "vscode";
import type { MessageInfo } from "../model";
import type { FieldNode } from "../tls/field";
import { core } from "./lazyCore";
import { byteAt, roleAt, type TranscriptIndex } from "./transcriptIndex";
import { forgetTranscript, transcriptIndex } from "./transcriptModel";

export const TRANSCRIPT_LANGUAGE = "tls-transcript";
const SELECTOR: vscode.DocumentSelector = { language: TRANSCRIPT_LANGUAGE };

/** Peer-controlled text shown as text: every Markdown metacharacter escaped. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, "\\$&").replace(/\r?\n/g, " ");
}

/** The chain of nodes from the root to the innermost one covering `offset` (RFC field path). */
function nodePath(root: FieldNode, offset: number): FieldNode[] {
  const path: FieldNode[] = [];
  let node: FieldNode | undefined = root;
  for (let depth = 0; node && depth < 64; depth++) {
    if (offset < node.start || offset >= node.end) break;
    path.push(node);
    node = node.children?.find((c) => offset >= c.start && offset < c.end);
  }
  return path;
}

const HEADER_FIELDS = [
  { name: "type", what: "ContentType", bytes: [0, 1] },
  { name: "legacy_record_version", what: "ProtocolVersion", bytes: [1, 3] },
  { name: "legacy_record_version", what: "ProtocolVersion", bytes: [1, 3] },
  { name: "length", what: "uint16", bytes: [3, 5] },
  { name: "length", what: "uint16", bytes: [3, 5] },
];

function headerHover(index: number, header: Uint8Array | undefined): vscode.MarkdownString {
  const f = HEADER_FIELDS[index];
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**TLSPlaintext** record header · \`${f.name}\` (${f.what})\n\n`);
  if (header) {
    let value: string;
    if (index === 0) value = core().contentTypes.display(header[0]);
    else if (index <= 2) {
      const v = (header[1] << 8) | header[2];
      value = `${core().versionName(v)} (0x${v.toString(16).padStart(4, "0")})`;
    } else value = `${(header[3] << 8) | header[4]} bytes`;
    md.appendMarkdown(`${escapeMarkdown(value)}\n\n`);
  }
  md.appendMarkdown("RFC 8446 §5.1");
  return md;
}

function messageHover(ix: TranscriptIndex, printedIndex: number, offset: number): vscode.MarkdownString {
  const p = ix.printed[printedIndex];
  const m: MessageInfo | undefined = p.model >= 0 ? ix.model.connections[0]?.messages[p.model] : undefined;
  const md = new vscode.MarkdownString();
  const name = m?.name ?? `handshake message type ${p.type}`;
  const arrow = p.dir === "c2s" ? "client → server" : "server → client";
  md.appendMarkdown(`**${escapeMarkdown(name)}** · ${arrow} · byte ${offset} of ${p.bytes.length}\n\n`);
  const path = m?.tree ? nodePath(m.tree, offset) : [];
  const leaf = path[path.length - 1];
  if (leaf && path.length > 1) {
    md.appendMarkdown(`\`${leaf.name.replace(/`/g, "'")}\`: ${escapeMarkdown(leaf.display)}\n\n`);
    md.appendMarkdown(`${path.map((n) => escapeMarkdown(n.name)).join(" › ")}\n\n`);
  } else if (offset === 0) {
    md.appendMarkdown("`msg_type` (HandshakeType)\n\n");
  }
  const rfc = [...path].reverse().find((n) => n.rfc)?.rfc;
  if (rfc) md.appendMarkdown(escapeMarkdown(rfc));
  if (leaf?.error) md.appendMarkdown(`\n\n⚠ ${escapeMarkdown(leaf.error)}`);
  return md;
}

class HoverProvider implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const ix = transcriptIndex(doc);
    if (!ix) return undefined;
    const at = byteAt(ix, pos.line, pos.character);
    if (!at) return undefined;
    const b = ix.transcript.blocks[at.block];
    const col = b.byteRanges.column[at.index];
    const range = new vscode.Range(pos.line, col, pos.line, col + 2);
    const role = roleAt(ix, at.block, at.index);
    switch (role.kind) {
      case "header":
        return new vscode.Hover(headerHover(role.index, role.header), range);
      case "message":
        return new vscode.Hover(messageHover(ix, role.message, role.offset), range);
      case "fragment": {
        const what = role.isProtected ? "protected record (encrypted)" : core().contentTypes.name(role.contentType);
        return new vscode.Hover(new vscode.MarkdownString(`record content: ${escapeMarkdown(what)}`), range);
      }
      default:
        return undefined;
    }
  }
}

class SymbolProvider implements vscode.DocumentSymbolProvider {
  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    const ix = transcriptIndex(doc);
    if (!ix) return [];
    const out: vscode.DocumentSymbol[] = [];
    const names = new Map<number, string[]>();
    // A block's name: the messages whose first byte it holds, else its record type.
    for (const p of ix.printed) {
      const m = p.model >= 0 ? ix.model.connections[0]?.messages[p.model] : undefined;
      const list = names.get(p.line) ?? [];
      list.push(m?.name ?? `type ${p.type}`);
      names.set(p.line, list);
    }
    ix.transcript.blocks.forEach((b, i) => {
      const fromMessages: string[] = [];
      for (let line = b.line; line <= b.endLine && line < doc.lineCount; line++) fromMessages.push(...(names.get(line) ?? []));
      const label = fromMessages.length
        ? fromMessages.join(", ")
        : b.labels?.length
          ? b.labels.join(", ")
          : b.record
            ? core().contentTypes.name(b.innerType ?? b.record.type)
            : b.bytes.length >= 1
              ? core().contentTypes.name(b.bytes[0])
              : "record";
      const end = Math.min(b.endLine, doc.lineCount - 1);
      const range = new vscode.Range(b.line, 0, end, doc.lineAt(end).text.length);
      const detail = `${b.dir === 0 ? "→" : "←"} ${b.bytes.length} bytes · #${i + 1}`;
      out.push(
        new vscode.DocumentSymbol(
          label,
          detail,
          fromMessages.length ? vscode.SymbolKind.Event : vscode.SymbolKind.Struct,
          range,
          new vscode.Range(b.line, 0, b.line, 0),
        ),
      );
    });
    return out;
  }
}

class TranscriptLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly action: "explain" | "timeline",
    readonly uri: vscode.Uri,
    readonly message: number,
    readonly name: string,
    readonly note?: string,
  ) {
    super(range);
  }
}

class LensProvider implements vscode.CodeLensProvider<TranscriptLens> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  provideCodeLenses(doc: vscode.TextDocument): TranscriptLens[] {
    const ix = transcriptIndex(doc);
    const conn = ix?.model.connections[0];
    if (!ix || !conn) return [];
    const lineOf = new Map<number, number>();
    for (const p of ix.printed) if (p.model >= 0) lineOf.set(p.model, p.line);
    const out: TranscriptLens[] = [];
    conn.messages.forEach((m, i) => {
      // Messages that are not printed in the clear (encrypted records of a .tlstrace) sit on their record.
      const line = lineOf.get(i) ?? core().lineOfFrame(ix.transcript, m.frame);
      if (line < 0 || line >= doc.lineCount) return;
      const range = new vscode.Range(line, 0, line, 0);
      const note = core().messageNote(m);
      if (note) out.push(new TranscriptLens(range, "explain", doc.uri, i, m.name, note));
      out.push(new TranscriptLens(range, "timeline", doc.uri, i, m.name));
    });
    return out;
  }

  resolveCodeLens(lens: TranscriptLens): TranscriptLens {
    lens.command =
      lens.action === "explain"
        ? { title: vscode.l10n.t("Explain {0}", lens.name), command: "tlsHandshake.explain", arguments: [lens.note] }
        : { title: vscode.l10n.t("Show in timeline"), command: "tlsHandshake.showInTimeline", arguments: [lens.uri, 0, lens.message] };
    return lens;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function diagnosticsFor(doc: vscode.TextDocument, ix: TranscriptIndex): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  const lineRange = (line: number) => {
    const l = Math.max(0, Math.min(line, doc.lineCount - 1));
    return new vscode.Range(l, 0, l, doc.lineAt(l).text.length);
  };
  for (const d of ix.transcript.diagnostics) {
    const line = Math.min(d.line, doc.lineCount - 1);
    const diag = new vscode.Diagnostic(
      new vscode.Range(line, d.column, line, d.endColumn),
      d.message,
      d.severity === "error" ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
    );
    diag.source = "tls-transcript";
    out.push(diag);
  }
  const conn = ix.model.connections[0];
  if (conn) {
    const lineOf = new Map<number, number>();
    for (const p of ix.printed) if (p.model >= 0) lineOf.set(p.model, p.line);
    conn.messages.forEach((m, i) => {
      if (!m.error) return;
      const diag = new vscode.Diagnostic(
        lineRange(lineOf.get(i) ?? core().lineOfFrame(ix.transcript, m.frame)),
        `${m.name}: ${m.error}`,
        vscode.DiagnosticSeverity.Error,
      );
      diag.source = "tls-transcript";
      out.push(diag);
    });
    for (const e of conn.errors.slice(0, 100)) {
      const diag = new vscode.Diagnostic(
        lineRange(e.frame !== undefined ? core().lineOfFrame(ix.transcript, e.frame) : 0),
        e.message,
        vscode.DiagnosticSeverity.Warning,
      );
      diag.source = "tls-transcript";
      out.push(diag);
    }
  }
  for (const e of ix.model.errors.slice(0, 100)) {
    const diag = new vscode.Diagnostic(
      lineRange(e.frame !== undefined ? core().lineOfFrame(ix.transcript, e.frame) : 0),
      e.message,
      vscode.DiagnosticSeverity.Warning,
    );
    diag.source = "tls-transcript";
    out.push(diag);
  }
  return out;
}

/** Registers every transcript feature; returns what to dispose. */
export function registerTranscriptLanguage(): vscode.Disposable[] {
  const diagnostics = vscode.languages.createDiagnosticCollection(TRANSCRIPT_LANGUAGE);
  const lenses = new LensProvider();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const refresh = (doc: vscode.TextDocument, delay = 300) => {
    if (doc.languageId !== TRANSCRIPT_LANGUAGE) return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    // Typing re-parses at most every `delay` ms.
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        if (doc.isClosed) return;
        const ix = transcriptIndex(doc);
        diagnostics.set(doc.uri, ix ? diagnosticsFor(doc, ix) : []);
      }, delay),
    );
  };
  for (const d of vscode.workspace.textDocuments) refresh(d, 0);
  return [
    diagnostics,
    lenses,
    vscode.languages.registerHoverProvider(SELECTOR, new HoverProvider()),
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, new SymbolProvider(), { label: "TLS transcript" }),
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    vscode.workspace.onDidOpenTextDocument((d) => refresh(d, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => refresh(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      diagnostics.delete(d.uri);
      forgetTranscript(d.uri);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  ];
}
