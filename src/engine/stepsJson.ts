/**
 * Steps as JSON (bytes as lowercase hex; field trees left out — the connection's messages carry the fields) and
 * the NSS key log a step list implies (so a simulated or live handshake can be decrypted by other tools).
 */
import type { Step } from "./steps";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

export function stepJson(s: Step, opts: { trees?: boolean } = {}): Record<string, unknown> {
  if (s.kind !== "message") return { ...s };
  const o: Record<string, unknown> = { ...s, raw: hex(s.raw), records: s.records.map(hex) };
  if (!opts.trees) delete o.tree;
  return o;
}

const LABELS_13: Record<string, string> = {
  client_handshake_traffic_secret: "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
  server_handshake_traffic_secret: "SERVER_HANDSHAKE_TRAFFIC_SECRET",
  client_application_traffic_secret_0: "CLIENT_TRAFFIC_SECRET_0",
  server_application_traffic_secret_0: "SERVER_TRAFFIC_SECRET_0",
  exporter_master_secret: "EXPORTER_SECRET",
};

/** NSS key log lines (one per secret, first value of each label) for the handshake in `steps`. */
export function keyLogFromSteps(steps: Step[]): string {
  const random = steps.find((s) => s.kind === "secret" && s.title === "client_random");
  if (!random || random.kind !== "secret") return "";
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const s of steps) {
    if (s.kind !== "secret") continue;
    const label =
      LABELS_13[s.title] ??
      (s.title === "master_secret" && !steps.some((x) => x.kind === "secret" && x.title === "handshake_secret") ? "CLIENT_RANDOM" : undefined);
    if (!label || seen.has(label)) continue;
    seen.add(label);
    lines.push(`${label} ${random.value} ${s.value}`);
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}
