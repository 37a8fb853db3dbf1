/**
 * Record protection, one direction, one set of keys: `seal` turns a plaintext into a protected record, `open`
 * checks and removes the protection. Both advance the record sequence number (RFC 5246 §6.1, RFC 8446 §5.3),
 * `open` also when it fails (a failed record is fatal in TLS; the number says which record failed).
 *
 * - TLS 1.3 (RFC 8446 §5.2–5.4): nonce = IV XOR seq, AAD = the record header, TLSInnerPlaintext = content ||
 *   type || zeros.
 * - TLS 1.2 AES-GCM (RFC 5288 §3): nonce = 4-byte salt || 8-byte explicit nonce carried in the record;
 *   ChaCha20-Poly1305 (RFC 7905 §2): nonce = IV XOR seq, nothing explicit. AAD = seq || type || version ||
 *   plaintext length (RFC 5246 §6.2.3.3).
 * - TLS 1.2 CBC (RFC 5246 §6.2.3.2): explicit IV, MAC-then-encrypt with HMAC over seq || type || version ||
 *   length || content, then padding; or encrypt-then-MAC when negotiated (RFC 7366 §3).
 */
import { concatBytes as concat } from "../tls/bytes";
import { aeadOpen, aeadSeal, aeadTagLength } from "./crypto/aead";
import { aesCbcDecrypt, aesCbcEncrypt } from "./crypto/cipher";
import { constantTimeEqual, hmac } from "./crypto/hash";
import { randomBytes, type Rng } from "./crypto/random";
import type { TrafficKeys } from "./prf12";
import type { SuiteParams } from "./suites";

export type OpenResult = { ok: true; type: number; plaintext: Uint8Array } | { ok: false; error: string };

export interface ProtectorOptions {
  version: "tls12" | "tls13";
  /** TLS 1.2 CBC: encrypt-then-MAC (RFC 7366) was negotiated. */
  encryptThenMac?: boolean;
  /** Source of CBC explicit IVs (default: the OS CSPRNG); pass a seeded one for reproducible records. */
  rng?: Rng;
  /** legacy_record_version written by `seal` (default 0x0303, RFC 8446 §5.1). */
  recordVersion?: number;
}

/** RFC 8446 §5.1 / RFC 5246 §6.2.1: 2^14 bytes of plaintext at most. */
const MAX_PLAINTEXT = 1 << 14;
/** RFC 8446 §5.2: 2^14 + 256; RFC 5246 §6.2.3: 2^14 + 2048. */
const MAX_CIPHERTEXT_13 = MAX_PLAINTEXT + 256;
const MAX_CIPHERTEXT_12 = MAX_PLAINTEXT + 2048;
const BLOCK = 16;

const fail = (error: string): OpenResult => ({ ok: false, error });

function seqBytes(seq: bigint): Uint8Array {
  const b = new Uint8Array(8);
  if (seq < 0x20000000000000n) {
    // Below 2^53 (every real connection) as two 32-bit halves: BigInt's DataView path cost more than the cipher's set-up.
    const n = Number(seq);
    const hi = Math.floor(n / 0x100000000);
    const lo = n >>> 0;
    b[0] = hi >>> 24;
    b[1] = (hi >>> 16) & 0xff;
    b[2] = (hi >>> 8) & 0xff;
    b[3] = hi & 0xff;
    b[4] = lo >>> 24;
    b[5] = (lo >>> 16) & 0xff;
    b[6] = (lo >>> 8) & 0xff;
    b[7] = lo & 0xff;
    return b;
  }
  new DataView(b.buffer).setBigUint64(0, seq);
  return b;
}

function header(type: number, version: number, length: number): Uint8Array {
  return Uint8Array.of(type, version >> 8, version & 0xff, length >> 8, length & 0xff);
}

/** Per-record nonce: the IV with the 64-bit sequence number XORed into its last 8 bytes (RFC 8446 §5.3). */
function xorNonce(iv: Uint8Array, seq: bigint): Uint8Array {
  const nonce = iv.slice();
  const s = seqBytes(seq);
  for (let i = 0; i < 8; i++) nonce[nonce.length - 8 + i] ^= s[i];
  return nonce;
}

export class RecordProtector {
  /** The sequence number of the next record. */
  seq = 0n;
  private readonly tls13: boolean;
  private readonly etm: boolean;
  private readonly recordVersion: number;
  /** The AEAD tag length (16; 8 for the CCM_8 suites, RFC 6655 §3). */
  private readonly tagLength: number;

  constructor(
    readonly params: SuiteParams,
    private readonly keys: TrafficKeys,
    private readonly opts: ProtectorOptions,
  ) {
    this.tls13 = opts.version === "tls13";
    if (this.tls13 && !params.tls13) throw new Error(`${params.name} is not a TLS 1.3 suite`);
    if (!this.tls13 && params.tls13) throw new Error(`${params.name} is a TLS 1.3 suite`);
    if (keys.key.length !== params.keyLength) throw new Error(`key must be ${params.keyLength} bytes`);
    if (keys.iv.length !== params.fixedIvLength) throw new Error(`IV must be ${params.fixedIvLength} bytes`);
    if (params.cbc && keys.macKey?.length !== params.macLength) throw new Error(`MAC key must be ${params.macLength} bytes`);
    this.etm = !!opts.encryptThenMac && !!params.cbc;
    this.recordVersion = opts.recordVersion ?? 0x0303;
    this.tagLength = params.aead ? aeadTagLength(params.aead) : 0;
  }

  /** Open one protected record: `type`/`version` from its header, `fragment` = the bytes after the header. */
  open(type: number, version: number, fragment: Uint8Array): OpenResult {
    const seq = this.seq++;
    if (this.tls13) return this.open13(seq, type, version, fragment);
    if (fragment.length > MAX_CIPHERTEXT_12) return fail("record overflow");
    if (this.params.aead) return this.openAead12(seq, type, version, fragment);
    return this.etm ? this.openEtm(seq, type, version, fragment) : this.openMte(seq, type, version, fragment);
  }

  /**
   * Protect one record; returns the full record, header included. TLS 1.3: `padding` zero bytes are added to
   * the inner plaintext (RFC 8446 §5.4) and the outer type is application_data (23).
   */
  seal(type: number, plaintext: Uint8Array, padding = 0): Uint8Array {
    if (plaintext.length > MAX_PLAINTEXT) throw new RangeError("plaintext longer than 2^14 bytes");
    const seq = this.seq++;
    if (this.tls13) return this.seal13(seq, type, plaintext, padding);
    if (this.params.aead) return this.sealAead12(seq, type, plaintext);
    return this.etm ? this.sealEtm(seq, type, plaintext) : this.sealMte(seq, type, plaintext);
  }

  // ---- TLS 1.3 ----

  private open13(seq: bigint, type: number, version: number, fragment: Uint8Array): OpenResult {
    if (fragment.length > MAX_CIPHERTEXT_13) return fail("record overflow");
    // At least the content type byte plus the tag.
    if (fragment.length < this.tagLength + 1) return fail("record too short");
    const aad = header(type, version, fragment.length);
    const inner = aeadOpen(this.params.aead!, this.keys.key, xorNonce(this.keys.iv, seq), aad, fragment);
    if (!inner) return fail("AEAD tag mismatch");
    // RFC 8446 §5.4: the real content type is the last non-zero byte; all zeros is an unexpected_message.
    let end = inner.length;
    while (end > 0 && inner[end - 1] === 0) end--;
    if (end === 0) return fail("no content type in TLSInnerPlaintext");
    if (end - 1 > MAX_PLAINTEXT) return fail("record overflow");
    // A view, not a copy: the decrypted buffer is this record's own (a 16 KB copy per record halved bulk speed).
    return { ok: true, type: inner[end - 1], plaintext: inner.subarray(0, end - 1) };
  }

  private seal13(seq: bigint, type: number, plaintext: Uint8Array, padding: number): Uint8Array {
    const inner = new Uint8Array(plaintext.length + 1 + Math.max(0, padding));
    inner.set(plaintext);
    inner[plaintext.length] = type;
    const length = inner.length + this.tagLength;
    const aad = header(23, this.recordVersion, length);
    const ct = aeadSeal(this.params.aead!, this.keys.key, xorNonce(this.keys.iv, seq), aad, inner);
    return concat(aad, ct);
  }

  // ---- TLS 1.2 AEAD ----

  private aad12(seq: bigint, type: number, version: number, length: number): Uint8Array {
    return concat(seqBytes(seq), header(type, version, length));
  }

  private openAead12(seq: bigint, type: number, version: number, fragment: Uint8Array): OpenResult {
    const explicit = this.params.recordIvLength;
    if (fragment.length < explicit + this.tagLength) return fail("record too short");
    const nonce = explicit ? concat(this.keys.iv, fragment.subarray(0, explicit)) : xorNonce(this.keys.iv, seq);
    const ct = fragment.subarray(explicit);
    const aad = this.aad12(seq, type, version, ct.length - this.tagLength);
    const pt = aeadOpen(this.params.aead!, this.keys.key, nonce, aad, ct);
    if (!pt) return fail("AEAD tag mismatch");
    if (pt.length > MAX_PLAINTEXT) return fail("record overflow");
    return { ok: true, type, plaintext: pt };
  }

  private sealAead12(seq: bigint, type: number, plaintext: Uint8Array): Uint8Array {
    const explicit = this.params.recordIvLength;
    // RFC 5288 §3 leaves the explicit nonce to the sender; the sequence number is the common, never-repeating choice.
    const explicitNonce = explicit ? seqBytes(seq) : new Uint8Array(0);
    const nonce = explicit ? concat(this.keys.iv, explicitNonce) : xorNonce(this.keys.iv, seq);
    const aad = this.aad12(seq, type, this.recordVersion, plaintext.length);
    const ct = aeadSeal(this.params.aead!, this.keys.key, nonce, aad, plaintext);
    return concat(header(type, this.recordVersion, explicitNonce.length + ct.length), explicitNonce, ct);
  }

  // ---- TLS 1.2 CBC ----

  private mac(seq: bigint, type: number, version: number, content: Uint8Array): Uint8Array {
    return hmac(this.params.mac!, this.keys.macKey!, concat(seqBytes(seq), header(type, version, content.length), content));
  }

  /**
   * Padding check over the last 256 bytes in the same shape whatever the padding length (RFC 5246 §6.2.3.2
   * implementation note; Lucky Thirteen). Returns the padding length, or -1 when it is malformed.
   */
  private static paddingLength(p: Uint8Array, reserved: number): number {
    const padLen = p[p.length - 1];
    let bad = padLen + 1 + reserved > p.length ? 1 : 0;
    const span = Math.min(256, p.length);
    for (let i = 1; i <= span; i++) {
      const inPad = i <= padLen + 1 ? 1 : 0;
      bad |= inPad & (p[p.length - i] !== padLen ? 1 : 0);
    }
    return bad ? -1 : padLen;
  }

  private openMte(seq: bigint, type: number, version: number, fragment: Uint8Array): OpenResult {
    const m = this.params.macLength;
    const minCt = Math.ceil((m + 1) / BLOCK) * BLOCK;
    if (fragment.length < BLOCK + minCt) return fail("record too short");
    if (fragment.length % BLOCK !== 0) return fail("bad record length");
    const p = aesCbcDecrypt(this.keys.key, fragment.subarray(0, BLOCK), fragment.subarray(BLOCK));
    const padLen = RecordProtector.paddingLength(p, m);
    // On bad padding, still compute a MAC (as if no padding) so both failures take a similar path (RFC 5246 §6.2.3.2).
    const contentLen = p.length - m - (padLen < 0 ? 1 : padLen + 1);
    const content = p.subarray(0, contentLen);
    const macOk = constantTimeEqual(this.mac(seq, type, version, content), p.subarray(contentLen, contentLen + m));
    if (padLen < 0) return fail("bad padding");
    if (!macOk) return fail("bad record MAC");
    if (content.length > MAX_PLAINTEXT) return fail("record overflow");
    return { ok: true, type, plaintext: content.slice() };
  }

  private openEtm(seq: bigint, type: number, version: number, fragment: Uint8Array): OpenResult {
    const m = this.params.macLength;
    if (fragment.length < BLOCK + BLOCK + m) return fail("record too short");
    const ivCt = fragment.subarray(0, fragment.length - m);
    // RFC 7366 §3: the MAC covers IV || ciphertext, with the length of IV || ciphertext in the pseudo-header.
    if (!constantTimeEqual(this.mac(seq, type, version, ivCt), fragment.subarray(fragment.length - m))) return fail("bad record MAC");
    if (ivCt.length % BLOCK !== 0) return fail("bad record length");
    const p = aesCbcDecrypt(this.keys.key, ivCt.subarray(0, BLOCK), ivCt.subarray(BLOCK));
    const padLen = RecordProtector.paddingLength(p, 0);
    if (padLen < 0) return fail("bad padding");
    const content = p.subarray(0, p.length - padLen - 1);
    if (content.length > MAX_PLAINTEXT) return fail("record overflow");
    return { ok: true, type, plaintext: content.slice() };
  }

  private pad(data: Uint8Array): Uint8Array {
    // padding_length bytes of value padding_length plus the length byte itself, to a whole block.
    const padLen = (BLOCK - ((data.length + 1) % BLOCK)) % BLOCK;
    const out = new Uint8Array(data.length + padLen + 1);
    out.set(data);
    out.fill(padLen, data.length);
    return out;
  }

  private sealMte(seq: bigint, type: number, plaintext: Uint8Array): Uint8Array {
    const mac = this.mac(seq, type, this.recordVersion, plaintext);
    const iv = randomBytes(BLOCK, this.opts.rng);
    const ct = aesCbcEncrypt(this.keys.key, iv, this.pad(concat(plaintext, mac)));
    return concat(header(type, this.recordVersion, BLOCK + ct.length), iv, ct);
  }

  private sealEtm(seq: bigint, type: number, plaintext: Uint8Array): Uint8Array {
    const iv = randomBytes(BLOCK, this.opts.rng);
    const ivCt = concat(iv, aesCbcEncrypt(this.keys.key, iv, this.pad(plaintext)));
    const mac = this.mac(seq, type, this.recordVersion, ivCt);
    return concat(header(type, this.recordVersion, ivCt.length + mac.length), ivCt, mac);
  }
}
