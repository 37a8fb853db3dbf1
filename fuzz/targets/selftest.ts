/**
 * The engine's own check (not a project parser, not in TARGETS): a 4-byte magic compared byte by byte, each
 * comparison its own block, so only coverage feedback finds it quickly. With FUZZ_SELFTEST_TRAPS=1 in the
 * environment, "HANG" never returns and "HEAP" allocates without end, for the supervisor's hang and heap checks. test/unit/fuzz-regressions/engine.test.ts runs both.
 */
export const maxLength = 64;

export class SelfTestMagicReached extends Error {}

const trapsEnabled = process.env.FUZZ_SELFTEST_TRAPS === "1";

export function fuzz(data: Uint8Array): void {
  if (trapsEnabled && data.length === 4) {
    const word = String.fromCharCode(...data);
    if (word === "HANG") {
      for (;;) {
        // Spin until the supervisor terminates the worker.
      }
    }
    if (word === "HEAP") {
      const hoard: number[][] = [];
      for (;;) hoard.push(new Array<number>(1 << 16).fill(hoard.length));
    }
  }
  if (data.length < 4) return;
  if (data[0] !== 0x54) return; // T
  if (data[1] !== 0x4c) return; // L
  if (data[2] !== 0x53) return; // S
  if (data[3] !== 0x21) return; // !
  throw new SelfTestMagicReached("magic reached");
}
