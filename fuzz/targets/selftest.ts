/**
 * The engine's own check (not a project parser, not in TARGETS): a 4-byte magic compared byte by byte, each
 * comparison its own block, so only coverage feedback finds it quickly; with FUZZ_SELFTEST_HANG=1 in the
 * environment, "HANG" never returns, for the supervisor's hang detection. test/unit/fuzz-regressions/engine.test.ts runs both.
 */
export const maxLength = 64;

export class SelfTestMagicReached extends Error {}

const hangEnabled = process.env.FUZZ_SELFTEST_HANG === "1";

export function fuzz(data: Uint8Array): void {
  if (hangEnabled && data.length >= 4 && data[0] === 0x48 && data[1] === 0x41 && data[2] === 0x4e && data[3] === 0x47) {
    for (;;) {
      // "HANG": spin until the supervisor terminates the worker.
    }
  }
  if (data.length < 4) return;
  if (data[0] !== 0x54) return; // T
  if (data[1] !== 0x4c) return; // L
  if (data[2] !== 0x53) return; // S
  if (data[3] !== 0x21) return; // !
  throw new SelfTestMagicReached("magic reached");
}
