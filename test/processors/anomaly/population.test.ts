// Minimum population: with n items the largest possible z is √(n−1) (population σ), so k = 3
// cannot be exceeded with 10 or fewer items. Below the minimum the detectors give no verdict
// and say so, instead of silently never firing.

import test from 'ava';

import { detect, requiredPopulation } from '../../../processors/anomaly/detectors.js';
import { ALL, input, item, only, same, values } from './helpers.js';

const POPULATION_DETECTORS = ALL.filter((d) => d !== 'new');

test('n = 10 with one extreme outlier: no verdict, insufficient baseline for every population detector', (t) => {
  const items = [...same(9, 1), item('SVC', 1_000_000, 1_000_000, { newValues: values(['NEW.DSN', 1]) })];
  const r = detect(input(items), only([...ALL]));
  t.deepEqual(
    r.outcomes.filter((o) => o.kind !== 'new_associations'),
    [
      { kind: 'association_count', mode: 'compatible', status: 'insufficient_baseline', population: 10, required: 11 },
      { kind: 'association_count', mode: 'robust', status: 'insufficient_baseline', population: 10, required: 11 },
      { kind: 'association_activity', mode: 'compatible', status: 'insufficient_baseline', population: 10, required: 11 },
      { kind: 'association_activity', mode: 'robust', status: 'insufficient_baseline', population: 10, required: 11 },
    ],
  );
  // New associations do not compare items with each other: still evaluated.
  t.deepEqual(
    r.findings.map((f) => `${f.kind}:${f.item}`),
    ['new_associations:SVC'],
  );
});

test('n = 10: compatible k = 3 cannot fire even when the minimum is lowered, so it still reports insufficient baseline', (t) => {
  // max z = √9 = 3, never > 3: the detector's own requirement n ≥ ⌊k²⌋ + 2 = 11 applies.
  const s = only([...POPULATION_DETECTORS], { min_population: 3 });
  const r = detect(input([...same(9, 1), item('SVC', 1_000_000)]), s);
  t.like(r.outcomes[0], { kind: 'association_count', mode: 'compatible', status: 'insufficient_baseline', required: 11 });
  t.like(r.outcomes[1], { kind: 'association_count', mode: 'robust', status: 'evaluated', findings: 1 });
  t.false(r.findings.some((f) => f.mode === 'compatible'));
});

test('n = 10 with k = 2: evaluated, and the single outlier scores exactly the bound √(n−1) = 3', (t) => {
  const s = only(['count/compatible'], { min_population: 3, association_count: { compatible: { k: 2 } } });
  const r = detect(input([...same(9, 1), item('SVC', 1_000_000)]), s);
  t.is(r.findings.length, 1);
  t.true(Math.abs((r.findings[0]!.score ?? 0) - 3) < 1e-9);
});

test('n = 11 with one outlier: z = √10 = 3.16 > 3, compatible fires', (t) => {
  const r = detect(input([...same(10, 1), item('SVC', 1_000_000)]), only(['count/compatible']));
  t.deepEqual(
    r.findings.map((f) => f.item),
    ['SVC'],
  );
});

test('required population: the configured minimum, raised for compatible mode to ⌊k²⌋ + 2', (t) => {
  const at = (k: number, min = 11) => requiredPopulation(only([], { min_population: min, association_count: { compatible: { k } } }), 'association_count', 'compatible');
  t.is(at(3), 11);
  t.is(at(4), 18); // √17 = 4.12 > 4, √16 = 4 is not
  t.is(at(2.5, 3), 8); // √7 = 2.65 > 2.5, √6 = 2.45 is not
  t.is(at(1, 20), 20);
  t.is(requiredPopulation(only([], { min_population: 5 }), 'association_activity', 'robust'), 5);
});

test('an empty day reports insufficient baseline with population 0', (t) => {
  const r = detect(input([]), only([...ALL]));
  t.like(r.outcomes[0], { status: 'insufficient_baseline', population: 0 });
  t.like(r.outcomes[4], { kind: 'new_associations', status: 'evaluated', population: 0, findings: 0 });
  t.deepEqual(r.findings, []);
});
