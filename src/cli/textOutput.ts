/**
 * The readable `inspect` output: like `tshark -V` restricted to TLS, but with names, values and meanings on one
 * line per field and the handshake as a numbered list per connection. Coloured when a Style other than PLAIN is
 * given; without colour the text is exactly what it was before colour existed (a test strips the colour of every
 * fixture's output and compares).
 */
import { preambleText } from "../inspect/preambleText";
import type { FieldNode } from "../tls/field";
import { alertDescriptions, alertLevels, cipherSuites, versionName } from "../tls/registry";
import { quicVersionName } from "../tls/registry/quicVersions";
import type { ConnectionModel, Diagnosis, LocatedError } from "../model";
import { JsonByteWriter } from "../inspect/jsonBytes";
import { PLAIN, type Style } from "./colour";
import { DIAGNOSIS_LABELS, diagnosisWords, type Lang } from "./lang";

const arrow = (dir: string, s: Style) => (dir === "c2s" ? `${s.client}C → S${s.off}` : `${s.server}S → C${s.off}`);

function endpoint(e: { ip: string; port: number }): string {
  return e.ip.includes(":") ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

/** Indentation of a field line at each depth, encoded once. */
const pads: Uint8Array[] = [];
const padBytes = (depth: number): Uint8Array => (pads[depth] ??= Buffer.from("    " + "  ".repeat(depth), "latin1"));

/**
 * The hot path — hundreds of megabytes of these lines for a large capture — written as bytes, without colour and
 * without building the line as a string first.
 */
function tree(node: FieldNode, depth: number, w: JsonByteWriter, maxDepth: number): void {
  w.bytes(padBytes(depth));
  const display = node.display.length > 200 ? node.display.slice(0, 197) + "..." : node.display;
  // Extensions display as "server_name (0x0000): ...": no need to repeat the name in front.
  const name = node.name;
  const named = display.startsWith(name) && display.charCodeAt(name.length) === 0x20 && display.charCodeAt(name.length + 1) === 0x28;
  if (!named) {
    w.utf8(name);
    w.ascii(": ");
  }
  w.utf8(display);
  if (node.rfc) {
    w.ascii("  [");
    w.utf8(node.rfc);
    w.ascii("]");
  }
  if (node.error) {
    w.ascii("  !! ");
    w.utf8(node.error);
  }
  w.ascii("\n");
  if (depth >= maxDepth) return;
  const children = node.children;
  if (children) for (let i = 0; i < children.length; i++) tree(children[i], depth + 1, w, maxDepth);
}

/** A connection's lines, each written to the byte writer as it is pushed. */
class Lines {
  constructor(readonly w: JsonByteWriter) {}
  push(line: string): void {
    this.w.utf8(line);
    this.w.ascii("\n");
  }
}

/** tree() with the field names, citations and errors coloured. */
function styledTree(node: FieldNode, depth: number, out: Lines, maxDepth: number, s: Style): void {
  const pad = "    " + "  ".repeat(depth);
  const cite = node.rfc ? `  ${s.dim}[${node.rfc}]${s.off}` : "";
  const err = node.error ? `  ${s.bad}!! ${node.error}${s.off}` : "";
  const display = node.display.length > 200 ? node.display.slice(0, 197) + "..." : node.display;
  let line: string;
  if (display.startsWith(node.name + " (")) {
    // "server_name (0x0000): value": the name and its code point are the field's name.
    const end = display.indexOf("): ");
    line = end < 0 ? `${s.field}${display}${s.off}` : `${s.field}${display.slice(0, end + 1)}${s.off}${display.slice(end + 1)}`;
  } else {
    line = `${s.field}${node.name}${s.off}: ${display}`;
  }
  out.push(`${pad}${line}${cite}${err}`);
  if (depth >= maxDepth) return;
  for (const c of node.children ?? []) styledTree(c, depth + 1, out, maxDepth, s);
}

/** QUIC packets listed in the text at most (the JSON has them all). */
const MAX_PACKET_LINES = 64;

function quicPackets(c: ConnectionModel, out: Lines, s: Style): void {
  const packets = c.packets ?? [];
  if (!packets.length) return;
  out.push(`  ${s.heading}QUIC packets${s.off} (${packets.length}):`);
  for (const p of packets.slice(0, MAX_PACKET_LINES)) {
    const pn = p.packetNumber === null ? "" : ` pn ${p.packetNumber}`;
    const kp = p.keyPhase !== undefined && p.decrypted ? ` key phase ${p.keyPhase}` : "";
    const what = p.decrypted
      ? p.frames.join(", ")
      : p.type === "Retry"
        ? `token ${p.tokenLength ?? 0} bytes, integrity tag ${p.retryIntegrity === undefined ? "not checked" : p.retryIntegrity ? "OK" : "MISMATCH"}`
        : p.type === "VersionNegotiation"
          ? `versions ${(p.supportedVersions ?? []).map((v) => `0x${v.toString(16).padStart(8, "0")}`).join(", ")}`
          : `${s.dim}[encrypted]${s.off}`;
    out.push(`    ${s.dim}frame ${p.frame}${s.off} ${arrow(p.dir, s)}  ${p.type}${pn}${kp} ${s.dim}(${p.length} bytes)${s.off}: ${what}`);
  }
  if (packets.length > MAX_PACKET_LINES) out.push(`    ... ${packets.length - MAX_PACKET_LINES} more packet(s)`);
}

/** One diagnosis: severity, code and sentence, its evidence, the RFC section and what to do. */
function diagnosisLines(d: Diagnosis, out: { push(line: string): void }, s: Style, lang: Lang): void {
  const colour = d.severity === "error" ? s.bad : d.severity === "warning" ? s.notice : s.dim;
  const l = DIAGNOSIS_LABELS[lang];
  const w = diagnosisWords(d, lang);
  out.push(`  ${colour}${l.severity[d.severity]}${s.off} ${s.heading}${d.code}${s.off}: ${w.message}  ${s.dim}[${d.rfc}]${s.off}`);
  const evidence = [...(d.frames.length ? [`${d.frames.length > 1 ? l.frames : l.frame} ${d.frames.join(", ")}`] : []), ...d.fields];
  if (evidence.length) out.push(`      ${s.dim}${l.evidence}: ${evidence.join("; ")}${s.off}`);
  if (w.action) out.push(`      ${s.dim}→${s.off} ${w.action}`);
}

export interface TextOptions {
  fieldsDepth: number;
  style?: Style;
  /** The language of the diagnoses (default English; see lang.ts). */
  lang?: Lang;
}

/** One connection's text (see connectionBytes). */
export function connectionText(c: ConnectionModel, opts: TextOptions): string {
  const b = connectionBytes(c, opts);
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString("utf8");
}

/** Where connections are written, a piece at a time, before their bytes are gathered (one connection at a time). */
const scratchParts: Uint8Array[] = [];
let scratch: JsonByteWriter | undefined;

/** One connection's text as UTF-8: a heading, its facts, the handshake as a numbered list with field trees. */
export function connectionBytes(c: ConnectionModel, opts: TextOptions): Uint8Array {
  return scratchBytes((w) => writeConnectionText(c, opts, w));
}

/**
 * What `write` writes, as a view of its own in a shared slab: a message's lines, then its connection's text, wait for
 * the connection's end, and an ArrayBuffer for each (hundreds of thousands on a large capture) cost more to
 * allocate, account and collect than the copying. A slab lives while a view of it does.
 */
function scratchBytes(write: (w: JsonByteWriter) => void): Uint8Array {
  scratch ??= new JsonByteWriter((b) => scratchParts.push(keep(b)), 1 << 20);
  write(scratch);
  scratch.flush();
  const parts = scratchParts.splice(0);
  return parts.length === 1 ? parts[0] : keep(Buffer.concat(parts));
}

const SLAB_SIZE = 1 << 20;
let slab = new Uint8Array(0);
let slabUsed = 0;

/** A copy of `b` in the slab (the writer reuses its buffer). */
function keep(b: Uint8Array): Uint8Array {
  if (b.length > SLAB_SIZE >> 2) return new Uint8Array(b);
  if (slab.length - slabUsed < b.length) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const view = slab.subarray(slabUsed, slabUsed + b.length);
  view.set(b);
  slabUsed += b.length;
  return view;
}

/**
 * A message's field tree as the lines connectionBytes writes under the message (its children, indented from depth
 * 0): made as the message is decoded (TlsConnectionOptions.treeText) and written as they are at the end.
 */
export function treeBytes(root: FieldNode, opts: TextOptions): Uint8Array {
  return scratchBytes((w) => writeTree(root, opts, w));
}

function writeTree(root: FieldNode, opts: TextOptions, w: JsonByteWriter): void {
  const s = opts.style ?? PLAIN;
  if (s === PLAIN) for (const child of root.children ?? []) tree(child, 0, w, opts.fieldsDepth);
  else for (const child of root.children ?? []) styledTree(child, 0, new Lines(w), opts.fieldsDepth, s);
}

function writeConnectionText(c: ConnectionModel, opts: TextOptions, w: JsonByteWriter): void {
  const s = opts.style ?? PLAIN;
  const out = new Lines(w);
  const ver = c.version === null ? "no ServerHello" : versionName(c.version);
  const suite = c.cipherSuite === null ? "" : `, ${cipherSuites.display(c.cipherSuite)}`;
  const quic = c.quic ? `${c.quic.version === null ? "QUIC" : quicVersionName(c.quic.version).replace(/^(?!QUIC)/, "QUIC ")}, ` : "";
  out.push(`${s.heading}Connection ${c.id}:${s.off} ${endpoint(c.client)} → ${endpoint(c.server)}  ${quic}${ver}${suite}`);
  const facts: string[] = [];
  if (c.quic?.retry) facts.push("Retry");
  if (c.quic?.versionNegotiation) facts.push("Version Negotiation");
  if (c.sni !== null) facts.push(`SNI ${JSON.stringify(c.sni)}`);
  if (c.alpn !== null) facts.push(`ALPN ${JSON.stringify(c.alpn)}`);
  facts.push(c.decrypted ? `${s.good}decrypted${s.off}` : `${s.dim}not decrypted${s.off}`);
  if (c.ja4) facts.push(`JA4 ${c.ja4}`);
  out.push(`  ${facts.join(", ")}`);
  if (c.preamble) out.push(`  ${preambleText(c.preamble)}`);
  // Why it failed comes first: the diagnoses, then the messages they point into.
  for (const d of c.diagnoses ?? []) diagnosisLines(d, out, s, opts.lang ?? "en");
  c.messages.forEach((m, i) => {
    const verified = m.verified === true ? `${s.good}verify_data OK${s.off}` : m.verified === false ? `${s.bad}verify_data MISMATCH${s.off}` : "";
    const flags = [m.space ?? "", m.encrypted ? "encrypted" : "", verified].filter(Boolean).join(", ");
    out.push(
      `  ${String(i + 1).padStart(2)}. ${arrow(m.dir, s)}  ${s.heading}${m.name}${s.off} ${s.dim}(${m.length} bytes, frame ${m.frame})${s.off}${flags ? "  [" + flags + "]" : ""}`,
    );
    if (m.treeText) w.bytes(m.treeText);
    else if (m.tree) writeTree(m.tree, opts, w);
  });
  quicPackets(c, out, s);
  for (const a of c.alerts) {
    const level = a.level === null ? undefined : alertLevels.name(a.level);
    const what = level === undefined ? "encrypted alert" : `${level} ${alertDescriptions.display(a.description ?? 0)}`;
    out.push(`  ${level === "fatal" ? s.bad : s.notice}Alert${s.off} ${arrow(a.dir, s)}: ${what} ${s.dim}(frame ${a.frame})${s.off}`);
  }
  for (const e of c.errors) out.push(`  ${s.bad}Error${e.frame !== undefined ? ` (frame ${e.frame})` : ""}: ${e.message}${s.off}`);
  w.ascii("\n");
}

export function errorsText(errors: LocatedError[], s: Style = PLAIN): string {
  return errors
    .map(
      (e) =>
        `${s.bad}Error${e.frame !== undefined ? ` (frame ${e.frame})` : ""}${e.offset !== undefined ? ` at byte ${e.offset}` : ""}: ${e.message}${s.off}\n`,
    )
    .join("");
}
