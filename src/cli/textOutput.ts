/**
 * The readable `inspect` output: like `tshark -V` restricted to TLS, but with names, values and meanings on one
 * line per field and the handshake as a numbered list per connection.
 */
import type { FieldNode } from "../tls/field";
import { alertDescriptions, alertLevels, cipherSuites, versionName } from "../tls/registry";
import type { ConnectionModel, LocatedError } from "../model";

const arrow = (dir: string) => (dir === "c2s" ? "C → S" : "S → C");

function endpoint(e: { ip: string; port: number }): string {
  return e.ip.includes(":") ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

function tree(node: FieldNode, depth: number, out: string[], maxDepth: number): void {
  const pad = "    " + "  ".repeat(depth);
  const cite = node.rfc ? `  [${node.rfc}]` : "";
  const err = node.error ? `  !! ${node.error}` : "";
  const display = node.display.length > 200 ? node.display.slice(0, 197) + "..." : node.display;
  // Extensions display as "server_name (0x0000): ...": no need to repeat the name in front.
  const line = display.startsWith(node.name + " (") ? display : `${node.name}: ${display}`;
  out.push(`${pad}${line}${cite}${err}`);
  if (depth >= maxDepth) return;
  for (const c of node.children ?? []) tree(c, depth + 1, out, maxDepth);
}

export function connectionText(c: ConnectionModel, opts: { fieldsDepth: number }): string {
  const out: string[] = [];
  const ver = c.version === null ? "no ServerHello" : versionName(c.version);
  const suite = c.cipherSuite === null ? "" : `, ${cipherSuites.display(c.cipherSuite)}`;
  out.push(`Connection ${c.id}: ${endpoint(c.client)} → ${endpoint(c.server)}  ${ver}${suite}`);
  const facts: string[] = [];
  if (c.sni !== null) facts.push(`SNI ${JSON.stringify(c.sni)}`);
  if (c.alpn !== null) facts.push(`ALPN ${JSON.stringify(c.alpn)}`);
  facts.push(c.decrypted ? "decrypted" : "not decrypted");
  out.push(`  ${facts.join(", ")}`);
  c.messages.forEach((m, i) => {
    const flags = [m.encrypted ? "encrypted" : "", m.verified === true ? "verify_data OK" : m.verified === false ? "verify_data MISMATCH" : ""]
      .filter(Boolean)
      .join(", ");
    out.push(`  ${String(i + 1).padStart(2)}. ${arrow(m.dir)}  ${m.name} (${m.length} bytes, frame ${m.frame})${flags ? "  [" + flags + "]" : ""}`);
    if (m.tree) for (const child of m.tree.children ?? []) tree(child, 0, out, opts.fieldsDepth);
  });
  for (const a of c.alerts) {
    const what = a.level === null ? "encrypted alert" : `${alertLevels.name(a.level)} ${alertDescriptions.display(a.description ?? 0)}`;
    out.push(`  Alert ${arrow(a.dir)}: ${what} (frame ${a.frame})`);
  }
  for (const e of c.errors) out.push(`  Error${e.frame !== undefined ? ` (frame ${e.frame})` : ""}: ${e.message}`);
  return out.join("\n") + "\n\n";
}

export function errorsText(errors: LocatedError[]): string {
  return errors
    .map((e) => `Error${e.frame !== undefined ? ` (frame ${e.frame})` : ""}${e.offset !== undefined ? ` at byte ${e.offset}` : ""}: ${e.message}\n`)
    .join("");
}
