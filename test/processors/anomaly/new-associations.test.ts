// New associations: one finding per item per day listing its new Field 2 values, only after
// the definition's learning period (the first `learning_days` days of data).

import test from 'ava';

import { DEFAULT_SETTINGS } from '../../../processors/anomaly/config.js';
import { detect } from '../../../processors/anomaly/detectors.js';
import { input, item, only, values } from './helpers.js';

const day = (d: string, firstSeenDay: string | undefined, items = sample()) => input(items, { day: d, firstSeenDay });

function sample() {
  const many = Array.from({ length: 15 }, (_, i) => [`SYS1.NEW${String(i).padStart(2, '0')}`, 15 - i] as [string, number]);
  return [
    item('ALICE', 5, 9, { newValues: values(['PAY.MASTER', 1], ['HR.SALARY', 4], ['CRM.LEADS', 2]) }),
    item('BOB', 20, 40, { newValues: values(...many) }),
    item('CAROL', 3, 3), // nothing new
  ];
}

test('learning: the first 7 days of a definition report nothing, and say so', (t) => {
  const r = detect(day('2024-05-07', '2024-05-01'), only(['new']));
  t.deepEqual(r.findings, []);
  t.deepEqual(r.outcomes.at(-1), { kind: 'new_associations', mode: undefined, status: 'learning', daysOfData: 6, required: 7 });
});

test('after learning: one finding per item with new values, values by count, the total kept', (t) => {
  const r = detect(day('2024-05-08', '2024-05-01'), only(['new']));
  t.deepEqual(r.outcomes.at(-1), { kind: 'new_associations', mode: undefined, status: 'evaluated', population: 3, findings: 2 });
  t.deepEqual(
    r.findings.map((f) => [f.item, f.observed, f.newValuesTotal, f.newValues.length]),
    [
      ['BOB', 15, 15, 10], // at most max_values (10) listed
      ['ALICE', 3, 3, 3],
    ],
  );
  const alice = r.findings[1]!;
  t.deepEqual(alice.newValues, values(['HR.SALARY', 4], ['CRM.LEADS', 2], ['PAY.MASTER', 1]));
  t.like(alice, { kind: 'new_associations', mode: undefined, severity: 'high', score: undefined, baseline: undefined });
  t.deepEqual(alice.thresholds, { learningDays: 7, minNewValues: 1 });
  t.deepEqual(r.findings[0]!.newValues[0], { value: 'SYS1.NEW00', count: 15 });
});

test('a total reported by the caller wins over a list it bounded', (t) => {
  const items = [item('ALICE', 50, 50, { newValues: values(['A', 1], ['B', 1]), newValuesTotal: 40 })];
  const f = detect(input(items), only(['new'])).findings[0]!;
  t.is(f.observed, 40);
  t.is(f.newValuesTotal, 40);
  t.is(f.newValues.length, 2);
});

test('no first-seen day means no data yet: learning with 0 days', (t) => {
  t.like(detect(day('2024-05-08', undefined), only(['new'])).outcomes.at(-1), { status: 'learning', daysOfData: 0, required: 7 });
});

test('a first-seen day after the analysed day (a backfill) counts as 0 days of data', (t) => {
  t.like(detect(day('2024-05-08', '2024-06-01'), only(['new'])).outcomes.at(-1), { status: 'learning', daysOfData: 0 });
});

test('learning_days 0 reports from the first day', (t) => {
  const r = detect(day('2024-05-01', '2024-05-01'), only(['new'], { new_associations: { learning_days: 0 } }));
  t.is(r.findings.length, 2);
});

test('min_new_values filters items with few new values', (t) => {
  const r = detect(day('2024-05-08', '2024-05-01'), only(['new'], { new_associations: { min_new_values: 4 } }));
  t.deepEqual(
    r.findings.map((f) => f.item),
    ['BOB'],
  );
});

test('not population-based: two items are enough', (t) => {
  const r = detect(input(sample().slice(0, 2)), only(['new', 'count/compatible']));
  t.like(r.outcomes[0], { kind: 'association_count', mode: 'compatible', status: 'insufficient_baseline', population: 2 });
  t.deepEqual(
    r.findings.map((f) => f.kind),
    ['new_associations', 'new_associations'],
  );
});

test('default severity is low; disabled means not evaluated', (t) => {
  const fresh = detect(day('2024-05-08', '2024-05-01'), DEFAULT_SETTINGS).findings.filter((f) => f.kind === 'new_associations');
  t.deepEqual(
    fresh.map((f) => f.severity),
    ['low', 'low'],
  );
  const off = detect(day('2024-05-08', '2024-05-01'), only([]));
  t.deepEqual(off.outcomes.at(-1), { kind: 'new_associations', mode: undefined, status: 'disabled' });
  t.deepEqual(off.findings, []);
});

test('count findings carry the new values as evidence too', (t) => {
  const items = [
    ...Array.from({ length: 10 }, (_, i) => item(`U${i}`, 1)),
    item('ALICE', 100, 100, { newValues: values(['X', 1]), top: values(['Y', 2], ['X', 1], ['Z', 7]) }),
  ];
  const f = detect(input(items), only(['count/compatible'])).findings[0]!;
  t.deepEqual(f.newValues, values(['X', 1]));
  t.deepEqual(f.topValues, values(['Z', 7], ['Y', 2], ['X', 1])); // sorted by count
});
