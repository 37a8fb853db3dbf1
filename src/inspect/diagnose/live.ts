/**
 * Diagnoses of a connection the engine took part in (`connect`, `serve`): its model keeps every message's bytes,
 * so the rules read them directly; the certificate checks use the current time.
 */
import type { ConnectionModel, Diagnosis } from "../../model";
import { diagnose } from "./index";
import { newFacts } from "./types";

export function diagnoseLive(c: ConnectionModel): Diagnosis[] {
  const facts = newFacts();
  // Records this side protected and opened: the engine's own, each either decrypted or marked with its error.
  for (const r of c.records) {
    if (!r.encrypted) continue;
    facts.protectedRecords[r.dir]++;
    if (r.decryptError) facts.decryptFailures[r.dir] ??= { dir: r.dir, record: c.records.indexOf(r), frame: r.frame, error: r.decryptError };
    else facts.opened[r.dir]++;
  }
  return (c.diagnoses = diagnose(c, facts, null));
}
