/** Test-only: the field-tree coverage rule shared by the handshake tests. */
import assert from "node:assert/strict";
import type { FieldNode } from "../../../../src/tls/field";

/**
 * Children are contiguous, cover their parent exactly, and stay inside it. Inside an X.509 `Certificate` (DER:
 * tag/length headers are not nodes) children must only be ordered and non-overlapping; inside a
 * `decompressed_certificate` (nodes of another buffer, collapsed onto the compressed bytes) only inside the parent.
 */
export function checkCoverage(n: FieldNode, where: string, mode: "strict" | "der" | "inside" = "strict", depth = 0): void {
  assert.ok(depth < 200, `${where}: tree too deep`);
  assert.ok(n.start <= n.end, `${where}: ${n.name} start ${n.start} > end ${n.end}`);
  const kids = n.children ?? [];
  if (kids.length === 0) return;
  const childMode = mode === "inside" || n.name === "decompressed_certificate" ? "inside" : mode === "der" || n.name === "Certificate" ? "der" : "strict";
  let pos = n.start;
  for (const c of kids) {
    const at = `${where} > ${c.name}`;
    if (childMode === "strict") assert.equal(c.start, pos, `${at}: starts at ${c.start}, expected ${pos} (gap or overlap)`);
    else if (childMode === "der") assert.ok(c.start >= pos, `${at}: starts at ${c.start}, before ${pos} (overlap)`);
    else assert.ok(c.start >= n.start, `${at}: starts before its parent`);
    assert.ok(c.end <= n.end, `${at}: ends at ${c.end}, beyond its parent's end ${n.end}`);
    checkCoverage(c, at, childMode, depth + 1);
    pos = c.end;
  }
  if (childMode === "strict") assert.equal(pos, n.end, `${where} (${n.name}): children end at ${pos}, parent at ${n.end}`);
}
