/**
 * Opening TLS 1.0 CBC records (RFC 2246 §6.2.3.2), which differ from TLS 1.1/1.2's in one thing: no IV travels in
 * the record. The first record of a direction is encrypted from the key block's write IV, every later one from the
 * last ciphertext block of the record before it (the chained IV that BEAST exploited and TLS 1.1 replaced by
 * explicit IVs). The MAC is TLS 1.2's: HMAC(MAC_write_secret, seq_num + type + version + length + content)
 * (§6.2.3.1), over the plaintext, or over the ciphertext with encrypt-then-MAC (RFC 7366 §3, which applies to
 * TLS 1.0 too: there the MAC'ed ciphertext has no IV in front). Only `open`: the engine never speaks TLS 1.0.
 */
import { concatBytes as concat } from "../tls/bytes";
import { aesCbcDecrypt } from "../engine/crypto/cipher";
import { constantTimeEqual, hmac } from "../engine/crypto/hash";
import type { TrafficKeys } from "../engine/prf12";
import type { OpenResult } from "../engine/recordProtection";
import type { SuiteParams } from "../engine/suites";

const BLOCK = 16;
/** RFC 2246 §6.2.3: a TLSCiphertext fragment is at most 2^14 + 2048 bytes. */
const MAX_CIPHERTEXT = (1 << 14) + 2048;

const fail = (error: string): OpenResult => ({ ok: false, error });

function seqBytes(seq: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, seq);
  return b;
}

export class Tls10CbcOpener {
  /** The sequence number of the next record. */
  seq = 0n;
  /** The IV of the next record: the key block's at first, then the previous record's last ciphertext block. */
  private iv: Uint8Array;

  constructor(
    readonly params: SuiteParams,
    private readonly keys: TrafficKeys,
    private readonly encryptThenMac: boolean,
  ) {
    if (!params.cbc || !params.mac) throw new Error(`${params.name} is not a CBC suite`);
    if (keys.iv.length !== BLOCK) throw new Error(`TLS 1.0 CBC needs a ${BLOCK}-byte IV from the key block`);
    this.iv = keys.iv;
  }

  open(type: number, version: number, fragment: Uint8Array): OpenResult {
    const seq = this.seq++;
    if (fragment.length > MAX_CIPHERTEXT) return fail("record overflow");
    const m = this.params.macLength;
    const ct = this.encryptThenMac ? fragment.subarray(0, Math.max(0, fragment.length - m)) : fragment;
    if (ct.length === 0 || ct.length % BLOCK !== 0) return fail(ct.length ? "bad record length" : "record too short");
    const iv = this.iv;
    // The chain moves on whatever this record's fate: the sender encrypted the next one from these bytes.
    this.iv = ct.slice(ct.length - BLOCK);
    const mac = (content: Uint8Array) =>
      hmac(
        this.params.mac!,
        this.keys.macKey!,
        concat(seqBytes(seq), Uint8Array.of(type, version >> 8, version & 0xff, content.length >> 8, content.length & 0xff), content),
      );
    if (this.encryptThenMac) {
      if (fragment.length < BLOCK + m) return fail("record too short");
      if (!constantTimeEqual(mac(ct), fragment.subarray(ct.length))) return fail("bad record MAC");
    }
    const p = aesCbcDecrypt(this.keys.key, iv, ct);
    // RFC 2246 §6.2.3.2: padding_length bytes each holding padding_length, then padding_length itself.
    const padLen = p[p.length - 1];
    const reserved = this.encryptThenMac ? 0 : m;
    if (padLen + 1 + reserved > p.length || p.subarray(p.length - 1 - padLen).some((b) => b !== padLen)) return fail("bad padding");
    const end = p.length - padLen - 1;
    if (this.encryptThenMac) return { ok: true, type, plaintext: p.slice(0, end) };
    const content = p.subarray(0, end - m);
    if (!constantTimeEqual(mac(content), p.subarray(end - m, end))) return fail("bad record MAC");
    return { ok: true, type, plaintext: content.slice() };
  }
}
