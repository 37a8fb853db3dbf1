/**
 * The language of the diagnoses in the CLI's text output. Every diagnosis carries its sentence and its suggested
 * action in English and Korean (the JSON has both, `message`/`messageKo`); the text tree prints one of them:
 * `--lang en|ko`, or else the locale the environment names (POSIX's precedence: LC_ALL, then LC_MESSAGES, then
 * LANG), Korean for a `ko` locale (`ko_KR.UTF-8`), English otherwise.
 */
import type { Diagnosis } from "../model";

export type Lang = "en" | "ko";

export const LANGS = ["en", "ko"] as const;

export function textLang(option: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (option === "en" || option === "ko") return option;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return /^ko(?:[_.@-]|$)/i.test(locale) ? "ko" : "en";
}

/** A diagnosis's sentence and action in `lang` (English where a Korean text is missing). */
export function diagnosisWords(d: Diagnosis, lang: Lang): { message: string; action: string | null } {
  return lang === "ko" ? { message: d.messageKo || d.message, action: d.actionKo ?? d.action } : { message: d.message, action: d.action };
}

/** The labels the text puts around a diagnosis. */
export const DIAGNOSIS_LABELS = {
  en: { evidence: "evidence", frame: "frame", frames: "frames", severity: { error: "error", warning: "warning", info: "info" } },
  ko: { evidence: "근거", frame: "프레임", frames: "프레임", severity: { error: "오류", warning: "경고", info: "정보" } },
} as const;

/** The diagnoses as text lines for the live commands' reports (errors and warnings; information is left out). */
export function diagnosesText(ds: Diagnosis[], lang: Lang): string {
  const l = DIAGNOSIS_LABELS[lang];
  return ds
    .filter((d) => d.severity !== "info")
    .map((d) => {
      const w = diagnosisWords(d, lang);
      return `${l.severity[d.severity]} ${d.code}: ${w.message} [${d.rfc}]${w.action ? `\n  → ${w.action}` : ""}\n`;
    })
    .join("");
}
