/** UI strings in the two notes languages; everything else (field names, RFC text) stays as the host sends it. */
import type { Lang } from "../../src/protocol/messages";

const en = {
  client: "Client", server: "Server", sni: "SNI", alpn: "ALPN", version: "Version", suite: "Cipher suite", status: "Status",
  messages: "Messages", connections: "Connections", timeline: "Handshake timeline", bytes: "Bytes", fields: "Fields",
  message: "Message", keySchedule: "Key schedule", simulate: "Simulate", run: "Run", connect: "Connect",
  host: "Host", port: "Port", keyExchange: "Key exchange", group: "Group", helloRetry: "HelloRetryRequest",
  clientAuth: "Client authentication", resumption: "Resumption", seed: "Seed", prev: "Previous step", next: "Next step",
  play: "Play", pause: "Pause", stepOf: (n: number, m: number) => `step ${n} of ${m}`,
  explain: "Explain", name: "Name", value: "Value", raw: "Raw", range: "Bytes", rfc: "RFC",
  noSelection: "Select a message in the timeline to see its bytes and fields.",
  noField: "Hover or click a byte to see the field it belongs to.",
  emptyTitle: "No handshake to show yet",
  emptyText: "Run a simulated handshake with the form above (the engine plays both client and server with real crypto), connect to a host, or open a .pcap/.pcapng capture from the Explorer: it opens in the capture editor.",
  openCaptureHint: "To open a capture: right-click a .pcap or .pcapng file in the Explorer, or run “TLS: Open Capture…”.",
  untrusted: "Connecting to hosts is disabled in Restricted Mode (untrusted workspace).",
  attachKeyLog: "Attach key log…", saveTranscript: "Save as transcript",
  plaintext: "plaintext", early: "early keys", handshake: "handshake keys", application: "application keys",
  c2s: "client to server", s2c: "server to client", bytesUnit: "bytes", encrypted: "encrypted", notDecrypted: "not decrypted",
  verified: "verified", notVerified: "verify_data mismatch", hrr: "HelloRetryRequest: the server asks for another key share",
  record: "record", alert: "Alert", ccs: "ChangeCipherSpec", knownBy: "Known by", notYet: "not derived yet",
  notLogged: "not in the key log", copied: "copied", copyHint: "Click to copy the full value",
  noSecrets: "No secrets: attach a key log (capture) or run a simulation to see the key schedule.",
  derivedFrom: "from", flight: "flight", errors: "Errors", truncated: (n: number) => `Showing the first ${n} bytes.`,
  pickConnection: "Choose a connection above to see its handshake.",
  dismiss: "Dismiss", check: "check", secret: "secret", stepNone: "Step through the handshake with Next.",
  connectionsCount: (n: number) => (n === 1 ? "1 connection" : `${n} connections`), packets: (n: number) => `${n} packets`,
};

type Strings = typeof en;

const ko: Strings = {
  ...en,
  client: "클라이언트", server: "서버", version: "버전", suite: "암호 스위트", status: "상태",
  messages: "메시지", connections: "연결", timeline: "핸드셰이크 타임라인", bytes: "바이트", fields: "필드",
  message: "메시지", keySchedule: "키 스케줄", simulate: "시뮬레이션", run: "실행", connect: "연결",
  host: "호스트", port: "포트", keyExchange: "키 교환", group: "그룹", clientAuth: "클라이언트 인증", resumption: "세션 재개",
  seed: "시드", prev: "이전 단계", next: "다음 단계", play: "재생", pause: "일시 정지",
  stepOf: (n: number, m: number) => `${m}단계 중 ${n}단계`, explain: "설명", name: "이름", value: "값", raw: "원시 값",
  range: "바이트", noSelection: "타임라인에서 메시지를 선택하면 바이트와 필드가 표시됩니다.",
  noField: "바이트를 가리키거나 클릭하면 해당 필드가 표시됩니다.", emptyTitle: "아직 표시할 핸드셰이크가 없습니다",
  emptyText: "위 양식으로 핸드셰이크를 시뮬레이션하거나(엔진이 실제 암호로 클라이언트와 서버를 모두 실행), 호스트에 연결하거나, 탐색기에서 .pcap/.pcapng 캡처를 여세요.",
  openCaptureHint: "캡처 열기: 탐색기에서 .pcap 또는 .pcapng 파일을 열거나 “TLS: Open Capture…”를 실행하세요.",
  untrusted: "제한 모드(신뢰하지 않는 작업 영역)에서는 호스트 연결을 사용할 수 없습니다.",
  attachKeyLog: "키 로그 첨부…", saveTranscript: "트랜스크립트로 저장",
  plaintext: "평문", early: "early 키", handshake: "핸드셰이크 키", application: "애플리케이션 키",
  c2s: "클라이언트 → 서버", s2c: "서버 → 클라이언트", bytesUnit: "바이트", encrypted: "암호화됨", notDecrypted: "복호화되지 않음",
  verified: "검증됨", notVerified: "verify_data 불일치", hrr: "HelloRetryRequest: 서버가 다른 키 공유를 요청합니다",
  record: "레코드", knownBy: "아는 쪽", notYet: "아직 유도되지 않음", notLogged: "키 로그에 없음", copied: "복사됨",
  copyHint: "클릭하면 전체 값을 복사합니다", noSecrets: "비밀 값 없음: 키 로그를 첨부하거나 시뮬레이션을 실행하세요.",
  derivedFrom: "입력", flight: "플라이트", errors: "오류", truncated: (n: number) => `처음 ${n}바이트만 표시합니다.`,
  pickConnection: "위에서 연결을 선택하면 핸드셰이크가 표시됩니다.",
  dismiss: "닫기", check: "검사", secret: "비밀 값", stepNone: "다음 버튼으로 핸드셰이크를 단계별로 진행하세요.",
  connectionsCount: (n: number) => `연결 ${n}개`, packets: (n: number) => `패킷 ${n}개`,
};

let current: Strings = en;

export function setLang(lang: Lang): void {
  current = lang === "ko" ? ko : en;
  document.documentElement.lang = lang;
}

/** The strings of the current language. */
export function t(): Strings {
  return current;
}
