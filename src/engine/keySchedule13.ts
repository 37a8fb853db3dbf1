/**
 * The TLS 1.3 key schedule (RFC 8446 §7.1), as a straight list of named derivations. Each derivation can be
 * reported through `onSecret` with the names of its inputs and how it was computed, so the engine can show the
 * schedule one step at a time.
 *
 *              0
 *              |
 *   PSK ->  HKDF-Extract = Early Secret  --> binder_key, client_early_traffic_secret, early_exporter_master_secret
 *              |
 *        Derive-Secret(., "derived", "")
 *              |
 * (EC)DHE -> HKDF-Extract = Handshake Secret --> client/server_handshake_traffic_secret
 *              |
 *        Derive-Secret(., "derived", "")
 *              |
 *   0 -> HKDF-Extract = Master Secret --> client/server_application_traffic_secret_0, exporter/resumption_master_secret
 */
import { hashLength, hashOf, hkdfExpand, hkdfExtract, hmac, type HashName } from "./crypto/hash";
import type { TrafficKeys } from "./prf12";
import type { SuiteParams } from "./suites";

/** A hash name, or anything that names one (a SuiteParams). */
export type HashLike = HashName | { hash: HashName };
const hashName = (h: HashLike): HashName => (typeof h === "string" ? h : h.hash);

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/**
 * HkdfLabel = uint16 length || opaque label<7..255> = "tls13 " + Label || opaque context<0..255> (RFC 8446 §7.1).
 */
export function hkdfLabel(length: number, label: string, context: Uint8Array): Uint8Array {
  const l = ascii("tls13 " + label);
  if (l.length > 255 || context.length > 255) throw new RangeError("HkdfLabel label or context too long");
  const out = new Uint8Array(2 + 1 + l.length + 1 + context.length);
  out[0] = length >> 8;
  out[1] = length & 0xff;
  out[2] = l.length;
  out.set(l, 3);
  out[3 + l.length] = context.length;
  out.set(context, 4 + l.length);
  return out;
}

/** HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length). */
export function hkdfExpandLabel(h: HashLike, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  return hkdfExpand(hashName(h), secret, hkdfLabel(length, label, context), length);
}

/** Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length). */
export function deriveSecret(h: HashLike, secret: Uint8Array, label: string, transcriptHash: Uint8Array): Uint8Array {
  return hkdfExpandLabel(h, secret, label, transcriptHash, hashLength(hashName(h)));
}

/** Transcript-Hash of no messages: Hash(""), the context of the "derived" steps. */
export function emptyHash(h: HashLike): Uint8Array {
  return hashOf(hashName(h), new Uint8Array(0));
}

/** Traffic key and IV from a traffic secret (RFC 8446 §7.3): "key" with key_length, "iv" with iv_length (12). */
export function trafficKeys13(params: SuiteParams, secret: Uint8Array): TrafficKeys {
  return {
    key: hkdfExpandLabel(params, secret, "key", new Uint8Array(0), params.keyLength),
    iv: hkdfExpandLabel(params, secret, "iv", new Uint8Array(0), params.fixedIvLength),
  };
}

/** finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (RFC 8446 §4.4.4). */
export function finishedKey13(h: HashLike, baseKey: Uint8Array): Uint8Array {
  return hkdfExpandLabel(h, baseKey, "finished", new Uint8Array(0), hashLength(hashName(h)));
}

/**
 * verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*))
 * (RFC 8446 §4.4.4). Also the PSK binder (§4.2.11.2), with the binder key as BaseKey and the hash of the
 * truncated ClientHello.
 */
export function finishedVerifyData13(h: HashLike, baseKey: Uint8Array, transcriptHash: Uint8Array): Uint8Array {
  return hmac(hashName(h), finishedKey13(h, baseKey), transcriptHash);
}

/** application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length) (§7.2). */
export function nextTrafficSecret13(h: HashLike, secret: Uint8Array): Uint8Array {
  return hkdfExpandLabel(h, secret, "traffic upd", new Uint8Array(0), hashLength(hashName(h)));
}

/** PSK of a ticket: HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length) (§4.6.1). */
export function resumptionPsk13(h: HashLike, resumptionMaster: Uint8Array, ticketNonce: Uint8Array): Uint8Array {
  return hkdfExpandLabel(h, resumptionMaster, "resumption", ticketNonce, hashLength(hashName(h)));
}

/** TLS-Exporter(label, context, length) (RFC 8446 §7.5). */
export function exporter13(h: HashLike, exporterMaster: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const secret = deriveSecret(h, exporterMaster, label, emptyHash(h));
  return hkdfExpandLabel(h, secret, "exporter", hashOf(hashName(h), context), length);
}

/** How a secret was made, for the step list. */
export interface SecretDerivation {
  /** Names of the values it came from, e.g. [`handshake_secret`, `transcript hash (ClientHello..ServerHello)`]. */
  inputs: string[];
  /** `HKDF-Extract(salt, IKM)`, `Derive-Secret(handshake_secret, "c hs traffic", ClientHello..ServerHello)`... */
  derivation: string;
}

export type SecretHook = (name: string, value: Uint8Array, how: SecretDerivation) => void;

/**
 * One side's TLS 1.3 key schedule. Call the stages in protocol order; every derived value is kept on the object
 * (by its RFC name) and reported to `onSecret`. Transcript hashes are passed in by the caller, who knows which
 * messages they cover; `transcriptName` labels them in the step list.
 */
export class KeySchedule13 {
  readonly hash: HashName;
  readonly secrets = new Map<string, Uint8Array>();

  constructor(
    h: HashLike,
    private readonly onSecret?: SecretHook,
  ) {
    this.hash = hashName(h);
  }

  get hashLength(): number {
    return hashLength(this.hash);
  }

  private emit(name: string, value: Uint8Array, inputs: string[], derivation: string): Uint8Array {
    this.secrets.set(name, value);
    this.onSecret?.(name, value, { inputs, derivation });
    return value;
  }

  private need(name: string): Uint8Array {
    const v = this.secrets.get(name);
    if (!v) throw new Error(`key schedule: ${name} not derived yet`);
    return v;
  }

  private derive(name: string, from: string, label: string, th: Uint8Array, thName: string): Uint8Array {
    const v = deriveSecret(this.hash, this.need(from), label, th);
    return this.emit(name, v, [from, thName], `Derive-Secret(${from}, "${label}", ${thName})`);
  }

  /** Early Secret = HKDF-Extract(0, PSK), PSK = 0 (Hash.length zeros) without one. */
  earlySecret(psk?: Uint8Array): Uint8Array {
    const zeros = new Uint8Array(this.hashLength);
    const v = hkdfExtract(this.hash, zeros, psk ?? zeros);
    return this.emit("early_secret", v, [psk ? "PSK" : "0"], `HKDF-Extract(0, ${psk ? "PSK" : "0"})`);
  }

  /** binder_key = Derive-Secret(early_secret, "ext binder" | "res binder", "") (§7.1). */
  binderKey(resumption = true): Uint8Array {
    const label = resumption ? "res binder" : "ext binder";
    return this.derive("binder_key", "early_secret", label, emptyHash(this.hash), '""');
  }

  /** The PSK binder over the truncated ClientHello (RFC 8446 §4.2.11.2). */
  binder(truncatedClientHelloHash: Uint8Array): Uint8Array {
    const v = finishedVerifyData13(this.hash, this.need("binder_key"), truncatedClientHelloHash);
    return this.emit(
      "binder",
      v,
      ["binder_key", "transcript hash (truncated ClientHello)"],
      "HMAC(finished_key(binder_key), Transcript-Hash(truncated ClientHello))",
    );
  }

  clientEarlyTrafficSecret(clientHelloHash: Uint8Array): Uint8Array {
    return this.derive("client_early_traffic_secret", "early_secret", "c e traffic", clientHelloHash, "ClientHello");
  }

  earlyExporterMasterSecret(clientHelloHash: Uint8Array): Uint8Array {
    return this.derive("early_exporter_master_secret", "early_secret", "e exp master", clientHelloHash, "ClientHello");
  }

  /** Handshake Secret = HKDF-Extract(Derive-Secret(early_secret, "derived", ""), (EC)DHE). */
  handshakeSecret(sharedSecret: Uint8Array): Uint8Array {
    if (!this.secrets.has("early_secret")) this.earlySecret();
    const salt = this.derive("derived_early", "early_secret", "derived", emptyHash(this.hash), '""');
    const v = hkdfExtract(this.hash, salt, sharedSecret);
    return this.emit("handshake_secret", v, ["derived_early", "(EC)DHE shared secret"], "HKDF-Extract(derived_early, (EC)DHE)");
  }

  clientHandshakeTrafficSecret(helloHash: Uint8Array): Uint8Array {
    return this.derive("client_handshake_traffic_secret", "handshake_secret", "c hs traffic", helloHash, "ClientHello...ServerHello");
  }

  serverHandshakeTrafficSecret(helloHash: Uint8Array): Uint8Array {
    return this.derive("server_handshake_traffic_secret", "handshake_secret", "s hs traffic", helloHash, "ClientHello...ServerHello");
  }

  /** Master Secret = HKDF-Extract(Derive-Secret(handshake_secret, "derived", ""), 0). */
  masterSecret(): Uint8Array {
    const salt = this.derive("derived_handshake", "handshake_secret", "derived", emptyHash(this.hash), '""');
    const v = hkdfExtract(this.hash, salt, new Uint8Array(this.hashLength));
    return this.emit("master_secret", v, ["derived_handshake", "0"], "HKDF-Extract(derived_handshake, 0)");
  }

  clientApplicationTrafficSecret0(serverFinishedHash: Uint8Array): Uint8Array {
    return this.derive("client_application_traffic_secret_0", "master_secret", "c ap traffic", serverFinishedHash, "ClientHello...server Finished");
  }

  serverApplicationTrafficSecret0(serverFinishedHash: Uint8Array): Uint8Array {
    return this.derive("server_application_traffic_secret_0", "master_secret", "s ap traffic", serverFinishedHash, "ClientHello...server Finished");
  }

  exporterMasterSecret(serverFinishedHash: Uint8Array): Uint8Array {
    return this.derive("exporter_master_secret", "master_secret", "exp master", serverFinishedHash, "ClientHello...server Finished");
  }

  resumptionMasterSecret(clientFinishedHash: Uint8Array): Uint8Array {
    return this.derive("resumption_master_secret", "master_secret", "res master", clientFinishedHash, "ClientHello...client Finished");
  }

  /** The Finished verify_data of one side, keyed by its handshake traffic secret (§4.4.4). */
  finished(side: "client" | "server", transcriptHash: Uint8Array): Uint8Array {
    const base = `${side}_handshake_traffic_secret`;
    const v = finishedVerifyData13(this.hash, this.need(base), transcriptHash);
    const through = side === "server" ? "ClientHello...server CertificateVerify" : "ClientHello...server Finished (...client CertificateVerify)";
    return this.emit(`${side}_finished`, v, [base, `transcript hash (${through})`], `HMAC(finished_key(${base}), Transcript-Hash(${through}))`);
  }

  /** PSK for a ticket (§4.6.1). */
  ticketPsk(ticketNonce: Uint8Array): Uint8Array {
    const v = resumptionPsk13(this.hash, this.need("resumption_master_secret"), ticketNonce);
    return this.emit(
      "resumption_psk",
      v,
      ["resumption_master_secret", "ticket_nonce"],
      'HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)',
    );
  }

  /** Traffic key and IV of a traffic secret held by this schedule (§7.3), reported as `<secret>: key` / `: iv`. */
  trafficKeys(params: SuiteParams, secretName: string): TrafficKeys {
    const secret = this.need(secretName);
    const keys = trafficKeys13(params, secret);
    this.emit(`${secretName} key`, keys.key, [secretName], `HKDF-Expand-Label(${secretName}, "key", "", ${params.keyLength})`);
    this.emit(`${secretName} iv`, keys.iv, [secretName], `HKDF-Expand-Label(${secretName}, "iv", "", ${params.fixedIvLength})`);
    return keys;
  }

  /** The next application traffic secret after a KeyUpdate (§7.2); names `<side>_application_traffic_secret_<N+1>`. */
  keyUpdate(side: "client" | "server", generation: number): Uint8Array {
    const from = `${side}_application_traffic_secret_${generation}`;
    const v = nextTrafficSecret13(this.hash, this.need(from));
    return this.emit(`${side}_application_traffic_secret_${generation + 1}`, v, [from], `HKDF-Expand-Label(${from}, "traffic upd", "", Hash.length)`);
  }
}
