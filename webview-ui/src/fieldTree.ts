/** Field-tree lookups for the bytes pane and the fields tree (the runtime twin of src/tls/field.ts `nodeAt`). */
import type { FieldNode } from "../../src/protocol/messages";

const MAX_DEPTH = 64;

/** The innermost node covering `offset`, with its ancestors (root first). */
export function pathAt(root: FieldNode, offset: number): FieldNode[] {
  if (offset < root.start || offset >= root.end) return [];
  const path = [root];
  let node = root;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const child = node.children?.find((c) => offset >= c.start && offset < c.end);
    if (!child) break;
    path.push(child);
    node = child;
  }
  return path;
}

export function nodeAt(root: FieldNode, offset: number): FieldNode | undefined {
  const p = pathAt(root, offset);
  return p[p.length - 1];
}

/**
 * The path to the node that covers exactly [start, end): the deepest such node (a vector and its only element
 * can share a range; the element is the more specific answer), else the innermost node covering `start`.
 */
export function pathForRange(root: FieldNode, start: number, end: number): FieldNode[] {
  const p = pathAt(root, start);
  for (let i = p.length - 1; i >= 0; i--) if (p[i].start === start && p[i].end === end) return p.slice(0, i + 1);
  // Covering node: the deepest ancestor containing the whole range.
  for (let i = p.length - 1; i >= 0; i--) if (p[i].start <= start && p[i].end >= end) return p.slice(0, i + 1);
  return p;
}

/** A stable key for a node within its tree (child indexes from the root), used to find its tree item. */
export function keyOf(path: FieldNode[]): string {
  const parts = ["0"];
  for (let i = 1; i < path.length; i++) parts.push(String(path[i - 1].children?.indexOf(path[i]) ?? 0));
  return parts.join(".");
}
