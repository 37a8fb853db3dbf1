/**
 * The TLS 1.2 derivations both sides make the same way, each logged as a step: the master secret (RFC 5246 §8.1,
 * or the extended master secret, RFC 7627 §4), the key block and its slices (RFC 5246 §6.3), and Finished
 * (RFC 5246 §7.4.9) sent and checked.
 */
import type { DecodedHandshake } from "../../tls/handshake/types";
import { encodeFinished } from "../../tls/encode";
import { Alert, decoded } from "../alerts";
import type { Endpoint } from "../endpoint";
import { finishedVerifyData12, keyBlock12, masterSecret12 } from "../prf12";
import type { SuiteParams } from "../suites";
import { equalBytes, hex } from "../tls13Common";

/** The master secret and the key block made from it: what a TLS 1.2 connection's records are protected with. */
export interface Keys12 {
  master: Uint8Array;
  keyBlock: ReturnType<typeof keyBlock12>;
}

/** master_secret (RFC 5246 §8.1), or the extended master secret over the session hash so far (RFC 7627 §4). */
export function deriveMasterSecret12(
  ep: Endpoint,
  suite: SuiteParams,
  premaster: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  ems: boolean,
): Uint8Array {
  const h = suite.hash;
  if (ems) {
    const master = masterSecret12(h, premaster, clientRandom, serverRandom, ep.transcript.current());
    ep.secret(
      "master_secret",
      master,
      ["pre_master_secret", "session_hash (ClientHello..ClientKeyExchange)"],
      `PRF(pre_master_secret, "extended master secret", session_hash) (RFC 7627 §4)`,
    );
    return master;
  }
  const master = masterSecret12(h, premaster, clientRandom, serverRandom);
  ep.secret(
    "master_secret",
    master,
    ["pre_master_secret", "client_random", "server_random"],
    `PRF(pre_master_secret, "master secret", client_random + server_random) (RFC 5246 §8.1)`,
  );
  return master;
}

/** key_block and its six slices (RFC 5246 §6.3). */
export function deriveKeyBlock12(
  ep: Endpoint,
  suite: SuiteParams,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): ReturnType<typeof keyBlock12> {
  const kb = keyBlock12(suite, master, clientRandom, serverRandom);
  ep.secret(
    "key_block",
    kb.keyBlock,
    ["master_secret", "server_random", "client_random"],
    `PRF(master_secret, "key expansion", server_random + client_random) (RFC 5246 §6.3)`,
  );
  const part = (name: string, v: Uint8Array | undefined) => v && v.length > 0 && ep.secret(name, v, ["key_block"], "slice of key_block");
  part("client_write_MAC_key", kb.client.macKey);
  part("server_write_MAC_key", kb.server.macKey);
  part("client_write_key", kb.client.key);
  part("server_write_key", kb.server.key);
  part("client_write_IV", kb.client.iv);
  part("server_write_IV", kb.server.iv);
  return kb;
}

/** This side's Finished (RFC 5246 §7.4.9): verify_data over the handshake so far, logged and sent. */
export function sendFinished12(ep: Endpoint, suite: SuiteParams, master: Uint8Array): void {
  const vd = finishedVerifyData12(suite.hash, master, `${ep.actor} finished`, ep.transcript.current());
  ep.secret(`${ep.actor} verify_data`, vd, ["master_secret", "transcript hash"], `PRF(master_secret, "${ep.actor} finished", Hash(handshake_messages))[0..11]`);
  ep.sendHandshake(encodeFinished(vd));
}

/** The peer's Finished: verify_data recomputed and compared; decrypt_error when it differs (RFC 5246 §7.4.9). */
export function checkFinished12(ep: Endpoint, suite: SuiteParams, m: DecodedHandshake, master: Uint8Array): void {
  const expected = finishedVerifyData12(suite.hash, master, `${ep.peer} finished`, ep.transcript.current());
  const got = decoded(m.details.verifyData, "verify_data");
  const ok = equalBytes(expected, got);
  ep.markFinished(ep.peer === "server" ? "s2c" : "c2s", ok);
  ep.require(
    `${ep.peer} Finished verify_data`,
    ok,
    ok ? `PRF output matches ${hex(expected)}` : `received ${hex(got)}, expected ${hex(expected)}`,
    Alert.decrypt_error,
  );
}
