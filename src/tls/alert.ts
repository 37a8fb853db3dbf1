/**
 * Alert protocol, RFC 8446 §6 / RFC 5246 §7.2: struct { AlertLevel level; AlertDescription description; }.
 * In TLS 1.3 the level is ignored (the description decides); it is still shown as sent.
 */
import type { FieldNode } from "./field";
import { DecodeError, Reader } from "./reader";
import { alertDescriptions, alertLevels } from "./registry";

export interface DecodedAlert {
  level: number | null;
  description: number | null;
  tree?: FieldNode;
  error?: DecodeError;
}

export function decodeAlert(raw: Uint8Array, annotate: boolean): DecodedAlert {
  const root: FieldNode | undefined = annotate
    ? { name: "Alert", start: 0, end: raw.length, display: "", rfc: "RFC 8446 §6", note: "alert", children: [] }
    : undefined;
  const r = new Reader(raw, 0, raw.length, annotate, root);
  const out: DecodedAlert = { level: null, description: null };
  try {
    out.level = r.u8("level", { display: (v) => alertLevels.display(v), rfc: "RFC 8446 §6" });
    out.description = r.u8("description", { display: (v) => alertDescriptions.display(v), rfc: "RFC 8446 §6.2" });
    if (r.remaining() > 0) {
      const start = r.pos;
      r.rest("unexpected_data");
      r.fail(`Alert: ${raw.length - 2} byte(s) after the 2-byte alert`, "unexpected_data", start);
    }
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    out.error = e;
  }
  if (root) {
    const lvl = out.level;
    const desc = out.description;
    root.display = desc === null ? "Alert" : `${lvl !== null ? alertLevels.name(lvl) : "?"} ${alertDescriptions.name(desc)}`;
    if (out.error) {
      root.error = out.error.message;
      const last = root.children!.length ? root.children![root.children!.length - 1].end : 0;
      if (last < raw.length)
        root.children!.push({ name: "undecoded", start: last, end: raw.length, display: `${raw.length - last} byte(s) not decoded`, error: out.error.message });
    }
    out.tree = root;
  }
  return out;
}
