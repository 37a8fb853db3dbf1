/**
 * Why a connection stayed encrypted although keys were given: no key log entry for its client_random, TLS 1.3
 * labels missing (RFC 8446 §7.1, the NSS key log format), keys that open no record, an RSA key that is not the
 * certificate's (RFC 5246 §7.4.7.1) or an (EC)DHE exchange no private key can undo, a capture that begins after
 * the ClientHello, segments lost before the Finished, a suite the decryptor does not implement.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { suiteParams } from "../../engine/suites";
import { ExtensionType, ProtocolVersion } from "../../tls/registry";
import { dirName, dirNameKo, hasExtension, hellos, suiteName } from "./context";
import type { DiagnosisInput, Finding } from "./types";

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");

const TLS13_LABELS = ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0"];
const EARLY_LABEL = "CLIENT_EARLY_TRAFFIC_SECRET";

const logAll = {
  en: "Log every secret of the connection: SSLKEYLOGFILE of the client that made it (current OpenSSL, NSS, curl, Chromium log every TLS 1.3 label)",
  ko: "연결의 모든 비밀을 기록하십시오: 연결을 만든 클라이언트의 SSLKEYLOGFILE (최신 OpenSSL, NSS, curl, Chromium은 TLS 1.3 레이블을 모두 기록함)",
};

export function decryptionRules(input: DiagnosisInput): Finding[] {
  const out: Finding[] = [];
  const model = input.model;
  const keys = input.keys;
  const withKeys = keys !== null && (keys.loggedRandoms > 0 || keys.rsaKeys.length > 0);
  out.push(...lostSegments(input));
  const h = hellos(input);
  const protectedRecords = input.facts.protectedRecords.c2s + input.facts.protectedRecords.s2c;
  if (!h.clientHello) {
    // Without the SYN the capture began inside the connection; with it, the ClientHello was lost (segments-lost).
    if (!input.facts.synSeen && h.ch < 0) {
      out.push({
        code: "capture-starts-mid-connection",
        severity: withKeys ? "error" : "info",
        en: "The capture starts after the connection's ClientHello: without its client_random no key log entry can be matched, and the handshake is not visible",
        ko: "캡처가 연결의 ClientHello 이후부터 시작합니다: client_random이 없어 키 로그 항목을 찾을 수 없고 핸드셰이크도 보이지 않습니다",
        frames: model.firstFrame !== undefined ? [model.firstFrame] : [],
        fields: [],
        rfc: "RFC 8446 §4.1.2",
        action: { en: "Start the capture before the client connects", ko: "클라이언트가 접속하기 전에 캡처를 시작하십시오" },
      });
    }
    return out;
  }
  if (!withKeys || model.decrypted === undefined) return out;
  const random = h.clientHello.details.random;
  if (!random || model.version === null || model.cipherSuite === null) return out;
  const chFrame = model.messages[h.ch].frame;
  const randomPath = `messages[${h.ch}].fields.random`;
  const labels = keys.labelsFor(hex(random));
  const tls13 = model.version === ProtocolVersion.TLSv1_3;
  const params = suiteParams(model.cipherSuite);
  const shFrame = h.sh >= 0 ? model.messages[h.sh].frame : chFrame;
  if (protectedRecords === 0) return out;

  if (!labels && keys.loggedRandoms > 0 && !(keys.rsaKeys.length && !tls13)) {
    out.push({
      code: "keylog-no-match",
      severity: "error",
      en: `The key log has no secrets for this connection's client_random ${hex(random)} (it holds ${keys.loggedRandoms} other client random(s)): it was written for other connections`,
      ko: `키 로그에 이 연결의 client_random ${hex(random)}에 대한 비밀이 없습니다 (다른 client random ${keys.loggedRandoms}개만 있음): 다른 연결의 키 로그입니다`,
      frames: [chFrame],
      fields: [randomPath],
      rfc: "RFC 8446 §7.1",
      action: {
        en: "Use the key log the client wrote while this capture was taken (same session of the same program)",
        ko: "이 캡처를 하는 동안 클라이언트가 쓴 키 로그를 쓰십시오 (같은 프로그램의 같은 실행)",
      },
    });
    return out;
  }
  if (labels && tls13) {
    // Only what a direction's unopened records needed: a handshake that stopped early never had application secrets.
    const missing: string[] = [];
    const f = input.facts;
    const earlyOffered = hasExtension(h.clientHello, ExtensionType.early_data);
    for (const dir of ["c2s", "s2c"] as const) {
      if (f.protectedRecords[dir] <= f.opened[dir] || f.decryptFailures[dir]) continue;
      const side = dir === "c2s" ? "CLIENT" : "SERVER";
      for (const l of [`${side}_HANDSHAKE_TRAFFIC_SECRET`, `${side}_TRAFFIC_SECRET_0`]) if (!labels.has(l)) missing.push(l);
      if (dir === "c2s" && earlyOffered && !labels.has(EARLY_LABEL)) missing.unshift(EARLY_LABEL);
    }
    if (missing.length) {
      const onlyTls12 = labels.has("CLIENT_RANDOM") && TLS13_LABELS.every((l) => !labels.has(l));
      const onlyEarly = missing.length === 1 && missing[0] === EARLY_LABEL;
      out.push({
        code: "keylog-missing-labels",
        severity: onlyEarly ? "warning" : "error",
        en: onlyTls12
          ? `The key log has only CLIENT_RANDOM for this TLS 1.3 connection — a TLS 1.2 label; TLS 1.3 needs ${missing.join(", ")}`
          : `The key log has ${[...labels].join(", ")} for this connection but not ${missing.join(", ")}${onlyEarly ? ": the 0-RTT records stay encrypted" : ""}`,
        ko: onlyTls12
          ? `키 로그에 이 TLS 1.3 연결의 CLIENT_RANDOM(TLS 1.2 레이블)만 있습니다; TLS 1.3에는 ${missing.join(", ")}가 필요합니다`
          : `키 로그에 이 연결의 ${[...labels].join(", ")}는 있지만 ${missing.join(", ")}는 없습니다${onlyEarly ? ": 0-RTT 레코드는 암호화된 채로 남습니다" : ""}`,
        frames: [chFrame],
        fields: [randomPath],
        rfc: "RFC 8446 §7.1",
        action: logAll,
      });
    }
  }
  if (!tls13 && (!labels || !labels.has("CLIENT_RANDOM"))) {
    const kx = params?.keyExchange;
    if (keys.rsaKeys.length && kx === "RSA" && !model.decrypted) {
      const mismatch = rsaMismatch(input, keys.rsaKeys);
      if (mismatch) out.push(mismatch);
    } else if (keys.rsaKeys.length && (kx === "ECDHE" || kx === "DHE")) {
      out.push({
        code: "rsa-key-cannot-decrypt",
        severity: "error",
        en: `The connection uses ${suiteName(model.cipherSuite)}: its premaster secret comes from an ephemeral ${kx} exchange, so the server's private key cannot recover it (forward secrecy)`,
        ko: `이 연결은 ${suiteName(model.cipherSuite)}를 씁니다: premaster secret이 임시 ${kx} 교환에서 나오므로 서버 개인 키로는 복원할 수 없습니다 (전방 비밀성)`,
        frames: [shFrame],
        fields: h.sh >= 0 ? [`messages[${h.sh}].fields.cipherSuite`] : [],
        rfc: kx === "ECDHE" ? "RFC 8422 §2" : "RFC 5246 §7.4.3",
        action: { en: "Give a key log (CLIENT_RANDOM lines) instead of the private key", ko: "개인 키 대신 키 로그(CLIENT_RANDOM 줄)를 주십시오" },
      });
    } else if (labels) {
      out.push({
        code: "keylog-missing-labels",
        severity: "error",
        en: `The key log has ${[...labels].join(", ")} for this TLS 1.2 connection but not CLIENT_RANDOM (its master secret)`,
        ko: `키 로그에 이 TLS 1.2 연결의 ${[...labels].join(", ")}는 있지만 CLIENT_RANDOM(master secret)은 없습니다`,
        frames: [chFrame],
        fields: [randomPath],
        rfc: "RFC 5246 §8.1",
        action: logAll,
      });
    }
  }
  if (!params && (labels || keys.rsaKeys.length)) {
    out.push({
      code: "suite-not-supported",
      severity: "error",
      en: `The decryptor does not implement ${suiteName(model.cipherSuite)} (0x${model.cipherSuite.toString(16).padStart(4, "0")}): the keys are there but its records stay encrypted`,
      ko: `복호기가 ${suiteName(model.cipherSuite)} (0x${model.cipherSuite.toString(16).padStart(4, "0")})를 구현하지 않습니다: 키는 있지만 레코드는 암호화된 채로 남습니다`,
      frames: [shFrame],
      fields: h.sh >= 0 ? [`messages[${h.sh}].fields.cipherSuite`] : [],
      rfc: tls13 ? "RFC 8446 §B.4" : "RFC 5246 §A.5",
      action: null,
    });
    return out;
  }
  const failures = input.facts.decryptFailures;
  for (const dir of ["s2c", "c2s"] as const) {
    const fail = failures[dir];
    if (!fail) continue;
    const other = dir === "c2s" ? "s2c" : "c2s";
    const otherOk = input.facts.opened[other] > 0;
    const openedHere = input.facts.opened[dir];
    out.push({
      code: "keys-wrong",
      severity: "error",
      en: `The key log's secrets for this client_random do not open the ${dirName(dir)}'s records: record ${fail.record >= 0 ? fail.record : "?"} (frame ${fail.frame}) fails: ${fail.error}; ${openedHere ? `${openedHere} earlier record(s) of this direction opened; ` : ""}the ${dirName(other)}'s records ${otherOk ? "decrypt" : "do not decrypt either"}`,
      ko: `이 client_random에 대한 키 로그의 비밀로 ${dirNameKo(dir)} 레코드를 열 수 없습니다: 레코드 ${fail.record >= 0 ? fail.record : "?"} (프레임 ${fail.frame}) 실패: ${fail.error}; ${openedHere ? `이 방향의 앞선 레코드 ${openedHere}개는 열렸음; ` : ""}${dirNameKo(other)} 레코드는 ${otherOk ? "복호화됩니다" : "역시 복호화되지 않습니다"}`,
      frames: [fail.frame],
      fields: [...(fail.record >= 0 ? [`records[${fail.record}]`] : []), randomPath],
      rfc: tls13 ? "RFC 8446 §5.2" : "RFC 5246 §6.2.3",
      action: {
        en: "The secrets belong to another connection or were altered: use the key log written for this capture",
        ko: "비밀이 다른 연결의 것이거나 바뀌었습니다: 이 캡처에 맞게 기록된 키 로그를 쓰십시오",
      },
    });
  }
  return out;
}

/** The RSA key-transport case: which of the given keys is the certificate's (by modulus), if none. */
function rsaMismatch(input: DiagnosisInput, pems: readonly string[]): Finding | null {
  const ci = input.find("Certificate", "s2c");
  const leafDer = ci >= 0 ? input.message(ci)?.details.certificates?.[0] : undefined;
  if (!leafDer) return null;
  let certN: string;
  try {
    certN = (new X509Certificate(leafDer).publicKey.export({ format: "jwk" }) as { n?: string }).n ?? "";
  } catch {
    return null;
  }
  const keyNs: string[] = [];
  for (const pem of pems) {
    try {
      keyNs.push((createPublicKey(createPrivateKey(pem)).export({ format: "jwk" }) as { n?: string }).n ?? "");
    } catch {
      keyNs.push("");
    }
  }
  if (keyNs.includes(certN)) return null;
  const short = (n: string) => (n ? Buffer.from(n, "base64url").toString("hex").slice(0, 16) + "…" : "(not RSA)");
  return {
    code: "rsa-key-mismatch",
    severity: "error",
    en: `None of the ${pems.length} RSA private key(s) given is the server certificate's: its modulus begins ${short(certN)}, the key's ${keyNs.map(short).join(", ")}`,
    ko: `주어진 RSA 개인 키 ${pems.length}개 중 서버 인증서의 키가 없습니다: 인증서 modulus는 ${short(certN)}로 시작하고, 키는 ${keyNs.map(short).join(", ")}입니다`,
    frames: [input.model.messages[ci].frame],
    fields: [`messages[${ci}].fields.certificates[0]`],
    rfc: "RFC 5246 §7.4.7.1",
    action: { en: "Give the private key that belongs to the certificate the server sent", ko: "서버가 보낸 인증서에 맞는 개인 키를 주십시오" },
  };
}

/** Segments never captured: before the Finished they break the handshake's decoding (and decryption). */
function lostSegments(input: DiagnosisInput): Finding[] {
  const model = input.model;
  const gaps = model.errors.filter((e) => e.message.includes("missing from the capture"));
  if (!gaps.length) return [];
  const finished = model.messages.filter((m) => m.name === "Finished");
  const lastFinished = finished.length >= 2 ? finished[finished.length - 1].frame : Infinity;
  const early = gaps.filter((g) => (g.frame ?? 0) <= lastFinished);
  const first = (early.length ? early : gaps)[0];
  const before = early.length > 0;
  return [
    {
      code: "segments-lost",
      severity: before ? "error" : "warning",
      en: `${gaps.length} stretch(es) of the TCP stream were not captured${before ? ", before the handshake's Finished: later handshake messages cannot be reassembled and records cannot be decrypted" : " (after the handshake)"}; the first: ${first.message}`,
      ko: `TCP 스트림의 ${gaps.length}개 구간이 캡처되지 않았습니다${before ? " (핸드셰이크의 Finished 전): 이후 핸드셰이크 메시지를 재조립할 수 없고 레코드도 복호화할 수 없습니다" : " (핸드셰이크 뒤)"}; 첫 번째: ${first.message}`,
      frames: gaps
        .slice(0, 8)
        .map((g) => g.frame ?? 0)
        .filter((x) => x > 0),
      fields: [`errors[${model.errors.indexOf(first)}]`],
      rfc: "RFC 8446 §5.1",
      action: {
        en: "Capture with a larger buffer (tcpdump -B) and full snap length (-s 0), on the host itself",
        ko: "호스트 자체에서 더 큰 버퍼(tcpdump -B)와 전체 스냅 길이(-s 0)로 캡처하십시오",
      },
    },
  ];
}
