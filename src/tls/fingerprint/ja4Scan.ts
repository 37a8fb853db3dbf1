/**
 * JA4 read straight from a ClientHello's bytes, for the summary path: `inspect --summary` of a large capture
 * checks each message with the summary scanner (src/tls/handshake/scan.ts) instead of the labelled decoder, and
 * spends about 13 µs per connection in all; building the decoder's fields for every first ClientHello only to take
 * five lists from them, then two SHA-256 runs, would add half of that again.
 *
 * So the walk copies what JA4 depends on — and only that — into one reused buffer: the transport, the version it
 * codes, the cipher suites and extension types without GREASE and sorted (JA4 ignores their order), the signature
 * algorithms in order, the first ALPN name. Clients of one capture send the same lists on every connection
 * (Chromium shuffles its extensions, but sorted they are the same), so the buffer is looked up among the ones
 * already fingerprinted and the strings come back without hashing anything.
 *
 * Call it only on a ClientHello the scanner (or the decoder) accepted: it walks the RFC 8446 §4.1.2 layout
 * without re-checking the grammar. It still bounds every read by the message's end and returns null rather than
 * reading past it, so hostile bytes cannot make it throw or loop. test/unit/tls/ja4Scan.test.ts holds it equal
 * to `ja4(ja4Input(decodeHandshake(…)))` on every fixture ClientHello and on mutated ones.
 */
import { isGrease16 } from "../registry/openEnum";
import { APPLICATION_LAYER_PROTOCOL_NEGOTIATION, SIGNATURE_ALGORITHMS, SUPPORTED_VERSIONS, ja4, type Ja4Transport } from "./ja4";

const u16 = (b: Uint8Array, p: number): number => (b[p] << 8) | b[p + 1];

/** The buffer's layout (16-bit cells). A ClientHello that needs more cells is fingerprinted without the cache. */
const CELLS = 2048;
const buf = new Uint16Array(CELLS);
const TRANSPORT_CELL: Record<Ja4Transport, number> = { tcp: 0, quic: 1, dtls: 2 };
const NO_VERSIONS = 0xffff;

interface Entry {
  cells: Uint16Array;
  ja4: string;
  ja4_r: string;
}

/** Fingerprints already computed, by a hash of their cells; bounded (a capture has few distinct clients). */
const seen = new Map<number, Entry>();
const SEEN_KEPT = 1024;

function sameCells(cells: Uint16Array, n: number): boolean {
  if (cells.length !== n) return false;
  for (let i = 0; i < n; i++) if (cells[i] !== buf[i]) return false;
  return true;
}

/**
 * JA4 and JA4_r of a ClientHello given as the whole handshake message (4-byte header included), or null when
 * its layout does not hold together.
 */
export function ja4FromBytes(raw: Uint8Array, transport: Ja4Transport): { ja4: string; ja4_r: string } | null {
  const n = fill(raw, transport);
  if (n < 0) return null;
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  const hit = seen.get(h);
  if (hit && sameCells(hit.cells, n)) return hit;
  const entry: Entry = { cells: buf.slice(0, n), ...compute(buf.subarray(0, n)) };
  if (seen.size >= SEEN_KEPT) seen.clear();
  seen.set(h, entry);
  return entry;
}

/** Insertion sort of buf[from, to): the lists are short (tens of items), and a subarray's sort costs more. */
function sortCells(from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = buf[i];
    let j = i - 1;
    while (j >= from && buf[j] > v) {
      buf[j + 1] = buf[j];
      j--;
    }
    buf[j + 1] = v;
  }
}

/**
 * The cells: [transport, legacy_version, highest supported version or NO_VERSIONS, #suites, suites…, #extensions,
 * extensions…, #signature algorithms, algorithms…, ALPN present, #name bytes, name bytes…]. Returns the cell
 * count, or -1 when the bytes do not hold a ClientHello or the buffer is too small.
 */
function fill(raw: Uint8Array, transport: Ja4Transport): number {
  const end = raw.length;
  let p = 4;
  if (p + 2 + 32 + 1 > end) return -1;
  buf[0] = TRANSPORT_CELL[transport];
  buf[1] = u16(raw, p);
  buf[2] = NO_VERSIONS;
  p += 2 + 32;
  p += 1 + raw[p]; // legacy_session_id
  if (p + 2 > end) return -1;
  const suitesEnd = p + 2 + u16(raw, p);
  if (suitesEnd > end || (suitesEnd - p) / 2 + 8 > CELLS) return -1;
  let n = 4;
  for (let q = p + 2; q + 2 <= suitesEnd; q += 2) {
    const v = u16(raw, q);
    if (!isGrease16(v)) buf[n++] = v;
  }
  buf[3] = n - 4;
  sortCells(4, n);
  p = suitesEnd;
  if (p + 1 > end) return -1;
  p += 1 + raw[p]; // legacy_compression_methods
  if (p > end) return -1;

  // Extensions: the types into their own section; the two lists JA4 reads are remembered by position.
  const extCount = n++;
  let sigFrom = -1;
  let sigTo = -1;
  let alpnFrom = -1;
  let alpnTo = -1;
  // RFC 5246 §7.4.1.2: a ClientHello may end after the compression methods.
  if (p + 2 <= end) {
    const extEnd = Math.min(p + 2 + u16(raw, p), end);
    p += 2;
    // Each step moves past at least the 4-byte extension header.
    while (p + 4 <= extEnd) {
      const type = u16(raw, p);
      const body = p + 4;
      const bodyEnd = body + u16(raw, p + 2);
      if (bodyEnd > extEnd || n + 1 > CELLS) return -1;
      if (!isGrease16(type)) buf[n++] = type;
      if (type === SUPPORTED_VERSIONS) {
        let best = buf[2] === NO_VERSIONS ? -1 : buf[2];
        const listEnd = body < bodyEnd ? Math.min(body + 1 + raw[body], bodyEnd) : body;
        for (let q = body + 1; q + 2 <= listEnd; q += 2) {
          const v = u16(raw, q);
          if (!isGrease16(v) && v > best) best = v;
        }
        // Only GREASE listed: 0, which codes as "00" as in ja4().
        buf[2] = best < 0 ? 0 : best;
      } else if (type === SIGNATURE_ALGORITHMS && body + 2 <= bodyEnd) {
        // A second list (a repeated extension, RFC 8446 §4.2 forbids it) is left to the slow path.
        if (sigFrom >= 0) return -1;
        sigFrom = body + 2;
        sigTo = Math.min(sigFrom + u16(raw, body), bodyEnd);
      } else if (type === APPLICATION_LAYER_PROTOCOL_NEGOTIATION && alpnFrom < 0 && body + 3 <= bodyEnd) {
        // protocol_name_list<2..2^16-1>, its first ProtocolName<1..2^8-1> (RFC 7301 §3.1).
        alpnFrom = body + 3;
        alpnTo = Math.min(alpnFrom + raw[body + 2], bodyEnd);
      }
      p = bodyEnd;
    }
  }
  buf[extCount] = n - extCount - 1;
  sortCells(extCount + 1, n);

  const sigCount = n++;
  for (let q = sigFrom; sigFrom >= 0 && q + 2 <= sigTo; q += 2) {
    const v = u16(raw, q);
    if (n + 1 > CELLS) return -1;
    if (!isGrease16(v)) buf[n++] = v;
  }
  buf[sigCount] = n - sigCount - 1;

  if (n + 2 + Math.max(0, alpnTo - alpnFrom) > CELLS) return -1;
  buf[n++] = alpnFrom < 0 ? 0 : 1;
  buf[n++] = alpnFrom < 0 ? 0 : alpnTo - alpnFrom;
  for (let q = alpnFrom; alpnFrom >= 0 && q < alpnTo; q++) buf[n++] = raw[q];
  return n;
}

/** JA4 from the cells (a cache miss). */
function compute(c: Uint16Array): { ja4: string; ja4_r: string } {
  let i = 3;
  const suites = Array.from(c.subarray(i + 1, i + 1 + c[i]));
  i += 1 + c[i];
  const extensions = Array.from(c.subarray(i + 1, i + 1 + c[i]));
  i += 1 + c[i];
  const signatureAlgorithms = Array.from(c.subarray(i + 1, i + 1 + c[i]));
  i += 1 + c[i];
  const alpnFirst = c[i] ? Uint8Array.from(c.subarray(i + 2, i + 2 + c[i + 1])) : null;
  const transport = (Object.keys(TRANSPORT_CELL) as Ja4Transport[]).find((t) => TRANSPORT_CELL[t] === c[0])!;
  const r = ja4({
    transport,
    legacyVersion: c[1],
    cipherSuites: suites,
    extensions,
    supportedVersions: c[2] === NO_VERSIONS ? null : [c[2]],
    signatureAlgorithms,
    alpnFirst,
  });
  return { ja4: r.ja4, ja4_r: r.ja4_r };
}
