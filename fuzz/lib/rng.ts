/** A small seedable PRNG (xorshift128+ on 32-bit halves): fuzz runs are reproducible from their seed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = seed | 0 || 1;
    this.b = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) | 0 || 2;
    this.c = Math.imul(seed ^ 0x7f4a7c15, 0xc2b2ae35) | 0 || 3;
    this.d = 0x1b873593;
    for (let i = 0; i < 16; i++) this.u32();
  }

  /** xoshiro128** step. */
  u32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** Uniform in [0, n). */
  below(n: number): number {
    return n <= 1 ? 0 : Math.floor((this.u32() / 4294967296) * n);
  }

  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)];
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
