/**
 * Alerts explained in context (RFC 8446 §6.2, RFC 5246 §7.2.2): which message the alert answered, and what in
 * the capture explains it — the certificate that was refused, the check that failed, the ALPN lists, the SNI.
 */
import { AlertDescription, AlertLevel, HandshakeType } from "../../tls/registry";
import { alertName, dirName, dirNameKo, firstFatal, handshakeCompleted, hellos, lastMessageBefore, shortList, shortListKo } from "./context";
import type { DiagnosisInput, Finding } from "./types";

const CERTIFICATE_ALERTS: ReadonlySet<number> = new Set([
  AlertDescription.bad_certificate,
  AlertDescription.unsupported_certificate,
  AlertDescription.certificate_revoked,
  AlertDescription.certificate_expired,
  AlertDescription.certificate_unknown,
  AlertDescription.unknown_ca,
  AlertDescription.certificate_required,
]);

/** Alerts whose cause the negotiation and downgrade rules explain in their own terms. */
const EXPLAINED_ELSEWHERE: ReadonlySet<number> = new Set([
  AlertDescription.handshake_failure,
  AlertDescription.insufficient_security,
  AlertDescription.protocol_version,
  AlertDescription.inappropriate_fallback,
]);

export function alertRules(input: DiagnosisInput): Finding[] {
  const out: Finding[] = [];
  const model = input.model;
  const h = hellos(input);
  model.alerts.forEach((a, index) => {
    const d = a.description;
    const path = `alerts[${index}]`;
    const peer = a.dir === "c2s" ? "s2c" : "c2s";
    const answered = lastMessageBefore(input, a.frame, peer);
    const answeredMsg = answered >= 0 ? model.messages[answered] : null;
    const fatal = a.level === AlertLevel.fatal;
    if (d === AlertDescription.unrecognized_name) {
      const sni = model.sni;
      out.push({
        code: "sni-unrecognized",
        severity: fatal ? "error" : "warning",
        en: `The server does not recognise the name ${sni !== null ? JSON.stringify(sni) : "(no SNI was sent)"} it was asked for (unrecognized_name${fatal ? "" : ", as a warning: the handshake may go on"})`,
        ko: `서버가 요청받은 이름 ${sni !== null ? JSON.stringify(sni) : "(SNI 없음)"}을 알지 못합니다 (unrecognized_name${fatal ? "" : ", 경고 수준: 핸드셰이크는 계속될 수 있음"})`,
        frames: [a.frame, ...(h.ch >= 0 ? [model.messages[h.ch].frame] : [])],
        fields: [...(h.ch >= 0 ? [`messages[${h.ch}].fields.sni`] : []), path],
        rfc: "RFC 6066 §3",
        action: { en: "Use a host name the server has a certificate and a virtual host for", ko: "서버에 인증서와 가상 호스트가 있는 호스트 이름을 쓰십시오" },
      });
      return;
    }
    if (!fatal || d === null || EXPLAINED_ELSEWHERE.has(d)) return;
    if (d === AlertDescription.no_application_protocol) {
      const offered = h.clientHello?.details.alpn ?? [];
      out.push({
        code: "alpn-no-overlap",
        severity: "error",
        en: `The server supports none of the application protocols the client offered (${shortList(offered.map((p) => JSON.stringify(p)))}) and answered with no_application_protocol`,
        ko: `클라이언트가 제시한 애플리케이션 프로토콜(${shortListKo(offered.map((p) => JSON.stringify(p)))}) 중 서버가 지원하는 것이 없어 no_application_protocol로 답했습니다`,
        frames: [a.frame, ...(h.ch >= 0 ? [model.messages[h.ch].frame] : [])],
        fields: [...(h.ch >= 0 ? [`messages[${h.ch}].fields.alpn`] : []), path],
        rfc: "RFC 7301 §3.2",
        action: { en: "Offer a protocol the server is configured for (h2, http/1.1...)", ko: "서버에 설정된 프로토콜(h2, http/1.1 등)을 제시하십시오" },
      });
      return;
    }
    if (CERTIFICATE_ALERTS.has(d)) {
      out.push(certificateAlert(input, a.dir, d, a.frame, path));
      return;
    }
    if (d === AlertDescription.decrypt_error) {
      const what =
        answeredMsg?.type === HandshakeType.certificate_verify
          ? {
              en: "the signature in its CertificateVerify did not verify with the certificate's public key",
              ko: "CertificateVerify의 서명이 인증서 공개 키로 검증되지 않았습니다",
              rfc: "RFC 8446 §4.4.3",
            }
          : answeredMsg?.type === HandshakeType.finished
            ? {
                en: "its Finished verify_data did not match the transcript (the two sides derived different keys)",
                ko: "Finished의 verify_data가 트랜스크립트와 맞지 않았습니다 (양쪽이 서로 다른 키를 유도함)",
                rfc: "RFC 8446 §4.4.4",
              }
            : answeredMsg?.type === HandshakeType.server_key_exchange
              ? {
                  en: "the signature over its ServerKeyExchange parameters did not verify",
                  ko: "ServerKeyExchange 매개변수에 대한 서명이 검증되지 않았습니다",
                  rfc: "RFC 5246 §7.4.3",
                }
              : { en: "a signature or Finished check failed", ko: "서명 또는 Finished 검사가 실패했습니다", rfc: "RFC 8446 §6.2" };
      out.push({
        code: "decrypt-error",
        severity: "error",
        en: `The ${dirName(a.dir)} sent decrypt_error${answeredMsg ? ` after the ${dirName(peer)}'s ${answeredMsg.name}` : ""}: ${what.en}`,
        ko: `${dirNameKo(a.dir)}가 ${answeredMsg ? `${dirNameKo(peer)}의 ${answeredMsg.name} 뒤에 ` : ""}decrypt_error를 보냈습니다: ${what.ko}`,
        frames: [a.frame, ...(answeredMsg ? [answeredMsg.frame] : [])],
        fields: [...(answered >= 0 ? [`messages[${answered}]`] : []), path],
        rfc: what.rfc,
        action: null,
      });
      return;
    }
    if (d === AlertDescription.bad_record_mac) {
      out.push({
        code: "bad-record-mac",
        severity: "error",
        en: `The ${dirName(a.dir)} could not authenticate a record from the ${dirName(peer)} (bad_record_mac): the two sides do not share the same keys, or a record was altered on the way`,
        ko: `${dirNameKo(a.dir)}가 ${dirNameKo(peer)}의 레코드를 인증하지 못했습니다 (bad_record_mac): 양쪽의 키가 다르거나 레코드가 도중에 바뀌었습니다`,
        frames: [a.frame],
        fields: [path],
        rfc: "RFC 8446 §5.2",
        action: null,
      });
      return;
    }
    if (d === AlertDescription.close_notify || d === AlertDescription.user_canceled) return;
    out.push({
      code: "fatal-alert",
      severity: "error",
      en: `The ${dirName(a.dir)} ended the connection with ${alertName(d)}${answeredMsg ? ` after the ${dirName(peer)}'s ${answeredMsg.name}` : ""}`,
      ko: `${dirNameKo(a.dir)}가 ${answeredMsg ? `${dirNameKo(peer)}의 ${answeredMsg.name} 뒤에 ` : ""}${alertName(d)}로 연결을 끝냈습니다`,
      frames: [a.frame, ...(answeredMsg ? [answeredMsg.frame] : [])],
      fields: [...(answered >= 0 ? [`messages[${answered}]`] : []), path],
      rfc: "RFC 8446 §6.2",
      action: null,
    });
  });
  // An alert record without keys (TLS 1.3 hides them in application_data; TLS 1.2 after CCS): say it is there.
  if (!firstFatal(input) && !handshakeCompleted(input) && model.alerts.some((a) => a.level === null) && !model.decrypted) {
    const a = model.alerts.find((x) => x.level === null)!;
    out.push({
      code: "encrypted-alert",
      severity: "info",
      en: `The ${dirName(a.dir)} sent an encrypted alert; without keys its level and description are unknown`,
      ko: `${dirNameKo(a.dir)}가 암호화된 경보를 보냈습니다; 키가 없으면 수준과 내용을 알 수 없습니다`,
      frames: [a.frame],
      fields: [`alerts[${model.alerts.indexOf(a)}]`],
      rfc: "RFC 5246 §7.2",
      action: { en: "Give the key log to read it", ko: "키 로그를 주면 읽을 수 있습니다" },
    });
  }
  return out;
}

function certificateAlert(input: DiagnosisInput, by: "c2s" | "s2c", d: number, frame: number, path: string): Finding {
  const model = input.model;
  const ofSide = by === "c2s" ? "s2c" : "c2s";
  const certIndex = input.find("Certificate", ofSide);
  const name = alertName(d);
  const frames = [frame];
  const fields: string[] = [];
  if (certIndex >= 0) {
    frames.push(model.messages[certIndex].frame);
    fields.push(`messages[${certIndex}].fields.certificates`);
  }
  fields.push(path);
  if (d === AlertDescription.certificate_required) {
    return {
      code: "client-certificate-required",
      severity: "error",
      en: `The server requires a client certificate and the client ${certIndex >= 0 ? "sent an empty Certificate" : "sent none"} (certificate_required)`,
      ko: `서버가 클라이언트 인증서를 요구했지만 클라이언트가 ${certIndex >= 0 ? "빈 Certificate를 보냈습니다" : "보내지 않았습니다"} (certificate_required)`,
      frames,
      fields,
      rfc: "RFC 8446 §4.4.2.4",
      action: {
        en: "Configure the client with a certificate and key the server's CA issued",
        ko: "서버의 CA가 발급한 인증서와 키를 클라이언트에 설정하십시오",
      },
    };
  }
  const whose = by === "c2s" ? "server's" : "client's";
  const whoseKo = by === "c2s" ? "서버" : "클라이언트";
  const why: Record<number, { en: string; ko: string }> = {
    [AlertDescription.unknown_ca]: { en: "its chain does not lead to a CA the peer trusts", ko: "체인이 상대가 신뢰하는 CA로 이어지지 않습니다" },
    [AlertDescription.certificate_expired]: { en: "it has expired or is not yet valid", ko: "만료되었거나 아직 유효하지 않습니다" },
    [AlertDescription.bad_certificate]: { en: "it is corrupt, or its signature or names do not check out", ko: "손상되었거나 서명 또는 이름이 맞지 않습니다" },
    [AlertDescription.certificate_revoked]: { en: "its signer revoked it", ko: "서명자가 폐기했습니다" },
    [AlertDescription.unsupported_certificate]: { en: "it is of a type the peer does not support", ko: "상대가 지원하지 않는 종류입니다" },
    [AlertDescription.certificate_unknown]: { en: "the peer could not accept it for another reason", ko: "상대가 다른 이유로 받아들이지 못했습니다" },
  };
  const w = why[d] ?? why[AlertDescription.certificate_unknown];
  return {
    code: "certificate-rejected",
    severity: "error",
    en: `The ${dirName(by)} rejected the ${whose} certificate with ${name}: ${w.en} (see the certificate checks)`,
    ko: `${dirNameKo(by)}가 ${whoseKo} 인증서를 ${name}로 거부했습니다: ${w.ko} (인증서 검사 참조)`,
    frames,
    fields,
    rfc: "RFC 8446 §6.2",
    action:
      d === AlertDescription.unknown_ca
        ? {
            en: "Send the intermediate certificates and make the peer trust the root (its CA file)",
            ko: "중간 인증서를 함께 보내고 상대가 루트를 신뢰하게 하십시오 (CA 파일)",
          }
        : d === AlertDescription.certificate_expired
          ? { en: "Renew the certificate (or check the clock of the side that refused it)", ko: "인증서를 갱신하십시오 (또는 거부한 쪽의 시계를 확인하십시오)" }
          : null,
  };
}
