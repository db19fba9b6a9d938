// The nightly job against the run's real Elasticsearch: a store filled through the association
// engine, the bundled definitions, the installed index templates (dynamic: strict mappings).
import test from 'ava';
import type { Client } from '@elastic/elasticsearch';
import { createAnomalies, createAnomalyJob } from '../../../agent/anomaly/index.js';
import { AnomalyMeta } from '../../../agent/anomaly/meta.js';
import { loadDefinitions } from '../../../agent/associations/loader.js';
import { installTemplates } from '../../../agent/outputs/elasticsearch/templates.js';
import { dailyKey, type DailyItemStats } from '../../../processors/associations/index.js';
import { testContext } from '../../helpers/context.js';
import { useEs, type EsFixture } from '../../helpers/es.js';
import { agentConfig, count, DEF, population, SWEEPER, tempStore } from './helpers.js';

const DELIVERY = { retryInitialMs: 10, retryMaxMs: 200 };

function setup(t: Parameters<typeof useEs>[0], fx: EsFixture, dir: string) {
  const index = `smf-anomalies-${fx.prefix}`;
  const runsIndex = `smf-anomaly-runs-${fx.prefix}`;
  const config = agentConfig({
    dataDir: dir,
    es: { hosts: fx.settings.hosts, ...(fx.settings.username ? { username: fx.settings.username, password: fx.settings.password ?? '' } : {}) },
    // Compatible mode (the source product's test) enabled too, so both modes are exercised.
    anomalies: { index, runs_index: runsIndex, settings: { association_count: { compatible: { severity: 'high' } }, association_activity: { compatible: { severity: 'high' } } } },
  });
  return { config, index, runsIndex };
}

type Anomaly = { anomaly: { kind: string; mode?: string; day: string }; association: { definition: { id: string }; field1: { value: string } } };
type Run = { run: { day: string; attempt: number; trigger: string; status: string; anomalies: { total: number } } };

async function all<T>(es: Client, index: string): Promise<{ id: string; doc: T }[]> {
  await es.indices.refresh({ index, ignore_unavailable: true });
  const r = await es.search<T>({ index, size: 1000, ignore_unavailable: true, sort: [{ '@timestamp': 'asc' }] });
  return r.hits.hits.map((h) => ({ id: h._id!, doc: h._source! }));
}

test('a user sweeping 40× more data sets is reported in both modes; a re-run replaces; a finding gone on re-run is deleted', async (t) => {
  const fx = useEs(t);
  await installTemplates(fx.es);
  const { store, state, dir } = tempStore(t);
  await count(store, state, population('2024-05-01', 15, '2024-05-15'));
  const { config, index, runsIndex } = setup(t, fx, dir);
  const job = createAnomalyJob(config, testContext(), store, fx.es, { delivery: DELIVERY });

  const first = await job.runDay('2024-05-15', 'manual');
  t.is(first.status, 'success', JSON.stringify(first.errors));
  t.is(first.definitions.analysed, 19, 'every bundled definition, most of them without data');
  const docs = await all<Anomaly>(fx.es, index);
  const found = docs.map((d) => `${d.doc.association.definition.id} ${d.doc.association.field1.value} ${d.doc.anomaly.kind}/${d.doc.anomaly.mode ?? '-'}`).sort();
  t.deepEqual(found, [
    `${DEF} ${SWEEPER} association_activity/compatible`,
    `${DEF} ${SWEEPER} association_activity/robust`,
    `${DEF} ${SWEEPER} association_count/compatible`,
    `${DEF} ${SWEEPER} association_count/robust`,
    `${DEF} ${SWEEPER} new_associations/-`,
  ]);
  t.true(docs.every((d) => d.doc.anomaly.day === '2024-05-15'));
  t.is(first.written, 5);
  t.is(first.anomalies.total, 5);
  t.true(first.insufficientBaseline.length > 0, 'definitions without data report their too-small population');

  const again = await job.runDay('2024-05-15', 'manual');
  t.is(again.attempt, 2);
  const docs2 = await all<Anomaly>(fx.es, index);
  t.deepEqual(docs2.map((d) => d.id).sort(), docs.map((d) => d.id).sort(), 'same ids, no duplicates');
  const runs = await all<Run>(fx.es, runsIndex);
  t.deepEqual(runs.map((r) => [r.doc.run.day, r.doc.run.attempt, r.doc.run.status, r.doc.run.anomalies.total]).sort(), [
    ['2024-05-15', 1, 'success', 5],
    ['2024-05-15', 2, 'success', 5],
  ]);

  // The sweeper's day now looks like any other: the re-run finds nothing and removes the old documents.
  const key = dailyKey(DEF, '2024-05-15', SWEEPER);
  const usual = state.getDaily(dailyKey(DEF, '2024-05-14', SWEEPER))!;
  await store.commit(() => state.putDaily(key, { ...usual, day: '2024-05-15', newPairs: 0, newValues: [] } satisfies DailyItemStats));
  const third = await job.runDay('2024-05-15', 'manual');
  t.is(third.anomalies.total, 0);
  t.is(third.staleDeleted, 5);
  t.deepEqual(await all<Anomaly>(fx.es, index), []);
  t.deepEqual(new AnomalyMeta(store).ids('2024-05-15')[DEF], []);
});

test('catch-up after a downtime runs every missed day in order, each without looking ahead', async (t) => {
  const fx = useEs(t);
  await installTemplates(fx.es);
  const { store, state, dir } = tempStore(t);
  await count(store, state, population('2024-05-01', 15, '2024-05-15'));
  const { config, index, runsIndex } = setup(t, fx, dir);
  const meta = new AnomalyMeta(store);
  await meta.markDone('2024-05-10'); // the agent was down from 05-11 on
  let now = Date.parse('2024-05-16T06:00:00Z');
  const ctx = { ...testContext(), clock: { now: () => now++ } };
  const scheduler = createAnomalies(config, ctx, store, fx.es, DELIVERY, { loaded: loadDefinitions(config.associations), state });
  t.truthy(scheduler);
  await scheduler!.tick();
  await scheduler!.stop();

  const runs = await all<Run>(fx.es, runsIndex);
  t.deepEqual(
    runs.map((r) => [r.doc.run.day, r.doc.run.trigger, r.doc.run.status]),
    [
      ['2024-05-11', 'catch_up', 'success'],
      ['2024-05-12', 'catch_up', 'success'],
      ['2024-05-13', 'catch_up', 'success'],
      ['2024-05-14', 'catch_up', 'success'],
      ['2024-05-15', 'schedule', 'success'],
    ],
  );
  t.deepEqual(
    runs.map((r) => r.doc.run.anomalies.total),
    [0, 0, 0, 0, 5],
    'the sweep of 05-15 was in the store during the earlier days, but never in their analysis',
  );
  t.is(meta.lastDay(), '2024-05-15');
  const docs = await all<Anomaly>(fx.es, index);
  t.true(docs.length === 5 && docs.every((d) => d.doc.anomaly.day === '2024-05-15'));
});
