// Compatible mode: the source product's two conditions, both required:
// x > mean + k·σ (population σ, the item itself in the population) and x > mean·(1 + pct/100).

import test from 'ava';

import { DEFAULT_SETTINGS } from '../../../processors/anomaly/config.js';
import { detect } from '../../../processors/anomaly/detectors.js';
import { input, item, only, same } from './helpers.js';

const close = (a: number | undefined, b: number, tol = 1e-9) => a !== undefined && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('fires when both hold: ten items with 10 messages and one with 100', (t) => {
  // mean = 200/11 = 18.18; Σd² = 10·(8.18)² + 81.82² = 7363.6; σ = √(7363.6/11) = 25.87;
  // z = 81.82/25.87 = √10 = 3.162 > 3 and 100 > 18.18·1.2 = 21.8.
  const r = detect(input([...same(10, 10), item('ALICE', 10, 100)]), only(['activity/compatible']));
  t.is(r.findings.length, 1);
  const f = r.findings[0]!;
  t.like(f, { kind: 'association_activity', mode: 'compatible', item: 'ALICE', observed: 100, severity: 'high' });
  t.true(close(f.score, Math.sqrt(10)));
  t.true(close(f.baseline?.mean, 200 / 11));
  t.true(close(f.baseline?.stddev, Math.sqrt(7363.636363636 / 11), 1e-6));
  t.true(close(f.pctOverMean, 450)); // (100 − 18.18)/18.18 = 4.5
  t.deepEqual(f.thresholds, { k: 3, marginalPct: 20 });
});

test('k·σ holds but the marginal percentage does not: no anomaly', (t) => {
  // ten at 100, one at 110: mean = 100.91, σ = 2.875, z = 9.09/2.875 = √10 = 3.16 > 3,
  // but 110 is only 9 % over the mean, not > 100.91·1.2 = 121.09.
  const items = [...same(10, 1, 100), item('ALICE', 1, 110)];
  t.deepEqual(detect(input(items), only(['activity/compatible'])).findings, []);
  // The margin alone blocked it: with a 0 % margin the same data fires.
  const loose = detect(input(items), only(['activity/compatible'], { association_activity: { compatible: { marginal_pct: 0 } } }));
  t.deepEqual(
    loose.findings.map((f) => f.item),
    ['ALICE'],
  );
});

test('the marginal percentage holds but k·σ does not: no anomaly', (t) => {
  // 1…11: mean 6, σ = √10 = 3.16; 11 is 83 % over the mean but z = 5/3.16 = 1.58 < 3.
  const items = Array.from({ length: 11 }, (_, i) => item(`U${i + 1}`, 1, i + 1));
  const r = detect(input(items), only(['activity/compatible']));
  t.deepEqual(r.findings, []);
  t.like(r.outcomes.find((o) => o.kind === 'association_activity' && o.mode === 'compatible'), {
    status: 'evaluated',
    population: 11,
    findings: 0,
  });
});

test('number of associations looks at distinct values, activity at messages', (t) => {
  // ALICE: 100 distinct values in 100 messages; BOB: 10 distinct values in 100 messages.
  const items = [...same(9, 10, 10), item('ALICE', 100, 100), item('BOB', 10, 100)];
  const r = detect(input(items), only(['count/compatible', 'activity/compatible']));
  const got = r.findings.map((f) => `${f.kind}:${f.item}`).sort();
  // distinct: nine 10s, one 10, one 100 → ALICE z = √10. messages: nine 10s, two 100s →
  // mean 27.3, σ = 35.6, z(100) = 2.04: neither fires on activity.
  t.deepEqual(got, ['association_count:ALICE']);
});

test('a larger k needs a larger deviation', (t) => {
  const items = [...same(20, 10), item('ALICE', 10, 100)]; // z = √20 = 4.47
  t.is(detect(input(items), only(['activity/compatible'])).findings.length, 1);
  t.is(detect(input(items), only(['activity/compatible'], { association_activity: { compatible: { k: 4.5 } } })).findings.length, 0);
});

test('disabled by default, as in the source product: no evaluation, no findings', (t) => {
  const r = detect(input([...same(10, 10), item('ALICE', 10, 100)]), DEFAULT_SETTINGS);
  t.true(r.findings.every((f) => f.mode !== 'compatible'));
  t.deepEqual(
    r.outcomes.filter((o) => o.mode === 'compatible').map((o) => o.status),
    ['disabled', 'disabled'],
  );
});

test('several items can fire; findings are ordered by observed value, then item', (t) => {
  const items = [...same(100, 10), item('BOB', 10, 200), item('ALICE', 10, 200), item('CAROL', 10, 300)];
  const r = detect(input(items), only(['activity/compatible']));
  t.deepEqual(
    r.findings.map((f) => f.item),
    ['CAROL', 'ALICE', 'BOB'],
  );
});
