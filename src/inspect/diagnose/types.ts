/**
 * What the diagnosis rules read: the connection's model, the decoded bytes of the few messages they need (kept by
 * the connection whatever the detail, see DiagnosisFacts), and what keys the user gave.
 */
import { decodeHandshake } from "../../tls/handshake/decode";
import type { DecodedHandshake, Direction } from "../../tls/handshake/types";
import type { ConnectionModel, Diagnosis, DiagnosisSeverity } from "../../model";
import type { HelloNotes } from "./quick";

/** The keys the inspection had (for the decryption rules). */
export interface KeyContext {
  /** The labels logged per client_random (lowercase hex), from key logs and DSBs. */
  labelsFor(clientRandomHex: string): ReadonlySet<string> | undefined;
  /** Client randoms in the key log. */
  readonly loggedRandoms: number;
  /** PEM private keys given for RSA key transport. */
  readonly rsaKeys: readonly string[];
}

/** A protected record that did not open. */
export interface DecryptFailure {
  dir: Direction;
  /** Index into `records` (-1 when records are not kept). */
  record: number;
  frame: number;
  error: string;
}

/**
 * Facts the connection noted while reading, beside its model (cheap to keep: a few views and counters), with the
 * hellos' signals noted when they were kept (HelloNotes, see quick.ts).
 */
export interface DiagnosisFacts extends HelloNotes {
  /** Message index → the message's bytes (ClientHello, ServerHello, Certificate, EncryptedExtensions...). */
  readonly raw: Map<number, Uint8Array>;
  /** How many messages of each kept type and direction were kept, two bits per slot (see keep.ts). */
  kept: number;
  /** Index of the server's first Certificate message, -1 before one (noted by keep.ts). */
  serverCertificateAt: number;
  /** The first protected record that failed to open, per direction. */
  readonly decryptFailures: Partial<Record<Direction, DecryptFailure>>;
  /** Protected records that opened, per direction. */
  readonly opened: Record<Direction, number>;
  /** Protected records seen, per direction. */
  readonly protectedRecords: Record<Direction, number>;
  /** Frames of TLS 1.2 handshake records that came after both Finished messages (a renegotiation, RFC 5746). */
  readonly lateHandshakeFrames: number[];
  /** Whether the TCP three-way handshake was seen. */
  synSeen: boolean;
  /** Capture time (ms since the epoch) of the connection's first packet, null if unknown. */
  timeMs: number | null;
}

export function newFacts(): DiagnosisFacts {
  return {
    raw: new Map(),
    kept: 0,
    shape: 0,
    serverCertificateAt: -1,
    clientHellos: 0,
    serverHellos: 0,
    retryGroup: -1,
    decryptFailures: {},
    opened: { c2s: 0, s2c: 0 },
    protectedRecords: { c2s: 0, s2c: 0 },
    lateHandshakeFrames: [],
    synSeen: true,
    timeMs: null,
  };
}

/** One connection as the rules see it. */
export class DiagnosisInput {
  /** Messages decoded so far (made on first use: most connections decode none). */
  private decoded: Map<number, DecodedHandshake> | null = null;
  /** Whether the handshake went through (context.ts handshakeCompleted, worked out once). */
  completed: boolean | undefined = undefined;

  constructor(
    readonly model: ConnectionModel,
    readonly facts: DiagnosisFacts,
    readonly keys: KeyContext | null,
  ) {}

  /** Message `i` decoded from its kept bytes (or the model's raw bytes), null when neither is there. */
  message(i: number): DecodedHandshake | null {
    const hit = this.decoded?.get(i);
    if (hit) return hit;
    const m = this.model.messages[i];
    const raw = this.facts.raw.get(i) ?? m?.raw;
    if (!m || !raw) return null;
    const ctx = { dir: m.dir, version: this.model.version, cipherSuite: this.model.cipherSuite };
    const d = decodeHandshake(raw, ctx, false);
    (this.decoded ??= new Map()).set(i, d);
    return d;
  }

  /** Index of the first message of `name` sent in `dir` (after index `from`), or -1. */
  find(name: string, dir?: Direction, from = 0): number {
    const ms = this.model.messages;
    for (let i = from; i < ms.length; i++) if (ms[i].name === name && (dir === undefined || ms[i].dir === dir)) return i;
    return -1;
  }
}

/** A rule's finding before the note link is added. */
export interface Finding {
  code: string;
  severity: DiagnosisSeverity;
  en: string;
  ko: string;
  frames?: number[];
  fields?: string[];
  rfc: string;
  action?: { en: string; ko: string } | null;
}

export function toDiagnosis(f: Finding, note: string): Diagnosis {
  return {
    code: f.code,
    severity: f.severity,
    message: f.en,
    messageKo: f.ko,
    frames: [...new Set(f.frames ?? [])].sort((a, b) => a - b),
    fields: f.fields ?? [],
    rfc: f.rfc,
    action: f.action ? f.action.en : null,
    actionKo: f.action ? f.action.ko : null,
    note,
  };
}

export type Rule = (input: DiagnosisInput) => Finding[];
