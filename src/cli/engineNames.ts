/** Names the engine commands accept for groups, cipher suites and signature schemes (or 0xNNNN code points). */
import { supportedSuites } from "../engine/suites";
import { SCHEMES } from "../engine/signatures";
import { UsageError } from "./args";
import { NamedGroup } from "../tls/registry";

const GROUPS: Record<string, number> = {
  x25519: 29,
  p256: 23,
  "p-256": 23,
  secp256r1: 23,
  prime256v1: 23,
  p384: 24,
  "p-384": 24,
  secp384r1: 24,
  x448: 30,
  p521: 25,
  "p-521": 25,
  secp521r1: 25,
  ffdhe2048: 256,
  ffdhe3072: 257,
  ffdhe4096: 258,
  ffdhe6144: 259,
  ffdhe8192: 260,
  // The post-quantum hybrids (draft-ietf-tls-ecdhe-mlkem), by their IANA names.
  x25519mlkem768: NamedGroup.X25519MLKEM768,
  secp256r1mlkem768: NamedGroup.SecP256r1MLKEM768,
  secp384r1mlkem1024: NamedGroup.SecP384r1MLKEM1024,
};

function code(text: string): number | undefined {
  if (/^0x[0-9a-f]{1,4}$/i.test(text)) return parseInt(text, 16);
  if (/^\d+$/.test(text)) return Number(text);
  return undefined;
}

export function parseGroup(text: string): number {
  const g = GROUPS[text.toLowerCase()] ?? code(text);
  if (g === undefined)
    throw new UsageError(
      `unknown group "${text}" (x25519, x448, p256, p384, p521, ffdhe2048 … ffdhe8192, X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024 or a code point)`,
    );
  return g;
}

export function parseSuite(text: string): number {
  const c = code(text);
  if (c !== undefined) return c;
  const want = text.toUpperCase().replace(/-/g, "_");
  const s = supportedSuites().find((p) => p.name === want || p.name === `TLS_${want}`);
  if (!s) throw new UsageError(`unknown cipher suite "${text}" (an IANA name such as TLS_AES_128_GCM_SHA256, or 0xNNNN)`);
  return s.suite;
}

export function parseScheme(text: string): number {
  const c = code(text);
  if (c !== undefined) return c;
  for (const [k, v] of SCHEMES) if (v.name === text.toLowerCase()) return k;
  throw new UsageError(`unknown signature scheme "${text}" (e.g. ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256, or 0xNNNN)`);
}
