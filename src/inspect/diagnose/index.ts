/**
 * The diagnoses of one connection (shared/spec/inspect-json.md, `diagnoses`): each family's rules over the model,
 * the kept hello bytes and the keys given — after a cheap look (quick.ts) that leaves healthy connections to the
 * certificate checks alone, which work once per distinct chain.
 */
import { AlertDescription, AlertLevel, ProtocolVersion } from "../../tls/registry";
import type { ConnectionModel, Diagnosis } from "../../model";
import { alertRules } from "./alerts";
import { certificateRules } from "./certificates";
import { decryptionRules } from "./decryption";
import { downgradeRules } from "./downgrade";
import { negotiationRules } from "./negotiation";
import { handshakeCompleted } from "./context";
import { helloSignals } from "./quick";
import { DiagnosisInput, toDiagnosis, type DiagnosisFacts, type Finding, type KeyContext } from "./types";

export type { DiagnosisFacts, KeyContext } from "./types";
export { newFacts } from "./types";

/** The note (media/notes/<lang>/<id>.md) explaining each family. */
export const DIAGNOSIS_NOTES = {
  decryption: "diagnose-decryption",
  certificates: "diagnose-certificates",
  negotiation: "diagnose-negotiation",
  alerts: "diagnose-alerts",
} as const;

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Whether anything beyond the certificate checks could apply (see quick.ts). One pass over the messages. */
function needsRules(input: DiagnosisInput): boolean {
  const m = input.model;
  if (m.errors.length) return true;
  const k = input.keys;
  if (k && (k.loggedRandoms > 0 || k.rsaKeys.length > 0)) return true;
  const f = input.facts;
  if (f.lateHandshakeFrames.length) return true;
  // A TLS 1.2 close_notify after the handshake is encrypted (level unknown without keys): not a sign of trouble.
  const alerts = m.alerts;
  for (let i = 0; i < alerts.length; i++) {
    const a = alerts[i];
    if (a.level === null ? !handshakeCompleted(input) : a.level !== AlertLevel.warning || a.description !== AlertDescription.close_notify) return true;
  }
  let ch = -1;
  let ch2 = -1;
  let sh = -1;
  let hrr = -1;
  let serverCertificate = false;
  const ms = m.messages;
  for (let i = 0; i < ms.length; i++) {
    const msg = ms[i];
    const name = msg.name;
    if (name === "ClientHello") {
      if (ch < 0) ch = i;
      else if (hrr >= 0 && ch2 < 0) ch2 = i;
      // A ClientHello after the first (without a HelloRetryRequest between): a renegotiation.
      else return true;
    } else if (name === "ServerHello") {
      if (sh < 0) sh = i;
    } else if (name === "HelloRetryRequest") {
      if (hrr >= 0) return true;
      hrr = i;
    } else if (name === "HelloRequest") return true;
    else if (name === "Certificate" && msg.dir === "s2c") serverCertificate = true;
  }
  if (ch < 0) return true;
  const signals = (i: number) => {
    const raw = f.raw.get(i) ?? ms[i].raw;
    return raw ? helloSignals(raw) : null;
  };
  const first = signals(ch);
  if (!first || first.fallbackScsv || first.earlyData) return true;
  // RFC 8446 §4.1.4: the second ClientHello must carry a share for the group the HelloRetryRequest selected.
  let offer = first;
  if (hrr >= 0) {
    const retry = signals(hrr);
    const second = ch2 >= 0 ? signals(ch2) : null;
    if (!retry || !second || retry.keyShares.length !== 1 || !second.keyShares.includes(retry.keyShares[0])) return true;
    offer = second;
  }
  if (sh < 0) return offer.psk || offer.ticket;
  const server = signals(sh);
  if (!server) return true;
  // The sentinel matters only when the client offered TLS 1.3 (otherwise it is what RFC 8446 §4.1.3 asks for).
  if (server.sentinel && first.offers13) return true;
  if (m.version === ProtocolVersion.TLSv1_3) return offer.psk && !server.psk;
  // TLS 1.2: a ticket or session id offered is refused when the server goes on to a full handshake.
  return (offer.ticket || (offer.sessionIdLength > 0 && !offer.offers13)) && serverCertificate;
}

/** No diagnosis: one shared (frozen) list for the healthy connections of a large capture. */
const NONE: Diagnosis[] = Object.freeze([]) as unknown as Diagnosis[];

export function diagnose(model: ConnectionModel, facts: DiagnosisFacts, keys: KeyContext | null): Diagnosis[] {
  const input = new DiagnosisInput(model, facts, keys);
  const out: Diagnosis[] = [];
  const add = (fs: Finding[], note: string) => {
    for (const f of fs) out.push(toDiagnosis(f, note));
  };
  try {
    if (model.transport !== "quic" && needsRules(input)) {
      add(decryptionRules(input), DIAGNOSIS_NOTES.decryption);
      add(negotiationRules(input), DIAGNOSIS_NOTES.negotiation);
      add(alertRules(input), DIAGNOSIS_NOTES.alerts);
      add(downgradeRules(input), DIAGNOSIS_NOTES.negotiation);
    }
    add(certificateRules(input), DIAGNOSIS_NOTES.certificates);
  } catch (e) {
    // A rule tripping over hostile bytes must not lose the connection: say so as a diagnosis of its own.
    out.push(
      toDiagnosis(
        {
          code: "diagnosis-failed",
          severity: "info",
          en: `The diagnoses could not be completed: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300),
          ko: `진단을 끝내지 못했습니다: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300),
          rfc: "RFC 8446 §6",
        },
        DIAGNOSIS_NOTES.alerts,
      ),
    );
  }
  if (out.length === 0) return NONE;
  // Errors first, then warnings, then information; a family's order is kept within a severity.
  return out
    .map((d, i) => ({ d, i }))
    .sort((a, b) => SEVERITY_ORDER[a.d.severity] - SEVERITY_ORDER[b.d.severity] || a.i - b.i)
    .map((x) => x.d);
}
