/**
 * UI strings of the study features (note reader, lesson mode, the key schedule's textbook names) in the two notes
 * languages. Kept apart from i18n.ts so the study features' words sit together; the language is the one
 * i18n.setLang set on the document.
 */
const en = {
  relatedNotes: "Related notes",
  references: "References",
  lesson: "Lesson",
  lessonStep: (n: number, m: number) => `Step ${n} of ${m}`,
  back: "Back",
  nextStep: "Next",
  checkYourself: "Check yourself",
  showAnswer: "Show the answer",
  hideAnswer: "Hide the answer",
  inCapture: "See it in a real capture",
  liveConnect: "Try it live (connect)",
  routeDone: "End of the route. Start the other route, or leave the lesson and explore on your own.",
  otherRoute: "Start the other route",
  leaveLesson: "Leave the lesson",
  sideBySide: "The same handshake, two key exchanges",
  note: "Note",
  textbook: "Textbook",
  protects: "Protects",
  textbookCaption: "Textbook names (Kurose & Ross / course shorthand) beside the RFC's, and what each key protects:",
  loose: "Where the short picture is loose",
};

type Strings = typeof en;

const ko: Strings = {
  relatedNotes: "관련 노트",
  references: "참고 문헌",
  lesson: "학습",
  lessonStep: (n: number, m: number) => `${m}단계 중 ${n}단계`,
  back: "이전",
  nextStep: "다음",
  checkYourself: "스스로 확인하기",
  showAnswer: "답 보기",
  hideAnswer: "답 숨기기",
  inCapture: "실제 캡처에서 보기",
  liveConnect: "실제로 연결해 보기 (connect)",
  routeDone: "이 경로의 끝입니다. 다른 경로를 시작하거나, 학습을 마치고 직접 살펴보세요.",
  otherRoute: "다른 경로 시작",
  leaveLesson: "학습 마치기",
  sideBySide: "같은 핸드셰이크, 두 가지 키 교환",
  note: "노트",
  textbook: "교재 이름",
  protects: "보호 대상",
  textbookCaption: "RFC 이름 옆의 교재 이름(Kurose & Ross / 강의 약칭)과 각 키가 보호하는 것:",
  loose: "짧은 그림이 부정확한 곳",
};

/** The study strings of the document's language. */
export function st(): Strings {
  return document.documentElement.lang === "ko" ? ko : en;
}
