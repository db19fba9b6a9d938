// Deterministic randomness for the simulator: sfc32 seeded through splitmix32, plus the few
// distributions the generator needs. No Math.random anywhere under simulate/: the same seed must give
// byte-identical output on every run and every platform (only integer ops and IEEE doubles are used).
//
// Independent streams (population, each day, rendering, malformed lines) are forked from the seed
// with `Rng.from(seed, ...labels)`, so changing how many numbers one stream draws (say, a new field
// in one format writer) never shifts what another stream produces.

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = Number.NaN; // second Box-Muller value

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A stream derived from a seed and labels (numbers or strings), independent of every other label path. */
  static from(seed: number, ...labels: readonly (number | string)[]): Rng {
    return new Rng(hashSeed(seed, ...labels));
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element; the array must not be empty. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Index drawn with probability proportional to 1/(i+1)^s: habits favour their first entries. */
  zipfIndex(n: number, s = 1): number {
    let total = 0;
    for (let i = 1; i <= n; i++) total += 1 / i ** s;
    let u = this.next() * total;
    for (let i = 1; i <= n; i++) {
      u -= 1 / i ** s;
      if (u < 0) return i - 1;
    }
    return n - 1;
  }

  /** `k` distinct elements (fewer if the list is shorter), Zipf-weighted by position, in draw order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < k && pool.length > 0) {
      const i = this.zipfIndex(pool.length, 0.8);
      out.push(pool[i] as T);
      pool.splice(i, 1);
    }
    return out;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = Number.NaN;
      return v;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Poisson count; Knuth's method for small means, a rounded normal above 30. */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
}

/** FNV-1a over the labels, finished with a murmur3 mix; strings and numbers both welcome. */
export function hashSeed(seed: number, ...labels: readonly (number | string)[]): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  const mix = (byte: number): void => {
    h = Math.imul(h ^ (byte & 0xff), 0x01000193) >>> 0;
  };
  for (const label of labels) {
    const text = typeof label === 'number' ? `#${label}` : `s${label}`;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      mix(c);
      mix(c >>> 8);
    }
    mix(0x1f);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A seed given as text (a CLI argument, say) becomes a number; integers are used as they are. */
export function seedOf(seed: number | string): number {
  if (typeof seed === 'number') return seed >>> 0;
  return /^\d+$/.test(seed) && Number(seed) <= 0xffffffff ? Number(seed) : hashSeed(0, seed);
}
