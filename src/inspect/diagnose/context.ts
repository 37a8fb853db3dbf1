/**
 * Shared readings of a connection for the rules: where the hellos are, what the client offered, which alert ended
 * the handshake and what came just before it — and the names of code points, for the messages.
 */
import type { DecodedHandshake } from "../../tls/handshake/types";
import {
  alertDescriptions,
  AlertLevel,
  cipherSuites,
  ExtensionType,
  isGrease16,
  namedGroups,
  protocolVersions,
  signatureSchemes,
  versionName,
} from "../../tls/registry";
import type { AlertInfo } from "../../model";
import { Shape } from "./quick";
import type { DiagnosisInput } from "./types";

export interface Hellos {
  ch: number;
  clientHello: DecodedHandshake | null;
  sh: number;
  serverHello: DecodedHandshake | null;
  hrr: number;
  helloRetry: DecodedHandshake | null;
  /** The ClientHello answering a HelloRetryRequest. */
  ch2: number;
  clientHello2: DecodedHandshake | null;
}

export function hellos(input: DiagnosisInput): Hellos {
  const ch = input.find("ClientHello", "c2s");
  const sh = input.find("ServerHello", "s2c");
  const hrr = input.find("HelloRetryRequest", "s2c");
  const ch2 = hrr >= 0 ? input.find("ClientHello", "c2s", hrr + 1) : -1;
  const get = (i: number) => (i >= 0 ? input.message(i) : null);
  return { ch, clientHello: get(ch), sh, serverHello: get(sh), hrr, helloRetry: get(hrr), ch2, clientHello2: get(ch2) };
}

/** The alert that ended the handshake: the first fatal one (or, without keys, the first whose level is unknown). */
export function firstFatal(input: DiagnosisInput): { index: number; alert: AlertInfo } | null {
  const as = input.model.alerts;
  for (let i = 0; i < as.length; i++) if (as[i].level === AlertLevel.fatal) return { index: i, alert: as[i] };
  return null;
}

/** Index of the last message before `frame` sent by `dir` (the one an alert answers), or -1. */
export function lastMessageBefore(input: DiagnosisInput, frame: number, dir: "c2s" | "s2c"): number {
  const ms = input.model.messages;
  let found = -1;
  for (let i = 0; i < ms.length; i++) if (ms[i].frame <= frame && ms[i].dir === dir) found = i;
  return found;
}

export const hasExtension = (m: DecodedHandshake | null, type: number): boolean => !!m?.details.extensions?.some((e) => e.type === type);

/** The versions a ClientHello offers: supported_versions (RFC 8446 §4.2.1), else its legacy_version. */
export function offeredVersions(ch: DecodedHandshake): number[] {
  const sv = ch.details.supportedVersions?.filter((v) => !isGrease16(v));
  if (sv && hasExtension(ch, ExtensionType.supported_versions)) return sv;
  const legacy = ch.fields.legacyVersion as number | undefined;
  return legacy !== undefined ? [legacy] : [];
}

/** The version a ServerHello selects (supported_versions, else legacy_version). */
export function selectedVersion(sh: DecodedHandshake): number | null {
  return sh.details.selectedVersion ?? (sh.fields.legacyVersion as number | undefined) ?? null;
}

export const fieldList = (ch: DecodedHandshake, key: string): number[] => ((ch.fields[key] as number[] | undefined) ?? []).filter((v) => !isGrease16(v));

export const alertName = (d: number | null): string => (d === null ? "an encrypted alert" : alertDescriptions.name(d));
export const suiteName = (v: number): string => cipherSuites.name(v);
export const groupName = (v: number): string => namedGroups.name(v);
export const schemeName = (v: number): string => signatureSchemes.name(v);
export const vName = (v: number): string => (protocolVersions.has(v) ? versionName(v) : `0x${v.toString(16).padStart(4, "0")}`);

/** A short list for a sentence: `a, b, c and 4 more`. */
export function shortList(names: string[], max = 4): string {
  if (!names.length) return "(none)";
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

export function shortListKo(names: string[], max = 4): string {
  if (!names.length) return "(없음)";
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} 외 ${names.length - max}개` : shown;
}

export const dirName = (d: "c2s" | "s2c"): string => (d === "c2s" ? "client" : "server");
export const dirNameKo = (d: "c2s" | "s2c"): string => (d === "c2s" ? "클라이언트" : "서버");

/**
 * Whether the handshake went through: no fatal alert, and both Finished seen or (without keys) application data
 * both ways. A certificate problem in a handshake that went through did not stop the client (it did not check, or
 * its clock was not the capture's): a warning, not the reason for a failure.
 */
export function handshakeCompleted(input: DiagnosisInput): boolean {
  if (input.completed !== undefined) return input.completed;
  const shape = input.facts.shape;
  let finished = 0;
  // Counted as the messages were kept (quick.ts), else from the list.
  if (shape & Shape.COUNTED) finished = shape & Shape.FINISHED_2 ? 2 : shape & Shape.FINISHED ? 1 : 0;
  else for (const msg of input.model.messages) if (msg.name === "Finished") finished++;
  return completedWith(input, finished);
}

/** handshakeCompleted, for a caller that has counted the Finished messages. */
export function completedWith(input: DiagnosisInput, finished: number): boolean {
  return (input.completed ??= completed(input, finished));
}

function completed(input: DiagnosisInput, finished: number): boolean {
  const m = input.model;
  for (const a of m.alerts) if (a.level === AlertLevel.fatal) return false;
  if (finished >= 2) return true;
  const app = m.appDataBytes;
  return !!app && app.c2s > 0 && app.s2c > 0;
}
