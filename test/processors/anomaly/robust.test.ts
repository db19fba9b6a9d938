// Robust mode: modified z of log1p values against the population (median/MAD with a scale
// floor), confirmed by the item's own history when it has enough active days.

import test from 'ava';

import { addDays } from '../../../processors/time/zone.js';
import { detect } from '../../../processors/anomaly/detectors.js';
import { logScale, robustScore } from '../../../processors/anomaly/robust.js';
import type { HistoryDay, ItemDay } from '../../../processors/anomaly/types.js';
import { historyDay, input, item, only, same } from './helpers.js';

const close = (a: number | undefined, b: number, tol = 1e-9) => a !== undefined && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
const noHistory = { robust: { history: { enabled: false } } };

/**
 * 60 users whose daily message counts are log-normal-ish around 100 (σ of ln ≈ 0.7, quantiles
 * via the logistic approximation of the normal): 14, 22, 28, … 101, 104 … 363, 451, 714.
 */
function heavyTailed(): ItemDay[] {
  return Array.from({ length: 60 }, (_, i) => {
    const p = (i + 0.5) / 60;
    const z = Math.log(p / (1 - p)) / 1.702;
    return item(`U${String(i).padStart(3, '0')}`, 1, Math.round(100 * Math.exp(0.7 * z)));
  });
}
const SERVICE = item('SVCBATCH', 1, 2_000_000); // one service account, huge every day
const INJECTED = item('ALICE', 1, 4000); // 40 × the population's typical 100

test('heavy tail: one service account inflates σ so compatible mode misses a 40× item; robust mode finds it', (t) => {
  const items = [...heavyTailed(), SERVICE, INJECTED];
  const r = detect(input(items), only(['activity/compatible', 'activity/robust'], noHistory));
  const by = (mode: string) => r.findings.filter((f) => f.mode === mode).map((f) => f.item);
  // mean 32 449, σ 251 920: the threshold mean + 3σ ≈ 788 000 is far above ALICE's 4000.
  t.deepEqual(by('compatible'), ['SVCBATCH']);
  t.deepEqual(by('robust'), ['SVCBATCH', 'ALICE']);
  const alice = r.findings.find((f) => f.mode === 'robust' && f.item === 'ALICE')!;
  // log1p median 4.639 (≈ ln 103.5), MAD 0.464: z = 0.6745·(ln 4001 − 4.639)/0.464 = 5.31
  t.true(close(alice.baseline?.log1p?.median, 4.639466581720897));
  t.true(close(alice.baseline?.log1p?.mad, 0.46416953519516513));
  t.true(close(alice.score, 5.3109579364508415));
  t.is(alice.baseline?.median, 102.5);
});

test('heavy tail: without the service account compatible mode does find the 40× item (σ inflation was the cause)', (t) => {
  const r = detect(input([...heavyTailed(), INJECTED]), only(['activity/compatible']));
  t.deepEqual(
    r.findings.map((f) => f.item),
    ['ALICE'],
  );
});

test('zero spread: all items 1 and one item 2 gives finite scores and no anomaly (compatible mode does fire)', (t) => {
  const items = [...same(20, 1), item('BOB', 2)];
  const scale = logScale(
    items.map((i) => i.distinct),
    0.25,
  )!;
  t.deepEqual(scale, { median: Math.log(2), mad: 0, scale: 0.25 }); // MAD 0 → the floor
  t.true(close(robustScore(2, scale), (0.6745 * Math.log(3 / 2)) / 0.25)); // 1.09
  const robust = detect(input(items), only(['count/robust'], noHistory));
  t.deepEqual(robust.findings, []);
  t.like(robust.outcomes[1], { mode: 'robust', status: 'evaluated', findings: 0 });
  // The same data under the source product's test: z = √20 = 4.47 and 2 > 1.05·1.2.
  const compatible = detect(input(items), only(['count/compatible']));
  t.deepEqual(
    compatible.findings.map((f) => f.item),
    ['BOB'],
  );
});

test('zero spread: the floor makes the smallest firing value (x+1)/(median+1) > 3.66', (t) => {
  const at = (x: number) => detect(input([...same(20, 1), item('BOB', x)]), only(['count/robust'], noHistory)).findings;
  // x = 6: 0.6745·ln(7/2)/0.25 = 3.38 ≤ 3.5; x = 7: 0.6745·ln(8/2)/0.25 = 3.74 > 3.5
  t.deepEqual(at(6), []);
  const f = at(7)[0];
  t.true(close(f?.score, (0.6745 * Math.log(4)) / 0.25));
  t.true(Number.isFinite(f?.score));
});

test('all items equal: every score is 0, nothing fires', (t) => {
  const r = detect(input(same(30, 5)), only(['count/robust', 'activity/robust'], noHistory));
  t.deepEqual(r.findings, []);
});

/** The ten days before 2024-05-08 with the given rows each day. */
function tenDays(rows: [string, number, number?][]): HistoryDay[] {
  return Array.from({ length: 10 }, (_, i) => historyDay(addDays('2024-05-08', -10 + i)!, rows));
}

test('a day given twice in the history counts once: the last copy wins, the other is counted as ignored', (t) => {
  const history = [...tenDays([['SVCBATCH', 1, 1_900_000]]), historyDay('2024-05-07', [['OTHER', 1, 1]])];
  const r = detect(input([...heavyTailed(), SERVICE], { history }), only(['activity/robust']));
  t.is(r.ignoredHistoryDays, 1);
  t.deepEqual(r.findings, []); // 9 remaining days of SVCBATCH history ≥ min_days 7: usual for it
});

test('history confirms: a service account that is always huge is not reported, a sudden 40× item is', (t) => {
  const items = [...heavyTailed(), SERVICE, INJECTED, item('CAROL', 1, 5000)];
  // CAROL is active on the last 3 days only: not enough history, judged by the population alone.
  const history = Array.from({ length: 10 }, (_, i) =>
    historyDay(addDays('2024-05-08', -10 + i)!, [
      ['SVCBATCH', 1, 1_900_000],
      ['ALICE', 1, 100],
      ...(i >= 7 ? [['CAROL', 1, 5000] as [string, number, number]] : []),
    ]),
  );
  const r = detect(input(items, { history }), only(['activity/robust']));
  t.deepEqual(
    r.findings.map((f) => f.item),
    ['CAROL', 'ALICE'],
  );
  const alice = r.findings.find((f) => f.item === 'ALICE')!;
  t.like(alice.history, { days: 10, windowDays: 28, baselineDays: 'all', log1p: { median: Math.log(101), mad: 0, scale: 0.25 } });
  t.true(close(alice.history?.score, (0.6745 * (Math.log(4001) - Math.log(101))) / 0.25)); // 9.93
  t.is(r.findings.find((f) => f.item === 'CAROL')!.history, undefined);
});

test('history disabled: the service account is reported every day', (t) => {
  const history = tenDays([['SVCBATCH', 1, 1_900_000]]);
  const r = detect(input([...heavyTailed(), SERVICE], { history }), only(['activity/robust'], noHistory));
  t.deepEqual(
    r.findings.map((f) => f.item),
    ['SVCBATCH'],
  );
});

test('baseline days "same-kind": a Saturday is compared with earlier weekend days only', (t) => {
  // BOB runs 4000 messages on weekdays and 100 on weekends; this Saturday he runs 4000.
  const saturday = '2024-05-11';
  const history = Array.from({ length: 28 }, (_, i) => {
    const day = addDays(saturday, -28 + i)!;
    const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
    return historyDay(day, [['BOB', 1, weekend ? 100 : 4000]]);
  });
  const items = [...Array.from({ length: 20 }, (_, i) => item(`U${i}`, 1, 50 + 5 * i)), item('BOB', 1, 4000)];
  const all = detect(input(items, { day: saturday, history }), only(['activity/robust']));
  t.deepEqual(all.findings, []); // usual for BOB on a weekday, and 'all' mixes weekdays in
  const sameKind = detect(
    input(items, { day: saturday, history }),
    only(['activity/robust'], { robust: { history: { baseline_days: 'same-kind' } } }),
  );
  t.deepEqual(
    sameKind.findings.map((f) => f.item),
    ['BOB'],
  );
  t.like(sameKind.findings[0]!.history, { days: 8, baselineDays: 'same-kind', stats: { median: 100 } });
});

test('no look-ahead: history on or after the analysed day is ignored and counted', (t) => {
  // If the future leaked in, SVCBATCH would look usual and be suppressed.
  const history = [
    historyDay('2024-05-08', [['SVCBATCH', 1, 2_000_000]]),
    ...Array.from({ length: 10 }, (_, i) => historyDay(addDays('2024-05-09', i)!, [['SVCBATCH', 1, 2_000_000]])),
    { day: 'not-a-day', items: [] },
  ];
  const r = detect(input([...heavyTailed(), SERVICE], { history }), only(['activity/robust']));
  t.is(r.ignoredHistoryDays, 12);
  t.deepEqual(
    r.findings.map((f) => f.item),
    ['SVCBATCH'],
  );
});

test('the window: days older than window_days do not count towards the item history', (t) => {
  const old = Array.from({ length: 10 }, (_, i) => historyDay(addDays('2024-05-08', -40 + i)!, [['SVCBATCH', 1, 2_000_000]]));
  const r = detect(input([...heavyTailed(), SERVICE], { history: old }), only(['activity/robust']));
  t.is(r.findings[0]?.history, undefined);
  t.is(r.findings[0]?.item, 'SVCBATCH');
  const wide = detect(input([...heavyTailed(), SERVICE], { history: old }), only(['activity/robust'], { robust: { history: { window_days: 60 } } }));
  t.deepEqual(wide.findings, []);
});
