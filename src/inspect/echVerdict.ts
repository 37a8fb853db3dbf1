/**
 * Whether a ClientHello's encrypted_client_hello was a real offer or GREASE (RFC 9849 §6.2). The two have the same
 * form on purpose, so the ClientHello alone cannot tell; the rest of the connection can:
 *
 * - a HelloRetryRequest carrying the extension's confirmation: the server accepted ECH (§7.2.1);
 * - an ech_required alert: a real offer the server rejected (§6.1.6);
 * - the server's Finished verifying over the outer ClientHello (decrypted with the key log entry of the outer
 *   random), with no ech_required: the server used the outer ClientHello, and a client with a real ECHConfig would
 *   have aborted (§6.1.6) — so it sent GREASE, as a client without an ECHConfig does (§6.2; Chromium sends one to
 *   every server); retry_configs in EncryptedExtensions change nothing here (§6.2: the GREASE client ignores them);
 * - otherwise (no keys): undecidable, which is the point of GREASE.
 *
 * The verdict is added to the display of the ClientHello's extension node, for every view that shows the tree.
 */
import type { FieldNode } from "../tls/field";
import { AlertDescription } from "../tls/registry";
import type { ConnectionModel } from "../model";

export type EchVerdict = "accepted" | "rejected" | "grease" | "unknown";

function find(n: FieldNode | undefined, name: string, depth = 0): FieldNode | undefined {
  if (!n || depth > 6) return undefined;
  if (n.name === name) return n;
  for (const c of n.children ?? []) {
    const f = find(c, name, depth + 1);
    if (f) return f;
  }
  return undefined;
}

export function echVerdict(c: ConnectionModel): { verdict: EchVerdict; why: string } | undefined {
  const ch = c.messages.find((m) => m.dir === "c2s" && m.name === "ClientHello");
  const ext = find(ch?.tree, "encrypted_client_hello");
  if (!ext || !/^outer/.test(ext.display.replace(/^encrypted_client_hello \(0xfe0d\): /, ""))) return undefined;
  const hrr = c.messages.find((m) => m.name === "HelloRetryRequest");
  if (find(hrr?.tree, "encrypted_client_hello")) return { verdict: "accepted", why: "the HelloRetryRequest confirms it (RFC 9849 §7.2.1)" };
  if (c.alerts.some((a) => a.description === AlertDescription.ech_required))
    return { verdict: "rejected", why: "a real offer the server rejected: the client aborted with ech_required (RFC 9849 §6.1.6)" };
  const ee = c.messages.find((m) => m.name === "EncryptedExtensions");
  const retry = !!find(ee?.tree, "retry_configs");
  const serverFinished = c.messages.find((m) => m.dir === "s2c" && m.name === "Finished");
  if (serverFinished?.verified === true)
    return {
      verdict: "grease",
      why:
        "GREASE (RFC 9849 §6.2): the server's Finished verifies over this outer ClientHello and the client went on without ech_required" +
        (retry ? " (ignoring the server's retry_configs, as a GREASE client must)" : "") +
        ": random bytes from a client with no ECHConfig for this server, sent so that real ECH does not stand out",
    };
  return { verdict: "unknown", why: "a real offer or GREASE (RFC 9849 §6.2): they look the same on the wire by design; the key log would tell" };
}

/** Adds the verdict to the extension's node (and its extension_data) in the first ClientHello's tree. */
export function annotateEch(c: ConnectionModel): void {
  const v = echVerdict(c);
  if (!v) return;
  const ch = c.messages.find((m) => m.dir === "c2s" && m.name === "ClientHello")!;
  const ext = find(ch.tree, "encrypted_client_hello")!;
  const data = ext.children?.find((n) => n.name === "extension_data");
  const outer = (data ?? ext).display.replace(/ \(a real offer or GREASE, §6\.2\)$/, "");
  const text = `${outer} — ${v.why}`;
  if (data) data.display = text;
  ext.display = `encrypted_client_hello (0xfe0d): ${text}`;
}
