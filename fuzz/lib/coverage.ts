/**
 * Coverage feedback without instrumenting anything: V8's own block coverage, read through `node:inspector`
 * (Profiler.startPreciseCoverage with callCount + detailed). Each take returns per-function ranges with execution
 * counts since the previous take and resets them, so one take after a run (or a batch of runs) says which blocks
 * that run reached.
 *
 * V8 compresses what it reports: a block whose count equals its enclosing range's count is left out. So a block
 * is known once it has been reported at least once (every not-yet-run block is reported with count 0), and in a
 * later take its count is that of the innermost reported range containing it. A feature is a block together with
 * its hit-count bucket (1, 2, 3, 4–7, 8–15, ...), AFL's approximation of edges and loop trip counts.
 */
import { Session } from "node:inspector";

interface Range {
  startOffset: number;
  endOffset: number;
  count: number;
}

interface FunctionCoverage {
  ranges: Range[];
}

interface ScriptCoverage {
  scriptId: string;
  url: string;
  functions: FunctionCoverage[];
}

interface KnownFunction {
  /** Inner blocks ever reported: [start, end, id] triples, flattened. */
  blocks: number[];
  seen: Set<string>;
  id: number;
}

export interface TakeResult {
  /** Block ids reached since the previous take. */
  blocks: number[];
  /** block id * 16 + hit-count bucket. */
  features: number[];
}

function bucket(count: number): number {
  if (count <= 3) return count;
  return Math.min(15, 2 + Math.floor(Math.log2(count)));
}

export class Coverage {
  private readonly session = new Session();
  private readonly functions = new Map<string, KnownFunction>();
  private nextId = 0;
  private readonly scriptFilter: (url: string) => boolean;

  constructor(scriptFilter: (url: string) => boolean) {
    this.scriptFilter = scriptFilter;
    this.session.connect();
    this.post("Profiler.enable");
    this.post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });
  }

  /** Number of distinct blocks V8 has shown us so far (run or not). */
  get knownBlocks(): number {
    return this.nextId;
  }

  private post<T>(method: string, params?: object): T {
    // A session on the same thread answers synchronously: the callback has run when post returns.
    let result: T | undefined;
    let error: Error | null = null;
    this.session.post(method, params ?? {}, (e, r) => {
      error = e;
      result = r as T;
    });
    if (error) throw error;
    return result as T;
  }

  /** Blocks and features reached since the last take (resets V8's counters). */
  take(): TakeResult {
    const { result } = this.post<{ result: ScriptCoverage[] }>("Profiler.takePreciseCoverage");
    const blocks: number[] = [];
    const features: number[] = [];
    for (const script of result) {
      if (!this.scriptFilter(script.url)) continue;
      for (const fn of script.functions) {
        const ranges = fn.ranges;
        const top = ranges[0];
        if (!top) continue;
        const fkey = `${script.scriptId}:${top.startOffset}:${top.endOffset}`;
        let known = this.functions.get(fkey);
        if (!known) {
          known = { blocks: [], seen: new Set(), id: this.nextId++ };
          this.functions.set(fkey, known);
        }
        for (let i = 1; i < ranges.length; i++) {
          const k = `${ranges[i].startOffset}:${ranges[i].endOffset}`;
          if (!known.seen.has(k)) {
            known.seen.add(k);
            known.blocks.push(ranges[i].startOffset, ranges[i].endOffset, this.nextId++);
          }
        }
        if (top.count === 0) continue;
        blocks.push(known.id);
        features.push(known.id * 16 + bucket(top.count));
        const kb = known.blocks;
        for (let b = 0; b < kb.length; b += 3) {
          const s = kb[b];
          const e = kb[b + 1];
          // Innermost reported range containing the block: ranges are ordered outer before inner.
          let count = top.count;
          for (let i = 1; i < ranges.length; i++) {
            const r = ranges[i];
            if (r.startOffset > s) break;
            if (r.endOffset >= e) count = r.count;
          }
          if (count > 0) {
            blocks.push(kb[b + 2]);
            features.push(kb[b + 2] * 16 + bucket(count));
          }
        }
      }
    }
    return { blocks, features };
  }

  stop(): void {
    this.post("Profiler.stopPreciseCoverage");
    this.session.disconnect();
  }
}
