/**
 * The TLS 1.3 server's flights (RFC 8446): the ClientHello (suite, key share, PSK with a verified binder), a
 * HelloRetryRequest when no acceptable share came, the server's flight (ServerHello, EncryptedExtensions,
 * CertificateRequest, Certificate, CertificateVerify, Finished), the client's Finished and the ticket after it.
 * Each function takes the state the server waits in and returns the next.
 */
import type { DecodedHandshake } from "../../tls/handshake/types";
import * as E from "../../tls/encode";
import { ExtensionType, ProtocolVersion } from "../../tls/registry";
import { Alert, decoded, ProtocolError } from "../alerts";
import { HybridError, hybridLayout, logServerShare } from "../hybridKex";
import { groupName, isSupportedGroup, keyPairFor, sharedSecretFor } from "../kex";
import type { KeySchedule13 } from "../keySchedule13";
import type { Credential, Server } from "../server";
import { ServerSessionCache } from "../sessions";
import { chooseScheme, SCHEMES, schemeName, signWithScheme } from "../signatures";
import { suiteParams, type SuiteParams } from "../suites";
import { messageHash, transcriptHash } from "../transcript";
import type { PublicKeyInfo } from "../x509Parse";
import { certificateVerifyContent, equalBytes, EXTRA_GROUPS, hex, SERVER_GROUPS_13, SERVER_SUITES_13, VERIFIABLE_SCHEMES } from "../tls13Common";

/** What every state after the ServerHello knows. */
export interface ServerHandshake13 {
  suite: SuiteParams;
  ks: KeySchedule13;
}

/** After a HelloRetryRequest: what the second ClientHello must match (RFC 8446 §4.1.2). */
export interface Retry13 {
  ch1: DecodedHandshake;
  suite: SuiteParams;
  group: number;
  /** message_hash(ClientHello1) and the HelloRetryRequest: the binder's transcript prefix. */
  prefix: Uint8Array[];
  sentCcs: boolean;
}

export type Server13State =
  | { at: "ClientHello2"; retry: Retry13 }
  | { at: "Certificate"; tls13: ServerHandshake13 }
  | { at: "CertificateVerify"; tls13: ServerHandshake13; clientKey: PublicKeyInfo }
  | { at: "Finished"; tls13: ServerHandshake13 }
  | { at: "Done"; tls13: ServerHandshake13 };

/**
 * A TLS 1.3 ClientHello, first or second (`retry`): the suite, then a key share of a group we accept (or a
 * HelloRetryRequest asking for one), a PSK, and the server's whole flight.
 */
export function onClientHello13(sv: Server, m: DecodedHandshake, retry: Retry13 | undefined): Server13State {
  const d = m.details;
  const clientSuites = d.cipherSuites ?? [];
  const clientGroups = (m.fields.supportedGroups as number[] | undefined) ?? [];
  const shares = d.keyShares ?? [];
  let suite: SuiteParams;
  if (!retry) {
    const prefs = (sv.o.cipherSuites ?? SERVER_SUITES_13).filter((s) => suiteParams(s)?.tls13);
    const code = prefs.find((s) => clientSuites.includes(s));
    suite = sv.must(
      "a common TLS 1.3 cipher suite",
      code !== undefined && suiteParams(code),
      `client offers ${clientSuites.map((s) => "0x" + s.toString(16)).join(", ")}`,
      Alert.handshake_failure,
    );
    sv.suite = suite;
    sv.transcript.setHash(suite.hash);
  } else {
    suite = retry.suite;
    const c1 = retry.ch1.details;
    sv.require(
      "second ClientHello keeps random and session id",
      equalBytes(decoded(c1.random, "random"), decoded(d.random, "random")) &&
        equalBytes(decoded(c1.sessionId, "session id"), decoded(d.sessionId, "session id")),
      "RFC 8446 §4.1.2",
      Alert.illegal_parameter,
    );
  }
  sv.absorb(m.raw);
  const groups = (sv.o.groups ?? [...SERVER_GROUPS_13, ...EXTRA_GROUPS]).filter(isSupportedGroup);
  let share = undefined as (typeof shares)[number] | undefined;
  for (const g of groups) {
    share = shares.find((s) => s.group === g);
    if (share) break;
  }
  if (retry) {
    sv.require(
      "second ClientHello has the requested key share",
      !!share && share.group === retry.group && shares.length === 1,
      `requested ${groupName(retry.group)}`,
      Alert.illegal_parameter,
    );
  }
  const cred = sv.pickCredential13(sv.clientSchemes(m));
  if (!share) {
    const group = sv.must(
      "a common key exchange group",
      groups.find((g) => clientGroups.includes(g)),
      `client supports ${clientGroups.map(groupName).join(", ")}`,
      Alert.handshake_failure,
    );
    return sendHelloRetryRequest(sv, m, suite, group, retry !== undefined);
  }
  const hash = suite.hash;
  // PSK resumption (RFC 8446 §4.2.11): psk_dhe_ke only.
  const modes = d.extensions?.find((e) => e.type === ExtensionType.psk_key_exchange_modes)?.data;
  const pskOk = !!modes && [...modes.subarray(1)].includes(1);
  let ks: KeySchedule13 | undefined;
  if (d.pskIdentities?.length && pskOk) {
    const ticket = sv.cache.tickets13.get(ServerSessionCache.key(d.pskIdentities[0]));
    if (ticket && suiteParams(ticket.suite)?.hash === hash) {
      const psk = sv.newSchedule(hash);
      psk.earlySecret(ticket.psk);
      psk.binderKey(true);
      const truncated = m.raw.subarray(0, decoded(d.pskBindersOffset, "binders offset"));
      const expected = psk.binder(transcriptHash(hash, [...(retry?.prefix ?? []), truncated]));
      const got = decoded(d.pskBinders, "binders")[0];
      sv.require(
        "PSK binder",
        equalBytes(expected, got),
        equalBytes(expected, got) ? `binder ${hex(got)} matches the HMAC over the truncated ClientHello` : `received ${hex(got)}, expected ${hex(expected)}`,
        Alert.decrypt_error,
      );
      ks = psk;
    } else {
      sv.log.check(
        "server",
        "PSK identity known",
        false,
        "ticket not issued by this server (or another hash): full handshake",
        "not fatal: the server falls back to a full handshake",
      );
    }
  }
  const certificate = ks ? undefined : sv.must("server has a certificate", cred, "no credential configured", Alert.handshake_failure);
  if (!ks) {
    ks = sv.newSchedule(hash);
    ks.earlySecret();
  }
  return sendServerFlight13(sv, m, { suite, ks, share, certificate, sentCcs: retry?.sentCcs ?? false });
}

/**
 * The server's flight once the suite, the share and the PSK are settled (RFC 8446 §4.1.3–§4.4.4): ServerHello, the
 * handshake keys, EncryptedExtensions, authentication in a full handshake, Finished and the application keys.
 */
function sendServerFlight13(
  sv: Server,
  m: DecodedHandshake,
  f: { suite: SuiteParams; ks: KeySchedule13; share: { group: number; keyExchange: Uint8Array }; certificate?: Credential; sentCcs: boolean },
): Server13State {
  const { suite, ks, share, certificate } = f;
  const d = m.details;
  const { publicKey, shared } = keyExchange13(sv, share.group, share.keyExchange);
  const serverRandom = sv.rng(32);
  sv.secret("server_random", serverRandom, [], "32 random bytes: ServerHello.random");
  const exts = [E.supportedVersionsServerExt(ProtocolVersion.TLSv1_3), E.keyShareServerExt({ group: share.group, keyExchange: publicKey })];
  if (!certificate) exts.push(E.preSharedKeyServerExt(0));
  sv.sendHandshake(E.encodeServerHello({ random: serverRandom, sessionId: decoded(d.sessionId, "session id"), cipherSuite: suite.suite, extensions: exts }));
  ks.handshakeSecret(shared);
  const th = sv.transcript.current();
  ks.clientHandshakeTrafficSecret(th);
  ks.serverHandshakeTrafficSecret(th);
  sv.middleboxCcs(f.sentCcs);
  sv.setWriteKeys(suite, ks.trafficKeys(suite, "server_handshake_traffic_secret"), "handshake");
  sv.setReadKeys(suite, ks.trafficKeys(suite, "client_handshake_traffic_secret"), "handshake");
  const ee: E.ExtensionData[] = [];
  if (d.sni) ee.push(E.serverNameAck());
  sv.alpn = sv.pickAlpn(d.alpn);
  if (sv.alpn) ee.push(E.alpnExt([sv.alpn]));
  sv.sendHandshake(E.encodeEncryptedExtensions(ee));
  const requested = !!certificate && !!sv.o.requestClientCertificate;
  if (certificate) sendCertificate13(sv, m, certificate, requested);
  sv.sendHandshake(E.encodeFinished(ks.finished("server", sv.transcript.current())));
  const th2 = sv.transcript.current();
  ks.masterSecret();
  ks.clientApplicationTrafficSecret0(th2);
  ks.serverApplicationTrafficSecret0(th2);
  ks.exporterMasterSecret(th2);
  sv.setWriteKeys(suite, ks.trafficKeys(suite, "server_application_traffic_secret_0"), "application");
  const hs = { suite, ks };
  return requested ? { at: "Certificate", tls13: hs } : { at: "Finished", tls13: hs };
}

/** RFC 8446 §4.1.4: no key share for an acceptable group; ClientHello1 becomes message_hash in the transcript. */
function sendHelloRetryRequest(sv: Server, ch1: DecodedHandshake, suite: SuiteParams, group: number, retried: boolean): Server13State {
  if (retried) throw new ProtocolError(Alert.illegal_parameter, "no acceptable key share after HelloRetryRequest", "key share");
  const hash = suite.hash;
  const ch1Hash = sv.transcript.current();
  sv.transcript.replaceWithMessageHash();
  const hrr = E.encodeHelloRetryRequest({
    sessionId: sv.clientSessionId,
    cipherSuite: suite.suite,
    extensions: [E.supportedVersionsServerExt(ProtocolVersion.TLSv1_3), E.keyShareHrrExt(group)],
  });
  sv.sendHandshake(hrr, { note: `no key share for an acceptable group: asking for ${groupName(group)} (RFC 8446 §4.1.4)` });
  const prefix = [messageHash(hash, ch1Hash), hrr];
  const sentCcs = sv.middleboxCcs(false);
  return { at: "ClientHello2", retry: { ch1, suite, group, prefix, sentCcs } };
}

/** The server's key_share and the (EC)DHE input: ECDH or finite-field, or a hybrid's encapsulation and ECDH. */
function keyExchange13(sv: Server, group: number, clientShare: Uint8Array): { publicKey: Uint8Array; shared: Uint8Array } {
  const hybrid = hybridLayout(group);
  try {
    if (hybrid) {
      const s = logServerShare(hybrid, clientShare, sv.rng, (...a) => sv.secret(...a));
      return { publicKey: s.publicKey, shared: s.sharedSecret };
    }
    const kp = keyPairFor(group, sv.rng);
    sv.secret(`server ${groupName(group)} private key`, kp.privateKey, [], "random scalar (never sent)");
    const shared = sharedSecretFor(group, kp.privateKey, clientShare, true);
    sv.secret(
      "(EC)DHE shared secret",
      shared,
      [`server ${groupName(group)} private key`, "client key_share"],
      `${groupName(group)}(server private key, client public key)`,
    );
    return { publicKey: kp.publicKey, shared };
  } catch (e) {
    const alert = e instanceof HybridError && e.alert === "internal_error" ? Alert.internal_error : Alert.illegal_parameter;
    throw new ProtocolError(alert, `client key share: ${(e as Error).message}`, "client key share is valid");
  }
}

/** A full handshake's authentication: CertificateRequest when configured, Certificate and CertificateVerify (RFC 8446 §4.4). */
function sendCertificate13(sv: Server, ch: DecodedHandshake, cred: Credential, requestClientCertificate: boolean): void {
  if (requestClientCertificate) {
    const schemes = VERIFIABLE_SCHEMES.filter((x) => SCHEMES.get(x)?.tls13);
    sv.sendHandshake(E.encodeCertificateRequest13(new Uint8Array(0), [E.signatureAlgorithmsExt(schemes)]));
  }
  sv.sendHandshake(E.encodeCertificate13(cred.chain));
  const scheme = sv.must(
    "a common signature scheme",
    chooseScheme(cred.key, sv.clientSchemes(ch), true, sv.o.signatureScheme),
    `client offers ${sv.clientSchemes(ch).map(schemeName).join(", ")}`,
    Alert.handshake_failure,
  );
  const content = certificateVerifyContent("server", sv.transcript.current());
  sv.sendHandshake(E.encodeCertificateVerify(scheme, signWithScheme(cred.key, scheme, content, sv.rng)));
}

/** The client's Certificate (asked for): none is acceptable unless required (RFC 8446 §4.4.2.4). */
export function onClientCertificate13(sv: Server, hs: ServerHandshake13, m: DecodedHandshake): Server13State {
  const clientKey = sv.checkClientCertificate(m);
  return clientKey ? { at: "CertificateVerify", tls13: hs, clientKey } : { at: "Finished", tls13: hs };
}

export function onClientCertificateVerify13(sv: Server, s: Extract<Server13State, { at: "CertificateVerify" }>, m: DecodedHandshake): Server13State {
  sv.verifyClientSignature(m, s.clientKey, certificateVerifyContent("client", sv.transcript.current()), false);
  return { at: "Finished", tls13: s.tls13 };
}

/** The client's Finished: the connection is up, and a ticket goes out (RFC 8446 §4.6.1) unless disabled. */
export function onFinished13(sv: Server, hs: ServerHandshake13, m: DecodedHandshake): Server13State {
  const { ks, suite } = hs;
  const expected = ks.finished("client", sv.transcript.current());
  const got = decoded(m.details.verifyData, "verify_data");
  const ok = equalBytes(expected, got);
  sv.markFinished("c2s", ok);
  sv.require("client Finished verify_data", ok, ok ? `HMAC matches ${hex(expected)}` : `received ${hex(got)}, expected ${hex(expected)}`, Alert.decrypt_error);
  sv.absorb(m.raw);
  sv.setReadKeys(suite, ks.trafficKeys(suite, "client_application_traffic_secret_0"), "application");
  ks.resumptionMasterSecret(sv.transcript.current());
  sv.state = "connected";
  if (sv.o.issueTickets !== false) sendTicket13(sv, hs, 0);
  return { at: "Done", tls13: hs };
}

/**
 * RFC 8446 §4.6.1: a ticket whose PSK is HKDF-Expand-Label(resumption_master_secret, "resumption", nonce); the
 * ticket itself is an opaque handle into the server's session cache.
 */
function sendTicket13(sv: Server, hs: ServerHandshake13, n: number): void {
  const nonce = Uint8Array.of(n);
  const psk = hs.ks.ticketPsk(nonce);
  const ticket = sv.rng(32);
  const ageAdd = new DataView(sv.rng(4).buffer).getUint32(0);
  sv.cache.remember(sv.cache.tickets13, ticket, { suite: hs.suite.suite, psk, ageAdd });
  sv.sendHandshake(E.encodeNewSessionTicket13({ lifetime: 7200, ageAdd, nonce, ticket }), {
    inTranscript: false,
    note: "the ticket is an opaque handle into the server's session cache",
  });
}
