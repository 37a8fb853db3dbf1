/**
 * The names courses give TLS 1.2's key block (media/notes/*\/key-derivation-tls12.md, "The textbook's names"):
 * Kurose & Ross's per-direction names (A = Alice, the client; B = Bob, the server) and the E1/E2/M1/M2 shorthand,
 * beside each RFC 5246 §6.3 name, with what each piece protects, and where that short picture is loose.
 */
import type { Lang } from "../../src/protocol/messages";

export interface TextbookName {
  kuroseRoss: string;
  course: string;
  protects: Record<Lang, string>;
}

const NAMES: Readonly<Record<string, TextbookName>> = {
  client_write_mac_key: {
    kuroseRoss: "M_A",
    course: "M1",
    protects: { en: "integrity, client → server (HMAC)", ko: "무결성, 클라이언트 → 서버 (HMAC)" },
  },
  server_write_mac_key: {
    kuroseRoss: "M_B",
    course: "M2",
    protects: { en: "integrity, server → client (HMAC)", ko: "무결성, 서버 → 클라이언트 (HMAC)" },
  },
  client_write_key: {
    kuroseRoss: "E_A",
    course: "E1",
    protects: { en: "confidentiality, client → server", ko: "기밀성, 클라이언트 → 서버" },
  },
  server_write_key: {
    kuroseRoss: "E_B",
    course: "E2",
    protects: { en: "confidentiality, server → client", ko: "기밀성, 서버 → 클라이언트" },
  },
  // The four-keys picture gives the IVs no short name of their own.
  client_write_iv: {
    kuroseRoss: "",
    course: "",
    protects: { en: "not a key: the fixed part of each client → server nonce", ko: "키가 아님: 클라이언트 → 서버 논스의 고정 부분" },
  },
  server_write_iv: {
    kuroseRoss: "",
    course: "",
    protects: { en: "not a key: the fixed part of each server → client nonce", ko: "키가 아님: 서버 → 클라이언트 논스의 고정 부분" },
  },
};

/** The textbook's name for an RFC key-block name (any case: key logs and steps spell them differently). */
export function textbookName(rfcName: string): TextbookName | undefined {
  return NAMES[rfcName.toLowerCase()];
}

/** Where the four-keys picture is loose, for the key block actually shown (AEAD when it has no MAC keys). */
export function loosePoints(lang: Lang, names: readonly string[]): string[] {
  const has = (n: string) => names.some((x) => x.toLowerCase() === n);
  const aead = has("client_write_key") && !has("client_write_mac_key");
  const en = [
    aead
      ? "This suite is AEAD (GCM/ChaCha20-Poly1305): there are no M1/M2 at all — the AEAD tag, made with E1 or E2, gives integrity."
      : "This suite uses HMAC: M1/M2 exist (MAC-then-encrypt, or encrypt-then-MAC with RFC 7366).",
    "No single session key: E1 and E2 differ, each opens only one direction.",
    aead
      ? "The IVs are only the fixed 4-byte part of each nonce; the other 8 bytes travel in each record."
      : "TLS 1.2 CBC records carry their own random IV; IVs from the key block for CBC are TLS 1.0.",
    "Keys are secret; randoms, explicit nonces and ciphertext are public. The implicit IV is never sent, but safety rests on the keys and unique nonces.",
  ];
  const ko = [
    aead
      ? "이 스위트는 AEAD(GCM/ChaCha20-Poly1305)입니다: M1/M2는 아예 없고, E1 또는 E2로 만든 AEAD 태그가 무결성을 줍니다."
      : "이 스위트는 HMAC을 씁니다: M1/M2가 있습니다(MAC 후 암호화, 또는 RFC 7366의 암호화 후 MAC).",
    "하나의 세션 키는 없습니다: E1과 E2는 서로 다르고, 각각 한 방향만 엽니다.",
    aead
      ? "IV는 각 논스의 고정된 4바이트 부분일 뿐이고, 나머지 8바이트는 레코드마다 실려 갑니다."
      : "TLS 1.2 CBC 레코드는 자기 랜덤 IV를 싣습니다. 키 블록에서 나온 CBC용 IV는 TLS 1.0의 방식입니다.",
    "키는 비밀이고, 랜덤·명시적 논스·암호문은 공개입니다. 암묵적 IV는 전송되지 않지만 안전성은 키와 논스의 유일성에 달려 있습니다.",
  ];
  return lang === "ko" ? ko : en;
}
