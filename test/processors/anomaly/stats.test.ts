// Hand-computed cases for every statistic, including n = 0, n = 1 and zero spread.

import test from 'ava';

import {
  describe,
  mad,
  mean,
  median,
  modifiedZ,
  moments,
  percentile,
  populationStdDev,
  sampleStdDev,
  sum,
} from '../../../processors/anomaly/stats.js';

const close = (a: number | undefined, b: number, tol = 1e-12) => a !== undefined && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('sum compensates the rounding a naive sum loses', (t) => {
  t.is(sum([]), 0);
  t.is(sum([1e16, 1, -1e16]), 1); // naive: (1e16 + 1) rounds to 1e16, result 0
  t.is(sum([0.1, 0.2, 0.3]), 0.6);
});

test('mean: undefined for no values, the value for one, the average otherwise', (t) => {
  t.is(mean([]), undefined);
  t.is(mean([5]), 5);
  t.is(mean([1, 2, 3, 4]), 2.5);
});

test('standard deviations of the textbook example 2,4,4,4,5,5,7,9', (t) => {
  const xs = [2, 4, 4, 4, 5, 5, 7, 9]; // Σ(x−5)² = 32
  t.is(populationStdDev(xs), 2); // √(32/8)
  t.true(close(sampleStdDev(xs), Math.sqrt(32 / 7))); // 2.138…
  t.deepEqual(moments(xs), { n: 8, mean: 5, m2: 32 });
});

test('n = 0 and n = 1: no NaN, undefined where the statistic does not exist', (t) => {
  t.is(populationStdDev([]), undefined);
  t.is(sampleStdDev([]), undefined);
  t.is(populationStdDev([7]), 0);
  t.is(sampleStdDev([7]), undefined); // n − 1 = 0
  t.is(moments([]), undefined);
  t.deepEqual(moments([7]), { n: 1, mean: 7, m2: 0 });
});

test('all equal gives exactly zero spread and the exact mean, even for non-representable values', (t) => {
  t.deepEqual(moments([0.1, 0.1, 0.1]), { n: 3, mean: 0.1, m2: 0 }); // naive mean: 0.10000000000000002
  t.is(populationStdDev([3, 3, 3, 3]), 0);
  t.is(sampleStdDev([3, 3, 3, 3]), 0);
  t.is(mad([3, 3, 3]), 0);
});

test('variance survives a large common offset (where Σx² − n·x̄² cancels catastrophically)', (t) => {
  const xs = [4, 7, 13, 16].map((x) => 1e9 + x); // deviations −6, −3, 3, 6: Σd² = 90
  t.is(mean(xs), 1e9 + 10);
  t.true(close(populationStdDev(xs), Math.sqrt(90 / 4)));
  t.true(close(sampleStdDev(xs), Math.sqrt(30)));
});

test('median sorts numerically and averages the middle pair', (t) => {
  t.is(median([]), undefined);
  t.is(median([5]), 5);
  t.is(median([3, 1, 2]), 2);
  t.is(median([4, 1, 3, 2]), 2.5);
  t.is(median([10, 9, 100]), 10); // a string sort would put "100" in the middle
});

test('MAD is the median of absolute deviations from the median, unscaled', (t) => {
  // median 2; |x − 2| = 1,1,0,0,2,4,7 → sorted 0,0,1,1,2,4,7 → 1
  t.is(mad([1, 1, 2, 2, 4, 6, 9]), 1);
  t.is(mad([]), undefined);
  t.is(mad([5]), 0);
  // half the values equal: MAD 0 although there is spread (why robust mode needs a floor)
  t.is(mad([1, 1, 1, 2, 50]), 0);
});

test('percentiles interpolate linearly between closest ranks (type 7)', (t) => {
  const xs = [4, 1, 3, 2];
  t.is(percentile(xs, 0), 1);
  t.is(percentile(xs, 100), 4);
  t.is(percentile(xs, 25), 1.75); // h = 3·0.25 = 0.75
  t.is(percentile(xs, 50), 2.5);
  t.true(close(percentile(xs, 90), 3.7)); // h = 2.7
  t.is(percentile([5], 37), 5);
  t.is(percentile([], 50), undefined);
  t.is(percentile(xs, -1), undefined);
  t.is(percentile(xs, 101), undefined);
  t.is(percentile(xs, Number.NaN), undefined);
});

test('modified z uses the 0.6745 consistency constant', (t) => {
  t.true(close(modifiedZ(5, 2, 1), 2.0235));
  t.is(modifiedZ(2, 2, 0.25), 0);
  t.true(close(modifiedZ(1, 2, 0.5), -1.349));
});

test('describe gives n, mean, population σ, median and MAD together', (t) => {
  // |x − 4.5| = 2.5, .5, .5, .5, .5, .5, 2.5, 4.5 → median of the middle pair (.5, .5)
  t.deepEqual(describe([2, 4, 4, 4, 5, 5, 7, 9]), { n: 8, mean: 5, stddev: 2, median: 4.5, mad: 0.5 });
  t.deepEqual(describe([3]), { n: 1, mean: 3, stddev: 0, median: 3, mad: 0 });
  t.is(describe([]), undefined);
});

test('describe does not depend on the order of its input', (t) => {
  const xs = [0.1, 1e9, 3, 0.7, 12345.678, 2];
  t.deepEqual(describe(xs), describe([...xs].reverse()));
});
