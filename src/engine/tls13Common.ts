/** Pieces both TLS 1.3 sides compute identically (RFC 8446 §4.4.3 signed content; downgrade sentinels §4.1.3). */
import { concatBytes } from "../tls/bytes";
import { HYBRID_GROUPS } from "../tls/registry";

const SPACES = new Uint8Array(64).fill(0x20);

/** The content a TLS 1.3 CertificateVerify signs: 64 spaces, the context string, 0x00, the transcript hash. */
export function certificateVerifyContent(side: "server" | "client", transcriptHash: Uint8Array): Uint8Array {
  const context = new TextEncoder().encode(`TLS 1.3, ${side} CertificateVerify`);
  const out = new Uint8Array(64 + context.length + 1 + transcriptHash.length);
  out.set(SPACES);
  out.set(context, 64);
  out.set(transcriptHash, 64 + context.length + 1);
  return out;
}

/** RFC 8446 §4.1.3: the last 8 bytes of ServerHello.random when a TLS 1.3 server negotiates TLS 1.2. */
export const DOWNGRADE_TLS12 = Uint8Array.of(0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01);

export function hasDowngradeSentinel(random: Uint8Array): boolean {
  const tail = random.subarray(24);
  return tail.length === 8 && tail.every((b, i) => b === DOWNGRADE_TLS12[i]);
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

export { equalBytes } from "../tls/bytes";

/** Concatenate a list of byte arrays. */
export const concatAll = (parts: Uint8Array[]): Uint8Array => concatBytes(...parts);

/** Default suite preferences. */
export const DEFAULT_SUITES_13 = [0x1301, 0x1302, 0x1303];
export const DEFAULT_SUITES_12 = [
  0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009e, 0x009f, 0xccaa, 0xc023, 0xc027, 0xc009, 0xc013, 0xc024, 0xc028, 0xc00a, 0xc014, 0x0067, 0x0033,
  0x006b, 0x0039, 0x009c, 0x009d, 0x003c, 0x003d, 0x002f, 0x0035,
];
export const DEFAULT_GROUPS = [29, 23, 24, 256];
/**
 * The server's TLS 1.3 preference: the post-quantum hybrids first (draft-ietf-tls-ecdhe-mlkem), so a client that
 * sends a hybrid share beside a classical one (every current browser) gets the hybrid; one that sends only a
 * classical share keeps it, with no HelloRetryRequest.
 */
export const SERVER_GROUPS_13 = [...HYBRID_GROUPS, ...DEFAULT_GROUPS];

/** The server's TLS 1.3 suites: the defaults, then AES-CCM and CCM_8 (accepted when a client offers nothing else; never preferred). */
export const SERVER_SUITES_13 = [...DEFAULT_SUITES_13, 0x1304, 0x1305];
/** The server's TLS 1.2 suites: the defaults, then the CCM ones (RFC 6655, RFC 7251). */
export const SERVER_SUITES_12 = [...DEFAULT_SUITES_12, 0xc0ac, 0xc0ad, 0xc0ae, 0xc0af, 0xc09e, 0xc09f, 0xc0a2, 0xc0a3, 0xc09c, 0xc09d, 0xc0a0, 0xc0a1];
/** Every group the engine has beyond the defaults, the common ones first (RFC 8446 §4.2.7 leaves the order to the server). */
export const EXTRA_GROUPS = [30, 25, 257, 258, 259, 260];
export const SERVER_GROUPS = [...DEFAULT_GROUPS, ...EXTRA_GROUPS];
/** What a client may sign CertificateVerify with: every scheme this engine verifies (SHA-1 ones left out). */
export const VERIFIABLE_SCHEMES = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809, 0x080a, 0x080b, 0x0401, 0x0501, 0x0601];
