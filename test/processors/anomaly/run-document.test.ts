// The run document: what one nightly run of one day did, with an id per (day, attempt).

import test from 'ava';

import { DEFAULT_SETTINGS } from '../../../processors/anomaly/config.js';
import { detect } from '../../../processors/anomaly/detectors.js';
import { runDocument, runId, runStatus, type RunInput } from '../../../processors/anomaly/run-document.js';
import { ALL, DEFINITION, input, item, only, same, values } from './helpers.js';
import { loadTemplate, unmappedProblems } from './mapping-check.js';

const START = Date.parse('2024-05-09T01:00:00.000Z');

function run(extra: Partial<RunInput> = {}): RunInput {
  const big = detect(input([...same(20, 1), item('ALICE', 50, 50, { newValues: values(['X', 1]) })]), only([...ALL]));
  const small = detect(
    input([item('BOB', 1, 1, { newValues: values(['Y', 2]) })], { definition: { ...DEFINITION, id: 'db2-grantor', name: 'Db2 grantor' } }),
    only([...ALL]),
  );
  return {
    day: '2024-05-08',
    attempt: 1,
    trigger: 'schedule',
    startedAt: START,
    finishedAt: START + 1234,
    results: [big, small],
    errors: [],
    parameters: { defaults: DEFAULT_SETTINGS, overrides: { 'db2-grantor': { min_population: 5 } } },
    ...extra,
  };
}

test('counts anomalies per kind and lists detectors without a verdict', (t) => {
  const { id, document: d } = runDocument(run(), START + 2000);
  t.is(id, runId('2024-05-08', 1));
  t.deepEqual(d.run.anomalies, { association_count: 2, association_activity: 2, new_associations: 2, total: 6 });
  t.deepEqual(d.run.insufficient_baseline, [
    'db2-grantor/association_count/compatible',
    'db2-grantor/association_count/robust',
    'db2-grantor/association_activity/compatible',
    'db2-grantor/association_activity/robust',
  ]);
  t.deepEqual(d.run.learning, []);
  t.like(d.run, { day: '2024-05-08', attempt: 1, trigger: 'schedule', status: 'success', definitions: { analysed: 2, failed: 0 } });
  t.deepEqual(d.run.outcomes[0], { definition_id: 'user-dsn', kind: 'association_count', mode: 'compatible', status: 'evaluated', population: 21, findings: 1 });
  t.deepEqual(d.run.outcomes[5], { definition_id: 'db2-grantor', kind: 'association_count', mode: 'compatible', status: 'insufficient_baseline', population: 1, required: 11 });
  t.like(d.event, { kind: 'event', dataset: 'smf.anomaly_run', start: '2024-05-09T01:00:00.000Z', end: '2024-05-09T01:00:01.234Z', duration: 1_234_000_000, outcome: 'success' });
  t.is(d['@timestamp'], '2024-05-09T01:00:00.000Z');
  t.is(d.event.created, '2024-05-09T01:00:02.000Z');
  t.is(d.message, 'Anomaly run for 2024-05-08 (attempt 1, schedule): success, 6 anomalies from 2 definitions, 4 detectors with too few items in 1234 ms.');
});

test('learning definitions are listed', (t) => {
  const learning = detect(input([item('A', 1)], { firstSeenDay: '2024-05-06' }), only(['new']));
  const d = runDocument(run({ results: [learning] }), START).document;
  t.deepEqual(d.run.learning, ['user-dsn/new_associations']);
  t.like(d.run.outcomes.at(-1), { kind: 'new_associations', status: 'learning', days_of_data: 2, required: 7 });
});

test('status: success, partial when some definitions failed, failed when none was analysed', (t) => {
  t.is(runStatus(3, 0), 'success');
  t.is(runStatus(0, 0), 'success');
  t.is(runStatus(2, 1), 'partial');
  t.is(runStatus(0, 2), 'failed');
  const d = runDocument(run({ errors: [{ definitionId: 'broken', message: 'state unreadable' }] }), START).document;
  t.like(d.run, { status: 'partial', definitions: { analysed: 2, failed: 1 }, errors: [{ definition_id: 'broken', message: 'state unreadable' }] });
  t.is(d.event.outcome, 'failure');
});

test('one id per (day, attempt): a retried attempt replaces, a new attempt adds', (t) => {
  t.is(runDocument(run(), START).id, runDocument(run({ finishedAt: START + 9 }), START + 99).id);
  t.not(runId('2024-05-08', 1), runId('2024-05-08', 2));
  t.not(runId('2024-05-08', 1), runId('2024-05-09', 1));
});

test('every field is mapped by mappings/anomaly-runs.json; parameters are stored, not indexed', (t) => {
  const template = loadTemplate('anomaly-runs.json');
  t.deepEqual(template.index_patterns, ['smf-anomaly-runs*']);
  const learning = detect(input([item('A', 1)], { firstSeenDay: '2024-05-06' }), only(['new']));
  const withAll = run({ results: [...run().results, learning], errors: [{ definitionId: 'x', message: 'bad' }] });
  t.deepEqual(unmappedProblems(runDocument(withAll, START).document, template.template.mappings), []);
});
