/** Human-readable step lists for `simulate`, `connect` and `serve`, coloured when given a Style other than PLAIN. */
import type { Step } from "../engine/steps";
import { PLAIN, type Style } from "./colour";

const short = (hex: string, n = 32) => (hex.length > n ? `${hex.slice(0, n)}… (${hex.length / 2} bytes)` : hex);

export function stepText(st: Step, s: Style = PLAIN): string {
  const n = `${s.dim}${String(st.index).padStart(3, " ")}${s.off}`;
  const actor = (a: string) => `${a === "client" ? s.client : s.server}${a.padEnd(6)}${s.off}`;
  if (st.kind === "message") {
    const arrow = st.dir === "c2s" ? `${s.client}client → server${s.off}` : `${s.server}server → client${s.off}`;
    const size = st.records.reduce((a, r) => a + r.length, 0);
    const how = st.encrypted ? `${st.keyPhase} keys` : "plaintext";
    const records = `${st.records.length} record${st.records.length === 1 ? "" : "s"}`;
    return `${n}  ${arrow}  ${s.heading}${st.title}${s.off}  ${s.dim}[${how}, ${records}, ${size} bytes]${s.off}${st.note ? `  ${s.dim}— ${st.note}${s.off}` : ""}\n`;
  }
  if (st.kind === "secret") {
    return `${n}  ${actor(st.actor)}  ${s.notice}secret${s.off} ${s.heading}${st.title}${s.off} = ${short(st.value)}\n        ${" ".repeat(6)}  ${s.dim}${st.derivation}; known by ${st.knownBy.join(" and ")}${s.off}\n`;
  }
  const mark = st.ok ? `${s.good}✓${s.off}` : `${s.bad}✗${s.off}`;
  return `${n}  ${actor(st.actor)}  ${mark} ${st.ok ? "" : s.bad}${st.title}${st.ok ? "" : s.off}: ${st.detail}${st.note ? `  ${s.dim}(${st.note})${s.off}` : ""}\n`;
}

export function stepsText(steps: Step[], s: Style = PLAIN): string {
  return steps.map((st) => stepText(st, s)).join("");
}

/** The closing `result: …` line, green when it went well and red when it did not. */
export function resultText(ok: boolean, text: string, s: Style = PLAIN): string {
  return `result: ${ok ? s.good : s.bad}${text}${s.off}\n`;
}
