// The job's error paths with fake outputs (no Elasticsearch): what becomes partial or failed,
// what is kept on record, and that runs never overlap.
import test from 'ava';
import type { Client } from '@elastic/elasticsearch';
import { AnomalyJob, type JobDeps } from '../../../agent/anomaly/job.js';
import { AnomalyMeta } from '../../../agent/anomaly/meta.js';
import { loadDefinitions } from '../../../agent/associations/loader.js';
import type { PipelineEvent } from '../../../agent/pipeline/event.js';
import type { ItemOutcome, Output } from '../../../agent/pipeline/outcome.js';
import { dailyKey, type DefinitionError } from '../../../processors/associations/index.js';
import { testContext } from '../../helpers/context.js';
import { agentConfig, count, DEF, population, SWEEPER, tempStore } from './helpers.js';

const bundled = loadDefinitions({ include_defaults: true, definitions: [], lists: {} });
const userDsn = bundled.definitions.filter((d) => d.id === DEF);

function fakeOutput(answer: (e: PipelineEvent) => ItemOutcome = () => ({ kind: 'ok' })): Output & { seen: PipelineEvent[] } {
  const seen: PipelineEvent[] = [];
  return {
    name: 'fake',
    seen,
    publish: async (events) => {
      seen.push(...events);
      return events.map(answer);
    },
    close: async () => {},
  };
}

function fakeClient(deleted: string[]): Client {
  const bulk = async ({ operations }: { operations: { delete: { _id: string } }[] }) => {
    deleted.push(...operations.map((o) => o.delete._id));
    return { items: operations.map(() => ({ delete: { status: 200 } })) };
  };
  return { bulk } as unknown as Client;
}

async function setup(t: Parameters<typeof tempStore>[0], over: Partial<JobDeps> = {}) {
  const { store, state } = tempStore(t);
  await count(store, state, population('2024-05-01', 15, '2024-05-15'));
  const ctx = testContext();
  const anomalies = fakeOutput();
  const runs = fakeOutput();
  const deleted: string[] = [];
  const deps: JobDeps = {
    ctx,
    store,
    state,
    definitions: userDsn,
    loadErrors: [],
    timeZone: 'UTC',
    anomalies,
    runs,
    client: fakeClient(deleted),
    delivery: { retryInitialMs: 1, retryMaxMs: 5 },
    ...over,
  };
  return { job: new AnomalyJob(agentConfig().anomalies, deps), store, state, ctx, anomalies, runs, deleted };
}

test('a definition that failed to load makes the run partial and is named in the run document', async (t) => {
  const loadError = { code: 'SMF_ERR_DEFINITION', source: 'x.yaml', id: 'broken', key: '', line: undefined, problem: 'bad', message: "definition 'broken': bad" } as DefinitionError;
  const { job, runs } = await setup(t, { loadErrors: [loadError] });
  const s = await job.runDay('2024-05-15', 'schedule');
  t.is(s.status, 'partial');
  t.deepEqual(s.errors, [{ definitionId: 'broken', message: "not loaded: definition 'broken': bad" }]);
  const doc = JSON.parse(runs.seen[0]!.json) as { run: { status: string; errors: unknown[] } };
  t.is(doc.run.status, 'partial');
  t.is(doc.run.errors.length, 1);
});

test('anomaly documents refused by Elasticsearch are reported against their definition', async (t) => {
  const refusing = fakeOutput(() => ({ kind: 'reject', code: 'mapper_parsing_exception', reason: 'no' }));
  const { job } = await setup(t, { anomalies: refusing });
  const s = await job.runDay('2024-05-15', 'manual');
  t.is(s.status, 'partial');
  t.regex(s.errors[0]!.message, /3 anomaly documents refused by Elasticsearch \(mapper_parsing_exception: no\)/);
  t.is(s.errors[0]!.definitionId, DEF);
});

test('a shutdown during the writes ends the run as aborted; the ids it may have written stay on record', async (t) => {
  const { job, ctx, store } = await setup(t);
  ctx.abort.abort();
  const s = await job.runDay('2024-05-15', 'schedule');
  t.true(s.aborted);
  t.is(s.status, 'failed');
  t.is(new AnomalyMeta(store).ids('2024-05-15')[DEF]?.length, 3, 'old ∪ new ids are saved before writing');
});

test('a re-run of a day whose statistics are gone keeps the earlier documents', async (t) => {
  const { job, store, state, deleted } = await setup(t);
  const first = await job.runDay('2024-05-15', 'manual');
  t.is(first.anomalies.total, 3); // robust count, robust activity, new associations (compatible is disabled by default)
  await store.commit(() => {
    for (const [k] of state.range('daily\u0000')) if (k.includes('\u00002024-05-15\u0000')) state.db.remove(`daily\u0000${k}`);
  });
  const again = await job.runDay('2024-05-15', 'manual');
  t.is(again.anomalies.total, 0);
  t.deepEqual(deleted, []);
  t.is(new AnomalyMeta(store).ids('2024-05-15')[DEF]?.length, 3);
});

test('runs are serialised: a second runDay waits until the first has finished', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const blocking: Output = { name: 'blocking', publish: async (events) => (await gate, events.map(() => ({ kind: 'ok' as const }))), close: async () => {} };
  const { job, runs } = await setup(t, { anomalies: blocking });
  const a = job.runDay('2024-05-15', 'manual'); // has findings: blocks in its writes
  const b = job.runDay('2024-05-14', 'manual'); // has none: would be done at once if it did not wait
  await new Promise((r) => setTimeout(r, 50));
  t.is(runs.seen.length, 0, 'the second run has not started');
  release();
  await Promise.all([a, b]);
  t.deepEqual(
    runs.seen.map((e) => (JSON.parse(e.json) as { run: { day: string } }).run.day),
    ['2024-05-15', '2024-05-14'],
  );
});

test('the attempt number grows with each run of the same day', async (t) => {
  const { job } = await setup(t);
  t.is((await job.runDay('2024-05-15', 'manual')).attempt, 1);
  t.is((await job.runDay('2024-05-15', 'manual')).attempt, 2);
  t.is((await job.runDay('2024-05-14', 'manual')).attempt, 1);
});

test('stale documents whose deletion is refused stay on record, against their definition', async (t) => {
  const refusing = {
    bulk: async ({ operations }: { operations: unknown[] }) => ({ items: operations.map(() => ({ delete: { status: 400, error: { type: 'illegal_argument_exception', reason: 'nope' } } })) }),
  } as unknown as Client;
  const { job, store, state } = await setup(t, { client: refusing });
  t.is((await job.runDay('2024-05-15', 'manual')).anomalies.total, 3);
  const usual = state.getDaily(dailyKey(DEF, '2024-05-14', SWEEPER))!;
  await store.commit(() => state.putDaily(dailyKey(DEF, '2024-05-15', SWEEPER), { ...usual, day: '2024-05-15', newPairs: 0, newValues: [] }));
  const s = await job.runDay('2024-05-15', 'manual');
  t.is(s.status, 'partial');
  t.deepEqual(s.errors, [{ definitionId: DEF, message: '3 stale anomaly documents could not be deleted (illegal_argument_exception: nope)' }]);
  t.is(new AnomalyMeta(store).ids('2024-05-15')[DEF]?.length, 3);
});
