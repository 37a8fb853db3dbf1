/**
 * Test-only: every fixture handshake message with the context it was decoded in (version and suite from the
 * stream's last ServerHello), for the property tests.
 */
import { decodeHandshake } from "../../../../src/tls/handshake/decode";
import type { HandshakeContext } from "../../../../src/tls/handshake/types";
import { fixtureNames, handshakeBytes } from "./extract";

export interface FixtureMessage {
  where: string;
  raw: Uint8Array;
  ctx: HandshakeContext;
}

let cached: FixtureMessage[] | undefined;

export function allMessages(): FixtureMessage[] {
  if (cached) return cached;
  const out: FixtureMessage[] = [];
  for (const name of fixtureNames()) {
    const ctxByStream = new Map<number, HandshakeContext>();
    for (const [i, m] of handshakeBytes(name).entries()) {
      const raw = new Uint8Array(Buffer.from(m.hex, "hex"));
      const ctx = ctxByStream.get(m.stream) ?? { dir: "c2s" as const, version: null, cipherSuite: null };
      ctxByStream.set(m.stream, ctx);
      out.push({ where: `${name} #${i} (frame ${m.frame}, type ${raw[0]})`, raw, ctx: { ...ctx } });
      if (raw[0] === 2) {
        const d = decodeHandshake(raw, ctx, false);
        if (d.name === "ServerHello") {
          ctx.version = d.details.selectedVersion ?? (d.fields.legacyVersion as number);
          ctx.cipherSuite = d.details.cipherSuite ?? null;
        }
      }
    }
  }
  cached = out;
  return out;
}

/** One representative message per (type, version form), to keep the exhaustive property tests fast. */
export function representativeMessages(): FixtureMessage[] {
  const seen = new Set<string>();
  const out: FixtureMessage[] = [];
  for (const m of allMessages()) {
    const key = `${m.raw[0]}/${m.ctx.version}/${m.ctx.cipherSuite}/${m.raw.length > 600 ? "big" : "small"}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
  }
  return out;
}
