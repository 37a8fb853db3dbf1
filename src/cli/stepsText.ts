/** Human-readable step lists for `simulate`, `connect` and `serve`. */
import type { Step } from "../engine/steps";

const short = (hex: string, n = 32) => (hex.length > n ? `${hex.slice(0, n)}… (${hex.length / 2} bytes)` : hex);

export function stepText(s: Step): string {
  const n = String(s.index).padStart(3, " ");
  if (s.kind === "message") {
    const arrow = s.dir === "c2s" ? "client → server" : "server → client";
    const size = s.records.reduce((a, r) => a + r.length, 0);
    const how = s.encrypted ? `${s.keyPhase} keys` : "plaintext";
    return `${n}  ${arrow}  ${s.title}  [${how}, ${s.records.length} record${s.records.length === 1 ? "" : "s"}, ${size} bytes]${s.note ? `  — ${s.note}` : ""}\n`;
  }
  if (s.kind === "secret") {
    return `${n}  ${s.actor.padEnd(6)}  secret ${s.title} = ${short(s.value)}\n        ${" ".repeat(6)}  ${s.derivation}; known by ${s.knownBy.join(" and ")}\n`;
  }
  return `${n}  ${s.actor.padEnd(6)}  ${s.ok ? "✓" : "✗"} ${s.title}: ${s.detail}${s.note ? `  (${s.note})` : ""}\n`;
}

export function stepsText(steps: Step[]): string {
  return steps.map(stepText).join("");
}
