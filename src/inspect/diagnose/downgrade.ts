/**
 * Downgrade and continuity signs: the RFC 8446 §4.1.3 sentinel in a ServerHello random, TLS_FALLBACK_SCSV and
 * inappropriate_fallback (RFC 7507), a renegotiation without RFC 5746's protection, a resumption the server turned
 * into a full handshake (RFC 8446 §2.2, RFC 5077 §3.4), 0-RTT the server rejected (RFC 8446 §4.2.10).
 */
import { AlertDescription, CipherSuite, ExtensionType, HandshakeType, ProtocolVersion } from "../../tls/registry";
import { fieldList, hasExtension, hellos, offeredVersions, vName } from "./context";
import type { DiagnosisInput, Finding } from "./types";

/** "DOWNGRD" followed by 01 (TLS 1.2 negotiated) or 00 (TLS 1.1 or below), RFC 8446 §4.1.3. */
const DOWNGRD = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44];

function sentinel(random: Uint8Array): number | null {
  if (random.length !== 32) return null;
  for (let i = 0; i < 7; i++) if (random[24 + i] !== DOWNGRD[i]) return null;
  return random[31] === 1 || random[31] === 0 ? random[31] : null;
}

export function downgradeRules(input: DiagnosisInput): Finding[] {
  const out: Finding[] = [];
  const model = input.model;
  const ms = model.messages;
  const h = hellos(input);
  const ch = h.clientHello;
  const sh = h.serverHello;
  const chPath = (k: string) => `messages[${h.ch}].fields.${k}`;
  const shPath = (k: string) => `messages[${h.sh}].fields.${k}`;
  if (sh && sh.details.random) {
    const s = sentinel(sh.details.random);
    const offered13 = ch ? offeredVersions(ch).includes(ProtocolVersion.TLSv1_3) : false;
    // Without TLS 1.3 in the offer, the sentinel is what RFC 8446 §4.1.3 asks a TLS 1.3 server to send: no finding.
    if (s !== null && model.version !== ProtocolVersion.TLSv1_3 && offered13) {
      out.push({
        code: "downgrade-sentinel",
        severity: "error",
        en: `The ServerHello random ends in the downgrade sentinel "DOWNGRD" ${s === 1 ? "01" : "00"}: a TLS 1.3 server negotiated ${model.version !== null ? vName(model.version) : "an older version"}${offered13 ? " although the client offered TLS 1.3 — a client that supports TLS 1.3 must abort (something between them removed it)" : ", because the client did not offer TLS 1.3"}`,
        ko: `ServerHello random이 다운그레이드 표지 "DOWNGRD" ${s === 1 ? "01" : "00"}로 끝납니다: TLS 1.3 서버가 ${model.version !== null ? vName(model.version) : "이전 버전"}을 협상했습니다${offered13 ? ". 클라이언트가 TLS 1.3을 제시했는데도 그렇습니다 — TLS 1.3을 지원하는 클라이언트는 중단해야 합니다 (중간에서 무언가가 제거함)" : " (클라이언트가 TLS 1.3을 제시하지 않았기 때문)"}`,
        frames: [ms[h.sh].frame],
        fields: [shPath("random"), ...(ch ? [chPath(hasExtension(ch, ExtensionType.supported_versions) ? "supportedVersions" : "legacyVersion")] : [])],
        rfc: "RFC 8446 §4.1.3",
        action: offered13 ? { en: "Look for a middlebox that rewrites the ClientHello", ko: "ClientHello를 고쳐 쓰는 중간 장비를 찾아보십시오" } : null,
      });
    }
  }
  if (ch && fieldList(ch, "cipherSuites").includes(CipherSuite.TLS_FALLBACK_SCSV)) {
    const refused = model.alerts.findIndex((a) => a.description === AlertDescription.inappropriate_fallback);
    out.push({
      code: refused >= 0 ? "inappropriate-fallback" : "fallback-scsv",
      severity: refused >= 0 ? "error" : "info",
      en:
        refused >= 0
          ? "The client retried with a lower version and TLS_FALLBACK_SCSV; the server supports a higher one and refused with inappropriate_fallback"
          : `The ClientHello carries TLS_FALLBACK_SCSV: this is a retry at a lower version (${shortVersions(ch)}) after a failed attempt`,
      ko:
        refused >= 0
          ? "클라이언트가 더 낮은 버전과 TLS_FALLBACK_SCSV로 재시도했고, 더 높은 버전을 지원하는 서버가 inappropriate_fallback으로 거부했습니다"
          : `ClientHello에 TLS_FALLBACK_SCSV가 있습니다: 실패한 시도 뒤 더 낮은 버전(${shortVersions(ch)})으로 다시 시도한 것입니다`,
      frames: [ms[h.ch].frame, ...(refused >= 0 ? [model.alerts[refused].frame] : [])],
      fields: [chPath("cipherSuites"), ...(refused >= 0 ? [`alerts[${refused}]`] : [])],
      rfc: "RFC 7507 §3",
      action:
        refused >= 0 ? { en: "Find why the first attempt at the higher version failed", ko: "더 높은 버전의 첫 시도가 왜 실패했는지 찾아보십시오" } : null,
    });
  }
  out.push(...renegotiation(input, h));
  out.push(...resumption(input, h));
  return out;
}

const shortVersions = (ch: NonNullable<ReturnType<typeof hellos>["clientHello"]>) => offeredVersions(ch).map(vName).join(", ");

/** RFC 5746 §3: renegotiation is safe only when both hellos of the first handshake carried renegotiation_info. */
function renegotiation(input: DiagnosisInput, h: ReturnType<typeof hellos>): Finding[] {
  const model = input.model;
  if (!h.clientHello || !h.serverHello || model.version === ProtocolVersion.TLSv1_3) return [];
  const chs = model.messages.filter((m) => m.type === HandshakeType.client_hello && m.dir === "c2s").length;
  const hr = model.messages.findIndex((m) => m.type === HandshakeType.hello_request);
  const late = input.facts.lateHandshakeFrames;
  if (chs < 2 && hr < 0 && !late.length) return [];
  const clientSigned =
    hasExtension(h.clientHello, ExtensionType.renegotiation_info) ||
    fieldList(h.clientHello, "cipherSuites").includes(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
  const serverSigned = hasExtension(h.serverHello, ExtensionType.renegotiation_info);
  if (clientSigned && serverSigned) return [];
  const frames = late.length ? late.slice(0, 4) : [model.messages[hr >= 0 ? hr : h.ch].frame];
  const who = !serverSigned && !clientSigned ? "neither hello" : !serverSigned ? "the ServerHello" : "the ClientHello";
  const whoKo = !serverSigned && !clientSigned ? "두 hello 모두" : !serverSigned ? "ServerHello가" : "ClientHello가";
  return [
    {
      code: "renegotiation-insecure",
      severity: "error",
      en: `The connection renegotiates, but ${who} of its first handshake carried renegotiation_info: the new handshake is not bound to the old one (the RFC 5746 attack)`,
      ko: `연결이 재협상하지만 첫 핸드셰이크에서 ${whoKo} renegotiation_info를 싣지 않았습니다: 새 핸드셰이크가 이전 것에 묶이지 않습니다 (RFC 5746의 공격)`,
      frames,
      fields: [`messages[${h.ch}].fields.extensions`, `messages[${h.sh}].fields.extensions`],
      rfc: "RFC 5746 §4.1",
      action: { en: "Update the peer that lacks RFC 5746 support, or disable renegotiation", ko: "RFC 5746을 지원하지 않는 쪽을 갱신하거나 재협상을 끄십시오" },
    },
  ];
}

/** A session offered for resumption that the server did not take up; 0-RTT data it did not accept. */
function resumption(input: DiagnosisInput, h: ReturnType<typeof hellos>): Finding[] {
  const out: Finding[] = [];
  const ch = h.clientHello2 ?? h.clientHello;
  const chIndex = h.clientHello2 ? h.ch2 : h.ch;
  const sh = h.serverHello;
  const model = input.model;
  if (!ch || !sh) return out;
  const ms = model.messages;
  if (model.version === ProtocolVersion.TLSv1_3) {
    const offered = hasExtension(ch, ExtensionType.pre_shared_key);
    const accepted = hasExtension(sh, ExtensionType.pre_shared_key);
    if (offered && !accepted) {
      out.push({
        code: "resumption-refused",
        severity: "warning",
        en: `The client offered ${ch.details.pskIdentities?.length ?? 1} PSK identit${(ch.details.pskIdentities?.length ?? 1) === 1 ? "y" : "ies"} to resume; the ServerHello has no pre_shared_key: the server did a full handshake`,
        ko: `클라이언트가 재개를 위해 PSK ID ${ch.details.pskIdentities?.length ?? 1}개를 제시했지만 ServerHello에 pre_shared_key가 없습니다: 서버가 전체 핸드셰이크를 했습니다`,
        frames: [ms[chIndex].frame, ms[h.sh].frame],
        fields: [`messages[${chIndex}].fields.extensions`, `messages[${h.sh}].fields.extensions`],
        rfc: "RFC 8446 §4.2.11",
        action: {
          en: "The ticket expired, or the server lost its ticket keys (a restart, another server behind the balancer)",
          ko: "티켓이 만료되었거나 서버가 티켓 키를 잃었습니다 (재시작, 부하 분산기 뒤의 다른 서버)",
        },
      });
    }
    if (hasExtension(h.clientHello, ExtensionType.early_data)) {
      const ee = input.find("EncryptedExtensions", "s2c");
      const eeMsg = ee >= 0 ? input.message(ee) : null;
      if (eeMsg && !hasExtension(eeMsg, ExtensionType.early_data)) {
        out.push({
          code: "early-data-rejected",
          severity: "warning",
          en: "The client sent 0-RTT early data; the server's EncryptedExtensions has no early_data: it rejected the early data, which the client must send again after the handshake",
          ko: "클라이언트가 0-RTT 조기 데이터를 보냈지만 서버의 EncryptedExtensions에 early_data가 없습니다: 서버가 조기 데이터를 거부했으므로 클라이언트는 핸드셰이크 후 다시 보내야 합니다",
          frames: [ms[h.ch].frame, ms[ee].frame],
          fields: [`messages[${h.ch}].fields.extensions`, `messages[${ee}].fields.extensions`],
          rfc: "RFC 8446 §4.2.10",
          action: null,
        });
      }
    }
    return out;
  }
  // TLS 1.2: a session id (RFC 5246 §7.4.1.2) or a ticket (RFC 5077 §3.4) offered, a new session given.
  const sid = ch.details.sessionId;
  const ticket = ch.details.extensions?.find((e) => e.type === ExtensionType.session_ticket);
  const offeredTicket = !!ticket && ticket.data.length > 0;
  // A client that also offers TLS 1.3 fills legacy_session_id with random bytes (RFC 8446 §4.1.2): not a session.
  const offeredSid = !!sid && sid.length > 0 && !offeredVersions(ch).includes(ProtocolVersion.TLSv1_3);
  if (!offeredTicket && !offeredSid) return out;
  const serverSid = sh.details.sessionId;
  const resumed = offeredSid && !!serverSid && serverSid.length === sid.length && Buffer.compare(Buffer.from(serverSid), Buffer.from(sid)) === 0;
  const fullHandshake =
    input.find("Certificate", "s2c") >= 0 || ms.some((m) => m.type === HandshakeType.server_key_exchange || m.type === HandshakeType.server_hello_done);
  if (!resumed && fullHandshake) {
    out.push({
      code: "resumption-refused",
      severity: "warning",
      en: `The client offered to resume a session (${offeredTicket ? "a session ticket" : "a session id"}); the server started a new one with a full handshake`,
      ko: `클라이언트가 세션 재개를 제시했지만(${offeredTicket ? "세션 티켓" : "세션 ID"}) 서버가 전체 핸드셰이크로 새 세션을 시작했습니다`,
      frames: [ms[chIndex].frame, ms[h.sh].frame],
      fields: [`messages[${chIndex}].fields.${offeredTicket ? "extensions" : "sessionId"}`, `messages[${h.sh}].fields.sessionId`],
      rfc: offeredTicket ? "RFC 5077 §3.4" : "RFC 5246 §7.4.1.2",
      action: {
        en: "The session expired or the server no longer has it (cache size, restart, ticket keys rotated)",
        ko: "세션이 만료되었거나 서버에 더 이상 없습니다 (캐시 크기, 재시작, 티켓 키 교체)",
      },
    });
  }
  return out;
}
