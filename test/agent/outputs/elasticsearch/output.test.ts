// Against the run's real Elasticsearch: what the output reports must be what Elasticsearch decided.
import test from 'ava';
import { ElasticsearchOutput } from '../../../../agent/outputs/elasticsearch/index.js';
import { deliver } from '../../../../agent/pipeline/delivery.js';
import type { PipelineEvent } from '../../../../agent/pipeline/event.js';
import { useEs } from '../../../helpers/es.js';
import { testContext } from '../../../helpers/context.js';
import { total } from '../../../../agent/telemetry/metrics.js';

function ev(id: string, doc: Record<string, unknown>): PipelineEvent {
  return { id, doc: doc as never, json: JSON.stringify(doc), line: { text: JSON.stringify(doc), bytes: 10, receivedAt: 0, source: { input: 'test', offset: 0, end: 1 } } };
}

test('indexes with our ids, answers a replay as duplicate, and rejects a mapping conflict with the reason', async (t) => {
  const { es, settings, prefix } = useEs(t);
  const index = `${prefix}-events`;
  await es.indices.create({ index, mappings: { properties: { source: { properties: { ip: { type: 'ip' } } }, n: { type: 'long' } } } });
  const ctx = testContext();
  const out = new ElasticsearchOutput(
    { hosts: settings.hosts, username: settings.username, password: settings.password, index, verify_certificate: true, request_timeout_ms: 10_000, bulk_max_events: 2, bulk_max_bytes: 1 << 20, concurrency: 2, retry_initial_ms: 10, retry_max_ms: 100 },
    ctx,
  );
  t.teardown(() => out.close());
  const batch = [ev('a1', { n: 1, source: { ip: '10.0.0.1' } }), ev('a2', { n: 2 }), ev('a3', { n: 3, source: { ip: 'not-an-ip' } }), ev('a4', { n: 4 })];
  const first = await out.publish(batch, ctx.signal);
  t.deepEqual(first.map((o) => o.kind), ['ok', 'ok', 'reject', 'ok']);
  const rejected = first[2]!;
  t.true(rejected.kind === 'reject' && rejected.code === 'document_parsing_exception' && /source\.ip/.test(rejected.reason), JSON.stringify(rejected));

  const replay = await out.publish(batch, ctx.signal);
  t.deepEqual(replay.map((o) => o.kind), ['duplicate', 'duplicate', 'reject', 'duplicate']);

  await es.indices.refresh({ index });
  const { hits } = await es.search({ index, size: 10, sort: ['n'] });
  t.deepEqual(hits.hits.map((h) => h._id), ['a1', 'a2', 'a4']);

  const result = await deliver(out, batch, { retryInitialMs: 10, retryMaxMs: 100 }, { ...ctx, signal: ctx.signal });
  t.is(result.duplicates, 3);
  t.is(result.deadLetters.length, 1);
  t.is(await total(ctx.metrics.eventsPublished, { outcome: 'dead_letter' }), 1);
});

test('an unreachable cluster yields retry outcomes for every event, never a throw', async (t) => {
  const ctx = testContext();
  const out = new ElasticsearchOutput(
    { hosts: ['http://127.0.0.1:1'], index: 'x', verify_certificate: true, request_timeout_ms: 2000, bulk_max_events: 10, bulk_max_bytes: 1 << 20, concurrency: 1, retry_initial_ms: 10, retry_max_ms: 100 },
    ctx,
  );
  const outcomes = await out.publish([ev('b1', { n: 1 }), ev('b2', { n: 2 })], ctx.signal);
  t.deepEqual(outcomes, [{ kind: 'retry', reason: 'connection' }, { kind: 'retry', reason: 'connection' }]);
  t.is(await total(ctx.metrics.requestFailures, { reason: 'connection' }), 1);
  await out.close();
});
