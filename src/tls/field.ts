/**
 * The field tree: every byte of a decoded structure belongs to a named node.
 *
 * Offsets are absolute within the buffer the structure was decoded from (for a handshake message: the message
 * including its 4-byte header), so the tree view and the bytes pane can highlight exactly what a node covers.
 */
export type FieldValue = number | string | boolean | null;

export interface FieldNode {
  /** Name from the RFC's presentation language, e.g. `legacy_version`, `cipher_suites`, `extension_type`. */
  name: string;
  /** First byte covered (inclusive). */
  start: number;
  /** One past the last byte covered. */
  end: number;
  /** Raw value: an integer for integer fields, lowercase hex for opaque bytes, a string for text. */
  value?: FieldValue;
  /** What a person reads: `TLS 1.2 (0x0303)`, `TLS_AES_128_GCM_SHA256 (0x1301)`, `"example.com"`. */
  display: string;
  /** Where the structure is defined, e.g. `RFC 8446 §4.1.2`. */
  rfc?: string;
  /** Id of the explanatory note (media/notes/<lang>/<id>.md) that explains this field. */
  note?: string;
  /** The English heading of the section of that note that explains this field (src/tls/fieldNotes.ts). */
  noteSection?: string;
  /** A located decoding problem at this node (the rest of the tree still shows). */
  error?: string;
  children?: FieldNode[];
}

/** Depth-first search for the innermost node covering `offset`. */
export function nodeAt(root: FieldNode, offset: number): FieldNode | undefined {
  if (offset < root.start || offset >= root.end) return undefined;
  let node = root;
  for (let depth = 0; depth < 64; depth++) {
    const child = node.children?.find((c) => offset >= c.start && offset < c.end);
    if (!child) break;
    node = child;
  }
  return node;
}

/** Shift every offset of a tree by `delta` (used when a structure decoded alone is placed inside a larger one). */
export function shiftNode(node: FieldNode, delta: number): FieldNode {
  return {
    ...node,
    start: node.start + delta,
    end: node.end + delta,
    children: node.children?.map((c) => shiftNode(c, delta)),
  };
}
