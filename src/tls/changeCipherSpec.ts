/**
 * ChangeCipherSpec, RFC 5246 §7.1: one byte, value 1 — "records from now on are protected". TLS 1.3 keeps it only
 * for middlebox compatibility (RFC 8446 §D.4) and ignores it.
 */
import type { FieldNode } from "./field";
import { DecodeError, Reader } from "./reader";
import { ChangeCipherSpecType } from "./registry";

export interface DecodedChangeCipherSpec {
  /** The byte sent (1 is the only valid value); null if absent. */
  type: number | null;
  tree?: FieldNode;
  error?: DecodeError;
}

export function decodeChangeCipherSpec(raw: Uint8Array, annotate: boolean): DecodedChangeCipherSpec {
  const root: FieldNode | undefined = annotate
    ? { name: "ChangeCipherSpec", start: 0, end: raw.length, display: "ChangeCipherSpec", rfc: "RFC 5246 §7.1", note: "change-cipher-spec", children: [] }
    : undefined;
  const r = new Reader(raw, 0, raw.length, annotate, root);
  const out: DecodedChangeCipherSpec = { type: null };
  try {
    out.type = r.u8("type", {
      display: (v) => (v === ChangeCipherSpecType.change_cipher_spec ? "change_cipher_spec (1)" : `invalid (${v})`),
      rfc: "RFC 5246 §7.1",
    });
    if (out.type !== ChangeCipherSpecType.change_cipher_spec) r.fail(`ChangeCipherSpec: type ${out.type}, must be 1`, "type", 0);
    if (r.remaining() > 0) {
      const start = r.pos;
      r.rest("unexpected_data");
      r.fail(`ChangeCipherSpec: ${raw.length - 1} byte(s) after the type`, "unexpected_data", start);
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    out.error = e;
  }
  if (root && out.error) {
    root.error = out.error.message;
    const last = root.children!.length ? root.children![root.children!.length - 1].end : 0;
    if (last < raw.length)
      root.children!.push({ name: "undecoded", start: last, end: raw.length, display: `${raw.length - last} byte(s) not decoded`, error: out.error.message });
  }
  if (root) out.tree = root;
  return out;
}
