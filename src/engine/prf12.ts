/**
 * The TLS 1.2 PRF and what it derives: master secret (RFC 5246 §8.1), extended master secret (RFC 7627 §4),
 * key block (RFC 5246 §6.3) and Finished verify_data (RFC 5246 §7.4.9).
 */
import { concatBytes as concat } from "../tls/bytes";
import { hashLength, hmac, type HashName } from "./crypto/hash";
import type { SuiteParams } from "./suites";

export interface TrafficKeys {
  key: Uint8Array;
  /** TLS 1.3 and TLS 1.2 AEAD: the fixed IV; empty for TLS 1.2 CBC (its IVs are explicit per record). */
  iv: Uint8Array;
  /** TLS 1.2 CBC suites: the HMAC key. */
  macKey?: Uint8Array;
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/**
 * P_hash(secret, seed) (RFC 5246 §5): A(0) = seed, A(i) = HMAC(secret, A(i-1)), output = HMAC(secret, A(1) + seed)
 * + HMAC(secret, A(2) + seed) + ..., cut to `length`.
 */
export function pHash(hash: HashName, secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed;
  for (let o = 0; o < length;) {
    a = hmac(hash, secret, a);
    const block = hmac(hash, secret, concat(a, seed));
    out.set(block.subarray(0, Math.min(block.length, length - o)), o);
    o += block.length;
  }
  return out;
}

/** PRF(secret, label, seed) = P_<hash>(secret, label + seed) (RFC 5246 §5). */
export function prf12(hash: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  return pHash(hash, secret, concat(ascii(label), seed), length);
}

/**
 * master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]
 * (RFC 5246 §8.1), or with a session hash (the transcript hash through ClientKeyExchange) the extended master
 * secret PRF(pre_master_secret, "extended master secret", session_hash)[0..47] (RFC 7627 §4).
 */
export function masterSecret12(
  hash: HashName,
  preMaster: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  sessionHash: Uint8Array | null = null,
): Uint8Array {
  if (sessionHash) return prf12(hash, preMaster, "extended master secret", sessionHash, 48);
  return prf12(hash, preMaster, "master secret", concat(clientRandom, serverRandom), 48);
}

/**
 * key_block = PRF(master_secret, "key expansion", server_random + client_random) (RFC 5246 §6.3; note the randoms'
 * order is reversed from the master secret's), split as client_write_MAC_key, server_write_MAC_key,
 * client_write_key, server_write_key, client_write_IV, server_write_IV.
 */
export function keyBlock12(
  params: SuiteParams,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): { client: TrafficKeys; server: TrafficKeys; keyBlock: Uint8Array } {
  const m = params.macLength;
  const k = params.keyLength;
  const iv = params.fixedIvLength;
  const block = prf12(params.hash, master, "key expansion", concat(serverRandom, clientRandom), 2 * (m + k + iv));
  return { ...splitKeyBlock(block, m, k, iv), keyBlock: block };
}

/**
 * The key block's six slices in the order RFC 5246 §6.3 (and RFC 2246 §6.3 before it) lays them out: both MAC keys,
 * both write keys, both IVs. An AEAD suite has no MAC key (macLength 0), so none is set rather than an empty one.
 */
export function splitKeyBlock(block: Uint8Array, macLength: number, keyLength: number, ivLength: number): { client: TrafficKeys; server: TrafficKeys } {
  let o = 0;
  const take = (n: number) => block.slice(o, (o += n));
  const clientMac = take(macLength);
  const serverMac = take(macLength);
  const clientKey = take(keyLength);
  const serverKey = take(keyLength);
  const client: TrafficKeys = { key: clientKey, iv: take(ivLength) };
  const server: TrafficKeys = { key: serverKey, iv: take(ivLength) };
  if (macLength) {
    client.macKey = clientMac;
    server.macKey = serverMac;
  }
  return { client, server };
}

/**
 * verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11] (RFC 5246 §7.4.9), label
 * "client finished" or "server finished"; `transcriptHash` is the PRF hash over all handshake messages so far.
 */
export function finishedVerifyData12(hash: HashName, master: Uint8Array, label: "client finished" | "server finished", transcriptHash: Uint8Array): Uint8Array {
  return prf12(hash, master, label, transcriptHash, 12);
}

/** Hash length of the PRF hash (the size of a session hash). */
export const prfHashLength = hashLength;
