// Anomaly documents: self-explaining, mapped, with ids that depend only on what the anomaly is
// about (definition, day, kind, mode, item), so re-running a day replaces its documents.

import test from 'ava';

import { detect } from '../../../processors/anomaly/detectors.js';
import { anomalyDocuments, anomalyId } from '../../../processors/anomaly/documents.js';
import type { DetectionInput } from '../../../processors/anomaly/types.js';
import { ALL, historyDay, input, item, only, same, values } from './helpers.js';
import { loadTemplate, unmappedProblems } from './mapping-check.js';

const CTX = { createdAt: Date.parse('2024-05-09T02:30:00.000Z'), timeZone: 'Europe/Berlin' };

/** One day on which every detector fires: ALICE is far out on both counts and has new values. */
function busyDay(): DetectionInput {
  const history = Array.from({ length: 8 }, (_, i) => historyDay(`2024-04-${String(20 + i).padStart(2, '0')}`, [['ALICE', 2, 3]]));
  return input(
    [
      ...same(20, 2, 3),
      item('ALICE', 80, 900, {
        newValues: values(['HR.SALARY', 3], ['PAY.MASTER', 1]),
        top: values(['SYS1.PARMLIB', 400], ['HR.SALARY', 3]),
      }),
    ],
    { history },
  );
}

const docsOf = (i: DetectionInput, createdAt = CTX.createdAt) => anomalyDocuments(detect(i, only([...ALL])), { ...CTX, createdAt });

test('a compatible document explains itself', (t) => {
  const [first] = docsOf(busyDay());
  const { document: d } = first!;
  t.is(d['@timestamp'], '2024-05-07T22:00:00.000Z'); // start of 2024-05-08 in Europe/Berlin (CEST)
  t.deepEqual(d.event, {
    kind: 'alert',
    module: 'smf',
    dataset: 'smf.anomaly',
    category: ['intrusion_detection'],
    type: ['indicator'],
    created: '2024-05-09T02:30:00.000Z',
    severity: 73,
  });
  t.like(d.anomaly, { kind: 'association_count', mode: 'compatible', day: '2024-05-08', severity: 'high', observed: 80 });
  t.deepEqual(d.anomaly.thresholds, { k: 3, marginal_pct: 20 });
  t.like(d.anomaly.baseline, { n: 21, median: 2, mad: 0 });
  t.deepEqual(d.association, {
    definition: { id: 'user-dsn', name: 'Userid and DSN' },
    field1: { label: 'User ID', value: 'ALICE' },
    field2: { label: 'data set' },
  });
  t.deepEqual(d.evidence.top_values, values(['SYS1.PARMLIB', 400], ['HR.SALARY', 3]));
  // mean = (40 + 80)/21 = 5.71; z = √20 = 4.47; (80 − 5.71)/5.71 = 1300 %
  t.is(
    d.message,
    'Userid and DSN: User ID ALICE had 80 distinct data set values on 2024-05-08, 4.47 standard deviations above ' +
      'the mean of 5.71 across 21 items and 1300% over it (thresholds 3σ and 20%).',
  );
});

test('a robust document shows the population and the item history it was confirmed against', (t) => {
  const d = docsOf(busyDay()).find((x) => x.document.anomaly.kind === 'association_activity' && x.document.anomaly.mode === 'robust')!.document;
  t.like(d.anomaly, { observed: 900, thresholds: { robust_threshold: 3.5 }, history: { days: 8, window_days: 28, baseline_days: 'all', median: 3 } });
  t.like(d.anomaly.baseline, { n: 21, median: 3, log1p: { median: Math.log(4), mad: 0, scale: 0.25 } });
  // population: 0.6745·(ln 901 − ln 4)/0.25 = 14.62; history: the same (ALICE was always at 3)
  t.is(
    d.message,
    'Userid and DSN: User ID ALICE had 900 associated messages on 2024-05-08, 300× the median of 3 across 21 items ' +
      '(robust score 14.62 > 3.5; 14.62 against its own median of 3 over 8 active days).',
  );
});

test('a new-associations document lists the values and has no mode, score or baseline', (t) => {
  const d = docsOf(busyDay()).find((x) => x.document.anomaly.kind === 'new_associations')!.document;
  t.deepEqual(d.anomaly, {
    kind: 'new_associations',
    day: '2024-05-08',
    severity: 'high',
    observed: 2,
    thresholds: { learning_days: 7, min_new_values: 1 },
  });
  t.deepEqual(d.evidence.new_values, values(['HR.SALARY', 3], ['PAY.MASTER', 1]));
  t.is(d.evidence.new_values_total, 2);
  t.is(d.message, 'Userid and DSN: User ID ALICE was associated with 2 new data set values on 2024-05-08: HR.SALARY, PAY.MASTER.');
});

test('the sentence names at most five new values and how many more there were', (t) => {
  const many = values(...Array.from({ length: 8 }, (_, i) => [`D${i}`, 8 - i] as [string, number]));
  const [doc] = anomalyDocuments(detect(input([item('BOB', 8, 8, { newValues: many })]), only(['new'])), CTX);
  t.is(doc!.document.message, 'Userid and DSN: User ID BOB was associated with 8 new data set values on 2024-05-08: D0, D1, D2, D3, D4 and 3 more.');
});

test('ids are stable across runs: re-running a day replaces, never duplicates', (t) => {
  const first = docsOf(busyDay()).map((d) => d.id);
  const again = docsOf(busyDay(), CTX.createdAt + 86_400_000).map((d) => d.id);
  t.deepEqual(again, first);
  t.is(first.length, 5); // count × 2 modes, activity × 2 modes, new associations
  t.is(new Set(first).size, 5); // distinct across kinds and modes
  for (const id of first) t.regex(id, /^[A-Za-z0-9_-]{43}$/); // base64url SHA-256
});

test('ids differ by definition, day, kind, mode and item, and cannot collide through separators', (t) => {
  const base = anomalyId('def', '2024-05-08', 'association_count', 'robust', 'ALICE');
  const variants = [
    anomalyId('def2', '2024-05-08', 'association_count', 'robust', 'ALICE'),
    anomalyId('def', '2024-05-09', 'association_count', 'robust', 'ALICE'),
    anomalyId('def', '2024-05-08', 'association_activity', 'robust', 'ALICE'),
    anomalyId('def', '2024-05-08', 'association_count', 'compatible', 'ALICE'),
    anomalyId('def', '2024-05-08', 'association_count', 'robust', 'BOB'),
    anomalyId('def', '2024-05-08', 'new_associations', undefined, 'ALICE'),
  ];
  t.is(new Set([base, ...variants]).size, 7);
  t.not(anomalyId('a/b', '2024-05-08', 'association_count', 'robust', 'c'), anomalyId('a', '2024-05-08', 'association_count', 'robust', 'b/c'));
  t.is(anomalyId('def', '2024-05-08', 'association_count', 'robust', 'ALICE'), base);
});

test('every field of every document kind is mapped by mappings/anomalies.json', (t) => {
  const template = loadTemplate('anomalies.json');
  t.deepEqual(template.index_patterns, ['smf-anomalies*']);
  t.is(template.template.mappings.dynamic, 'strict');
  const docs = docsOf(busyDay());
  t.is(new Set(docs.map((d) => `${d.document.anomaly.kind}/${d.document.anomaly.mode}`)).size, 5);
  for (const { document } of docs) t.deepEqual(unmappedProblems(document, template.template.mappings), []);
});

test('@timestamp is the start of the analysed day in the configured zone', (t) => {
  const at = (timeZone: string) => anomalyDocuments(detect(busyDay(), only(['new'])), { ...CTX, timeZone })[0]!.document['@timestamp'];
  t.is(at('UTC'), '2024-05-08T00:00:00.000Z');
  t.is(at('America/New_York'), '2024-05-08T04:00:00.000Z');
});
