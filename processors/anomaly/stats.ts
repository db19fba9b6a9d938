// Descriptive statistics for the anomaly detectors: pure functions over finite numbers.
//
// Contract: inputs are finite numbers (the detectors drop anything else before calling); a
// statistic that is undefined for the input (mean of nothing, sample deviation of one value)
// is returned as `undefined`, never NaN, so no NaN can reach a document.
//
// Numerics: sums use Neumaier compensated summation, and the variance is the corrected two-pass
// algorithm (Chan, Golub & LeVeque 1983): m2 = Σ(x−x̄)² − (Σ(x−x̄))²/n, where the second term
// removes the rounding error of x̄. It is at least as accurate as Welford's single pass and the
// data is already in memory. Identical values short-circuit to a spread of exactly 0, so
// "all equal" is never 1e-17 of spurious deviation.

import type { BaselineStats } from './types.js';

/** Neumaier-compensated sum (exact for integers below 2^53, far better than naive for floats). */
export function sum(xs: readonly number[]): number {
  let total = 0;
  let compensation = 0;
  for (const x of xs) {
    const t = total + x;
    compensation += Math.abs(total) >= Math.abs(x) ? total - t + x : x - t + total;
    total = t;
  }
  return total + compensation;
}

export function mean(xs: readonly number[]): number | undefined {
  return xs.length === 0 ? undefined : sum(xs) / xs.length;
}

/** n, mean and m2 = Σ(x − mean)², by the corrected two-pass algorithm. */
export function moments(xs: readonly number[]): { n: number; mean: number; m2: number } | undefined {
  const n = xs.length;
  const first = xs[0];
  if (first === undefined) return undefined;
  if (xs.every((x) => x === first)) return { n, mean: first, m2: 0 };
  const m = sum(xs) / n;
  let squares = 0;
  let deviations = 0;
  for (const x of xs) {
    const d = x - m;
    squares += d * d;
    deviations += d;
  }
  return { n, mean: m, m2: Math.max(0, squares - (deviations * deviations) / n) };
}

/**
 * Population standard deviation √(m2/n): the spread of the values themselves, with no claim
 * that they sample a larger population. The compatible detectors use it: the source product
 * compares an item "to the data as a whole", and the day's items are the whole, not a sample.
 */
export function populationStdDev(xs: readonly number[]): number | undefined {
  const m = moments(xs);
  return m === undefined ? undefined : Math.sqrt(m.m2 / m.n);
}

/** Sample standard deviation √(m2/(n−1)) (Bessel-corrected); undefined for fewer than 2 values. */
export function sampleStdDev(xs: readonly number[]): number | undefined {
  const m = moments(xs);
  return m === undefined || m.n < 2 ? undefined : Math.sqrt(m.m2 / (m.n - 1));
}

/** A sorted copy (numeric order; never the default string order of Array.prototype.sort). */
export function sortedCopy(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

/**
 * Percentile p ∈ [0, 100] of already sorted values, by linear interpolation between closest ranks
 * (Hyndman & Fan type 7: numpy's default, Excel's PERCENTILE.INC): position h = (n−1)·p/100.
 */
export function percentileSorted(sorted: readonly number[], p: number): number | undefined {
  const n = sorted.length;
  if (n === 0 || !(p >= 0 && p <= 100)) return undefined;
  const h = ((n - 1) * p) / 100;
  const lo = Math.floor(h);
  const below = sorted[lo] as number;
  const above = sorted[Math.min(lo + 1, n - 1)] as number;
  // below + (above − below)·f stays within [below, above] and is exact when below === above.
  return below + (above - below) * (h - lo);
}

export function percentile(xs: readonly number[], p: number): number | undefined {
  return percentileSorted(sortedCopy(xs), p);
}

export function median(xs: readonly number[]): number | undefined {
  return percentile(xs, 50);
}

/**
 * Median absolute deviation from the median, unscaled (multiply by 1.4826 to estimate σ of a
 * normal distribution; the modified z-score's 0.6745 ≈ 1/1.4826 does exactly that).
 */
export function mad(xs: readonly number[]): number | undefined {
  const center = median(xs);
  return center === undefined ? undefined : median(xs.map((x) => Math.abs(x - center)));
}

/** Iglewicz & Hoaglin's consistency constant: Φ⁻¹(0.75), so 0.6745·(x − median)/MAD ≈ (x − μ)/σ for normal data. */
export const MODIFIED_Z_CONSTANT = 0.6745;

/** Modified z-score against a robust centre and scale. `scale` must be > 0 (callers apply a floor). */
export function modifiedZ(x: number, center: number, scale: number): number {
  return (MODIFIED_Z_CONSTANT * (x - center)) / scale;
}

/** n, mean, population σ, median and MAD in one call; undefined for no values. */
export function describe(xs: readonly number[]): BaselineStats | undefined {
  // Moments over the sorted copy: the result then does not depend on input order at all, so
  // the same day always gives bit-identical scores whatever order the items arrive in.
  const sorted = sortedCopy(xs);
  const m = moments(sorted);
  if (m === undefined) return undefined;
  const center = percentileSorted(sorted, 50) as number;
  const deviations = sortedCopy(xs.map((x) => Math.abs(x - center)));
  return {
    n: m.n,
    mean: m.mean,
    stddev: Math.sqrt(m.m2 / m.n),
    median: center,
    mad: percentileSorted(deviations, 50) as number,
  };
}
