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
import { completedWith } from "./context";
import { firstClientHello, Hello, helloRetry, noteHello, retryClientHello, serverHello, Shape, tally, type HelloNotes } from "./quick";
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

/**
 * The notes keep.ts takes as messages are kept, taken from the model instead: a model that keeps every message's
 * bytes (fields detail, live `connect`) was not read through keep.ts. Null when a hello has no bytes.
 */
function notesFromMessages(ms: ConnectionModel["messages"]): HelloNotes | null {
  const notes: HelloNotes = { shape: 0, clientHellos: 0, serverHellos: 0, retryGroup: -1 };
  for (let i = 0; i < ms.length; i++) {
    const msg = ms[i];
    notes.shape = tally(notes.shape, msg.type, msg.name, msg.dir);
    const name = msg.name;
    if (name !== "ClientHello" && name !== "ServerHello" && name !== "HelloRetryRequest") continue;
    if (!msg.raw) return null;
    noteHello(notes, msg.raw, name);
  }
  return notes;
}

/**
 * Whether anything beyond the certificate checks could apply (see quick.ts), from the numbers the connection noted
 * as it kept its messages: the list's shape and the hellos' signals. Nothing here walks the messages or their bytes.
 */
function needsRules(input: DiagnosisInput): boolean {
  const m = input.model;
  if (m.errors.length) return true;
  const k = input.keys;
  if (k && (k.loggedRandoms > 0 || k.rsaKeys.length > 0)) return true;
  const f = input.facts;
  if (f.lateHandshakeFrames.length) return true;
  const notes = f.shape & Shape.COUNTED ? f : notesFromMessages(m.messages);
  if (!notes) return true;
  const shape = notes.shape;
  if (!(shape & Shape.CLIENT_HELLO) || shape & Shape.IRREGULAR) return true;
  const finished = shape & Shape.FINISHED_2 ? 2 : shape & Shape.FINISHED ? 1 : 0;
  // A TLS 1.2 close_notify after the handshake is encrypted (level unknown without keys): not a sign of trouble.
  const alerts = m.alerts;
  for (let i = 0; i < alerts.length; i++) {
    const a = alerts[i];
    if (a.level === null ? !completedWith(input, finished) : a.level !== AlertLevel.warning || a.description !== AlertDescription.close_notify) return true;
  }
  const first = firstClientHello(notes);
  if (!(first & Hello.SEEN) || first & (Hello.BAD | Hello.FALLBACK_SCSV | Hello.EARLY_DATA)) return true;
  // RFC 8446 §4.1.4: the second ClientHello must carry a share for the group the HelloRetryRequest selected.
  let offer = first;
  if (shape & Shape.RETRY) {
    const retry = helloRetry(notes);
    const second = retryClientHello(notes);
    if (!(retry & Hello.SEEN) || retry & Hello.BAD || !(retry & Hello.KEY_SHARE_OK)) return true;
    if (!(second & Hello.SEEN) || second & Hello.BAD || !(second & Hello.KEY_SHARE_OK)) return true;
    offer = second;
  }
  if (!(shape & Shape.SERVER_HELLO)) return (offer & (Hello.PSK | Hello.TICKET)) !== 0;
  const server = serverHello(notes);
  if (!(server & Hello.SEEN) || server & Hello.BAD) return true;
  // The sentinel matters only when the client offered TLS 1.3 (otherwise it is what RFC 8446 §4.1.3 asks for).
  if (server & Hello.SENTINEL && first & Hello.OFFERS_13) return true;
  if (m.version === ProtocolVersion.TLSv1_3) return (offer & Hello.PSK) !== 0 && !(server & Hello.PSK);
  // TLS 1.2: a ticket or session id offered is refused when the server goes on to a full handshake.
  const resumes = (offer & Hello.TICKET) !== 0 || ((offer & Hello.SESSION_ID) !== 0 && !(offer & Hello.OFFERS_13));
  return resumes && (shape & Shape.SERVER_CERTIFICATE) !== 0;
}

function add(out: Diagnosis[], fs: Finding[], note: string): void {
  for (const f of fs) out.push(toDiagnosis(f, note));
}

/** No diagnosis: one shared (frozen) list for the healthy connections of a large capture. */
const NONE: Diagnosis[] = Object.freeze([]) as unknown as Diagnosis[];

export function diagnose(model: ConnectionModel, facts: DiagnosisFacts, keys: KeyContext | null): Diagnosis[] {
  const input = new DiagnosisInput(model, facts, keys);
  const out: Diagnosis[] = [];
  try {
    // The common case allocates nothing more: a healthy connection whose chain (if any) has nothing to say.
    const full = model.transport !== "quic" && needsRules(input);
    const certificates = certificateRules(input);
    if (!full && certificates.length === 0) return NONE;
    if (full) {
      add(out, decryptionRules(input), DIAGNOSIS_NOTES.decryption);
      add(out, negotiationRules(input), DIAGNOSIS_NOTES.negotiation);
      add(out, alertRules(input), DIAGNOSIS_NOTES.alerts);
      add(out, downgradeRules(input), DIAGNOSIS_NOTES.negotiation);
    }
    add(out, certificates, DIAGNOSIS_NOTES.certificates);
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
