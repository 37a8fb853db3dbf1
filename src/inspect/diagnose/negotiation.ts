/**
 * Negotiation failures: a handshake that ended in handshake_failure, insufficient_security or protocol_version,
 * read against what the ClientHello offered and what the server's answer shows (RFC 8446 §4.1.1, §4.1.3, §6.2;
 * RFC 5246 §7.4.1.3), and a HelloRetryRequest the client did not follow (RFC 8446 §4.1.4).
 */
import { AlertDescription, CipherSuite, ExtensionType, ProtocolVersion } from "../../tls/registry";
import {
  alertName,
  fieldList,
  firstFatal,
  groupName,
  hasExtension,
  hellos,
  offeredVersions,
  selectedVersion,
  shortList,
  shortListKo,
  suiteName,
  vName,
} from "./context";
import type { DiagnosisInput, Finding } from "./types";

const f = (i: number, key: string) => `messages[${i}].fields.${key}`;

/** SCSVs are signals, not suites a server could pick (RFC 5746 §3.3, RFC 7507 §2). */
const realSuites = (suites: number[]) => suites.filter((s) => s !== CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV && s !== CipherSuite.TLS_FALLBACK_SCSV);

export function negotiationRules(input: DiagnosisInput): Finding[] {
  const out: Finding[] = [];
  const h = hellos(input);
  const fatal = firstFatal(input);
  if (h.clientHello && fatal) {
    const a = fatal.alert;
    const d = a.description;
    const ch = h.clientHello;
    const alertPath = `alerts[${fatal.index}]`;
    if ((d === AlertDescription.handshake_failure || d === AlertDescription.insufficient_security) && a.dir === "s2c" && h.sh < 0 && h.hrr < 0) {
      // The server answered the ClientHello with the alert: nothing it could accept was offered.
      const suites = realSuites(fieldList(ch, "cipherSuites"));
      const groups = fieldList(ch, "supportedGroups");
      const schemes = fieldList(ch, "signatureAlgorithms");
      const lists: string[] = [`${suites.length} cipher suite(s) (${shortList(suites.map(suiteName), 3)})`];
      const listsKo: string[] = [`암호 스위트 ${suites.length}개 (${shortListKo(suites.map(suiteName), 3)})`];
      const fields = [f(h.ch, "cipherSuites")];
      if (groups.length) {
        lists.push(`${groups.length} group(s) (${shortList(groups.map(groupName), 3)})`);
        listsKo.push(`그룹 ${groups.length}개 (${shortListKo(groups.map(groupName), 3)})`);
        fields.push(f(h.ch, "supportedGroups"));
      }
      if (schemes.length) {
        lists.push(`${schemes.length} signature scheme(s)`);
        listsKo.push(`서명 방식 ${schemes.length}개`);
        fields.push(f(h.ch, "signatureAlgorithms"));
      }
      const isSec = d === AlertDescription.insufficient_security;
      out.push({
        code: "no-common-parameters",
        severity: "error",
        en: `The server answered the ClientHello with ${alertName(d)}: nothing among the ${lists.join(", ")} offered was acceptable to it${isSec ? " (it requires stronger parameters)" : ""}`,
        ko: `서버가 ClientHello에 ${alertName(d)}로 답했습니다: 제시된 ${listsKo.join(", ")} 중 서버가 받아들일 수 있는 것이 없습니다${isSec ? " (더 강한 매개변수를 요구함)" : ""}`,
        frames: [input.model.messages[h.ch].frame, a.frame],
        fields: [...fields, alertPath],
        rfc: isSec ? "RFC 8446 §6.2" : "RFC 8446 §4.1.1",
        action: {
          en: "Compare the client's cipher suites, groups and signature schemes with the server's configuration and enable one the other side supports",
          ko: "클라이언트의 암호 스위트·그룹·서명 방식을 서버 설정과 비교해, 양쪽이 모두 지원하는 것을 하나 이상 켜십시오",
        },
      });
    }
    if (d === AlertDescription.handshake_failure && h.serverHello && a.dir === "c2s") {
      // The client refused the server's choice: say which choice it had not offered.
      const sh = h.serverHello;
      const suite = sh.details.cipherSuite;
      const offeredSuites = fieldList(ch, "cipherSuites");
      if (suite !== undefined && !offeredSuites.includes(suite)) {
        out.push({
          code: "server-chose-unoffered-suite",
          severity: "error",
          en: `The server chose ${suiteName(suite)}, which the ClientHello did not offer; the client aborted with handshake_failure`,
          ko: `서버가 ClientHello에 없던 ${suiteName(suite)}를 골랐고, 클라이언트가 handshake_failure로 중단했습니다`,
          frames: [input.model.messages[h.sh].frame, a.frame],
          fields: [f(h.ch, "cipherSuites"), f(h.sh, "cipherSuite"), alertPath],
          rfc: "RFC 8446 §4.1.3",
          action: null,
        });
      }
    }
    if (d === AlertDescription.protocol_version) {
      const offered = offeredVersions(ch);
      const sh = h.serverHello;
      const chosen = sh ? selectedVersion(sh) : null;
      const byServer = a.dir === "s2c";
      const en = byServer
        ? `The server supports none of the versions the client offered (${shortList(offered.map(vName))}) and answered with protocol_version`
        : `The client does not accept the server's ${chosen !== null ? vName(chosen) : "version"}; it offered ${shortList(offered.map(vName))} and answered with protocol_version`;
      const ko = byServer
        ? `클라이언트가 제시한 버전(${shortListKo(offered.map(vName))}) 중 서버가 지원하는 것이 없어 protocol_version으로 답했습니다`
        : `클라이언트는 ${shortListKo(offered.map(vName))}를 제시했고 서버의 ${chosen !== null ? vName(chosen) : "버전"}을 받아들이지 않아 protocol_version으로 답했습니다`;
      const versionField = hasExtension(ch, ExtensionType.supported_versions) ? "supportedVersions" : "legacyVersion";
      const fields = [f(h.ch, versionField), alertPath];
      const frames = [input.model.messages[h.ch].frame, a.frame];
      if (sh && chosen !== null) {
        fields.splice(1, 0, f(h.sh, sh.details.selectedVersion !== undefined ? "selectedVersion" : "legacyVersion"));
        frames.push(input.model.messages[h.sh].frame);
      }
      out.push({
        code: "protocol-version-mismatch",
        severity: "error",
        en,
        ko,
        frames,
        fields,
        rfc: "RFC 8446 §4.2.1",
        action: {
          en: `Enable a common version on both sides (TLS 1.2 or ${vName(ProtocolVersion.TLSv1_3)})`,
          ko: `양쪽에서 공통 버전(TLS 1.2 또는 ${vName(ProtocolVersion.TLSv1_3)})을 켜십시오`,
        },
      });
    }
  }
  if (h.helloRetry) out.push(...helloRetryRule(input, h, fatal?.alert ?? null));
  return out;
}

/** RFC 8446 §4.1.4: the client must answer a HelloRetryRequest with a key share for the group it selected. */
function helloRetryRule(
  input: DiagnosisInput,
  h: ReturnType<typeof hellos>,
  fatal: { dir: string; frame: number; description: number | null } | null,
): Finding[] {
  const group = h.helloRetry!.details.selectedGroup;
  if (group === undefined) return [];
  const ms = input.model.messages;
  const offered = h.clientHello ? fieldList(h.clientHello, "supportedGroups") : [];
  if (h.clientHello2) {
    const shares = (h.clientHello2.details.keyShares ?? []).map((k) => k.group);
    if (shares.includes(group)) return [];
    return [
      {
        code: "hrr-group-not-sent",
        severity: "error",
        en: `The HelloRetryRequest asked for a ${groupName(group)} key share, but the second ClientHello sent ${shortList(shares.map(groupName))}`,
        ko: `HelloRetryRequest가 ${groupName(group)} 키 공유를 요청했지만 두 번째 ClientHello는 ${shortListKo(shares.map(groupName))}를 보냈습니다`,
        frames: [ms[h.hrr].frame, ms[h.ch2].frame],
        fields: [f(h.hrr, "keyShareGroup"), f(h.ch2, "keyShareGroups")],
        rfc: "RFC 8446 §4.1.4",
        action: null,
      },
    ];
  }
  // No second ClientHello: the client gave up, typically because the group was not one it had offered.
  const notOffered = h.clientHello !== null && !offered.includes(group);
  if (!notOffered && !fatal) return [];
  return [
    {
      code: "hrr-group-not-sent",
      severity: "error",
      en: notOffered
        ? `The HelloRetryRequest asked for ${groupName(group)}, which the ClientHello did not offer (${shortList(offered.map(groupName))}); the client sent no second ClientHello${fatal ? ` and aborted with ${alertName(fatal.description)}` : ""}`
        : `The HelloRetryRequest asked for ${groupName(group)}; the client sent no second ClientHello${fatal ? ` and aborted with ${alertName(fatal.description)}` : ""}`,
      ko: notOffered
        ? `HelloRetryRequest가 ClientHello에 없던 ${groupName(group)}를 요청했고(제시: ${shortListKo(offered.map(groupName))}), 클라이언트는 두 번째 ClientHello를 보내지 않았습니다${fatal ? ` (${alertName(fatal.description)}로 중단)` : ""}`
        : `HelloRetryRequest가 ${groupName(group)}를 요청했지만 클라이언트는 두 번째 ClientHello를 보내지 않았습니다${fatal ? ` (${alertName(fatal.description)}로 중단)` : ""}`,
      frames: [ms[h.hrr].frame, ...(fatal ? [fatal.frame] : [])],
      fields: [f(h.hrr, "keyShareGroup"), ...(h.ch >= 0 ? [f(h.ch, "supportedGroups")] : [])],
      rfc: "RFC 8446 §4.1.4",
      action: notOffered
        ? { en: "The server must select a group from the client's supported_groups", ko: "서버는 클라이언트의 supported_groups에 있는 그룹을 골라야 합니다" }
        : null,
    },
  ];
}
