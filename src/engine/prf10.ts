/**
 * The TLS 1.0/1.1 PRF and what it derives, for decrypting captures of those versions (the engine itself speaks
 * TLS 1.2 and 1.3 only): PRF (RFC 2246 §5, unchanged in RFC 4346 §5), master secret (§8.1), extended master
 * secret (RFC 7627 §4, whose session hash for these versions is MD5 + SHA-1), key block (RFC 2246 §6.3, with the
 * CBC IVs TLS 1.0 takes from it) and Finished verify_data (RFC 2246 §7.4.9).
 */
import { concatBytes as concat } from "../tls/bytes";
import { hashOf, hmac, hmacMd5, md5 } from "./crypto/hash";
import { splitKeyBlock, type TrafficKeys } from "./prf12";
import type { SuiteParams } from "./suites";

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** P_hash (RFC 2246 §5) over a given HMAC: A(0) = seed, A(i) = HMAC(secret, A(i-1)), out = HMAC(secret, A(i) + seed)... */
function pHash(mac: (key: Uint8Array, data: Uint8Array) => Uint8Array, secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed;
  for (let o = 0; o < length;) {
    a = mac(secret, a);
    const block = mac(secret, concat(a, seed));
    out.set(block.subarray(0, Math.min(block.length, length - o)), o);
    o += block.length;
  }
  return out;
}

/**
 * PRF(secret, label, seed) = P_MD5(S1, label + seed) XOR P_SHA-1(S2, label + seed) (RFC 2246 §5): S1 is the first
 * half of the secret and S2 the second, both ceil(length / 2) bytes long (they share the middle byte when the
 * length is odd).
 */
export function prf10(secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const half = Math.ceil(secret.length / 2);
  const s1 = secret.subarray(0, half);
  const s2 = secret.subarray(secret.length - half);
  const labelSeed = concat(ascii(label), seed);
  const out = pHash(hmacMd5, s1, labelSeed, length);
  const sha = pHash((k, d) => hmac("SHA1", k, d), s2, labelSeed, length);
  for (let i = 0; i < length; i++) out[i] ^= sha[i];
  return out;
}

/** MD5(handshake_messages) + SHA-1(handshake_messages): the hash Finished (RFC 2246 §7.4.9) and RFC 7627 use here. */
export function transcriptHash10(handshakeMessages: Uint8Array): Uint8Array {
  return concat(md5(handshakeMessages), hashOf("SHA1", handshakeMessages));
}

/**
 * master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]
 * (RFC 2246 §8.1), or PRF(pre_master_secret, "extended master secret", session_hash)[0..47] (RFC 7627 §4).
 */
export function masterSecret10(preMaster: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, sessionHash: Uint8Array | null): Uint8Array {
  if (sessionHash) return prf10(preMaster, "extended master secret", sessionHash, 48);
  return prf10(preMaster, "master secret", concat(clientRandom, serverRandom), 48);
}

/** AES's block: the IV length TLS 1.0 takes from the key block for a CBC suite. */
const CBC_BLOCK = 16;

/**
 * key_block = PRF(master_secret, "key expansion", server_random + client_random) (RFC 2246 §6.3), split as
 * client/server MAC secrets, client/server write keys and — TLS 1.0 only — client/server write IVs: TLS 1.0's CBC
 * starts from these and then chains from each record's last ciphertext block (§6.2.3.2), while TLS 1.1 carries an
 * explicit IV in every record (RFC 4346 §6.2.3.2) and takes none from here.
 */
export function keyBlock10(
  params: SuiteParams,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  implicitIv: boolean,
): { client: TrafficKeys; server: TrafficKeys } {
  const m = params.macLength;
  const k = params.keyLength;
  const iv = implicitIv && params.cbc ? CBC_BLOCK : 0;
  const block = prf10(master, "key expansion", concat(serverRandom, clientRandom), 2 * (m + k + iv));
  return splitKeyBlock(block, m, k, iv);
}

/** verify_data = PRF(master_secret, finished_label, MD5(handshake_messages) + SHA-1(handshake_messages))[0..11]. */
export function finishedVerifyData10(master: Uint8Array, label: "client finished" | "server finished", handshakeMessages: Uint8Array): Uint8Array {
  return prf10(master, label, transcriptHash10(handshakeMessages), 12);
}
