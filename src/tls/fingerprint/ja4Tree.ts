/**
 * The JA4 fingerprint as a node of a ClientHello's field tree: its three parts and what each is made of, each
 * part covering the bytes it was read from (the cipher_suites vector, the extensions, supported_versions, ALPN,
 * signature_algorithms), so selecting a part in the tree highlights its source in the bytes pane.
 *
 * The node is derived, not wire: it is appended after the message's own fields (which cover the message exactly),
 * spans the whole message, and its children overlap the fields they summarise.
 */
import type { FieldNode } from "../field";
import { decodeHandshake } from "../handshake/decode";
import { signatureSchemes, versionName } from "../registry";
import {
  APPLICATION_LAYER_PROTOCOL_NEGOTIATION,
  SERVER_NAME,
  SIGNATURE_ALGORITHMS,
  SUPPORTED_VERSIONS,
  ja4,
  ja4Input,
  type Ja4Result,
  type Ja4Transport,
} from "./ja4";

const SPEC = "FoxIO JA4 (technical_details/JA4.md)";
const NOTE = "ja4";

const TRANSPORT_TEXT: Record<Ja4Transport, string> = { tcp: "TLS over TCP", quic: "QUIC", dtls: "DTLS" };

/** The extension node of a ClientHello tree by its extension_type value, if the tree has it. */
function extensionNode(root: FieldNode, type: number): FieldNode | undefined {
  const exts = root.children?.find((c) => c.name === "extensions");
  return exts?.children?.find((e) => e.children?.some((c) => c.name === "extension_type" && c.value === type));
}

function child(root: FieldNode, name: string): FieldNode | undefined {
  return root.children?.find((c) => c.name === name);
}

/** A derived node over the bytes of `over` (the whole message when the source is absent). */
function node(root: FieldNode, over: FieldNode | undefined, name: string, display: string, children?: FieldNode[]): FieldNode {
  const n: FieldNode = { name, start: over?.start ?? root.start, end: over?.end ?? root.end, display, note: NOTE };
  if (children?.length) n.children = children;
  return n;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

function latin1(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return s;
}

/** The JA4 node for a ClientHello tree `root` (offsets of the message). */
export function ja4Node(root: FieldNode, r: Ja4Result): FieldNode {
  const suites = child(root, "cipher_suites");
  const exts = child(root, "extensions");
  const versions = extensionNode(root, SUPPORTED_VERSIONS);
  const sni = extensionNode(root, SERVER_NAME);
  const alpn = extensionNode(root, APPLICATION_LAYER_PROTOCOL_NEGOTIATION);
  const sigalgs = extensionNode(root, SIGNATURE_ALGORITHMS);
  const a = r.a;

  const versionSource = a.version.from === "supported_versions" ? versions : (child(root, "legacy_version") ?? child(root, "client_version"));
  const versionWhat = a.version.value ? versionName(a.version.value) : "no version but GREASE";
  const versionWhere = a.version.from === "supported_versions" ? "the highest in supported_versions" : "legacy_version (no supported_versions)";
  const alpnWhat =
    a.alpn.from === "none"
      ? "no ALPN protocol"
      : a.alpn.from === "characters"
        ? `first and last character of "${latin1(a.alpn.value!)}"`
        : "first and last hex digit of the first protocol name (it does not start and end with a letter or digit)";

  const partA = node(root, undefined, "JA4_a", a.text, [
    node(root, undefined, "transport", `${a.text[0]}: ${TRANSPORT_TEXT[a.transport]}`),
    node(root, versionSource, "version", `${a.version.code}: ${versionWhat}, ${versionWhere}`),
    node(root, sni ?? exts, "sni", a.sni === "d" ? "d: server_name present (a domain)" : "i: no server_name (an IP address)"),
    node(root, suites, "cipher_count", `${a.text.slice(4, 6)}: ${plural(a.cipherCount, "cipher suite")} without GREASE`),
    node(root, exts, "extension_count", `${a.text.slice(6, 8)}: ${plural(a.extensionCount, "extension")} without GREASE`),
    node(root, alpn, "alpn", `${a.alpn.code}: ${alpnWhat}`),
  ]);
  const partB = node(root, suites, "JA4_b", `${r.b.text}: SHA-256 of the sorted cipher suites, first 12 hex digits`, [
    node(root, suites, "sorted_cipher_suites", r.b.list || "(none)"),
  ]);
  const sigNames = r.c.signatureAlgorithms
    ? r.c.signatureAlgorithms
        .split(",")
        .map((h) => signatureSchemes.name(parseInt(h, 16)))
        .join(", ")
    : "";
  const partC = node(root, exts, "JA4_c", `${r.c.text}: SHA-256 of the sorted extensions (no SNI, no ALPN) and the signature algorithms, first 12 hex digits`, [
    node(root, exts, "sorted_extensions", r.c.extensions || "(none)"),
    node(root, sigalgs, "signature_algorithms", r.c.signatureAlgorithms ? `${r.c.signatureAlgorithms} (wire order: ${sigNames})` : "(none)"),
  ]);
  return { ...node(root, undefined, "JA4", r.ja4, [partA, partB, partC, node(root, undefined, "JA4_r", r.ja4_r)]), rfc: SPEC };
}

/**
 * JA4 of a ClientHello given as bytes (header included); with the message's field tree, its JA4 node is appended
 * to it (once). Null when the message does not decode whole.
 */
export function clientHelloJa4(raw: Uint8Array, transport: Ja4Transport, tree?: FieldNode): Ja4Result | null {
  const input = ja4Input(decodeHandshake(raw, { dir: "c2s", version: null, cipherSuite: null }, false), transport);
  if (!input) return null;
  const r = ja4(input);
  if (tree && !tree.children?.some((c) => c.name === "JA4")) tree.children = [...(tree.children ?? []), ja4Node(tree, r)];
  return r;
}
