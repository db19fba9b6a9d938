// Request-level faults, with a scripted client: what the output reports for a 413, a 429 with
// Retry-After and a failure whose message quotes credentials, and how delivery acts on it.
// (The same faults against real nodes: test/e2e/es-*.test.ts.)
import test from 'ava';
import { Writable } from 'node:stream';
import type { Client } from '@elastic/elasticsearch';
import winston from 'winston';
import type { ElasticsearchConfig } from '../../../../agent/config/schema.js';
import { ElasticsearchOutput } from '../../../../agent/outputs/elasticsearch/index.js';
import { deliver } from '../../../../agent/pipeline/delivery.js';
import type { PipelineEvent } from '../../../../agent/pipeline/event.js';
import { total } from '../../../../agent/telemetry/metrics.js';
import { testContext } from '../../../helpers/context.js';

interface BulkParams {
  operations: string[];
}

/** A client whose bulk() runs `answer` on the documents of each request (in order). */
function scriptedClient(answer: (ids: string[], call: number) => unknown): { client: Client; calls: string[][] } {
  const calls: string[][] = [];
  const client = {
    bulk: async (params: BulkParams) => {
      const ids = params.operations.filter((_, i) => i % 2 === 0).map((a) => (JSON.parse(a) as { create: { _id: string } }).create._id);
      calls.push(ids);
      return answer(ids, calls.length);
    },
    close: async () => {},
  };
  return { client: client as unknown as Client, calls };
}

const responseError = (statusCode: number, headers: Record<string, string> = {}, message = 'Response Error') =>
  Object.assign(new Error(message), { name: 'ResponseError', meta: { statusCode, headers } });

const created = (ids: string[]) => ({ errors: false, items: ids.map(() => ({ create: { status: 201 } })) });

function ev(id: string, size = 10): PipelineEvent {
  const doc = { n: id, pad: 'x'.repeat(size) };
  return { id, doc: doc as never, json: JSON.stringify(doc), line: { text: id, bytes: 10, receivedAt: 0, source: { input: 'test', offset: 0, end: 1 } } };
}

function config(over: Partial<ElasticsearchConfig> = {}): ElasticsearchConfig {
  return {
    hosts: ['http://127.0.0.1:9'],
    index: 'x',
    verify_certificate: true,
    request_timeout_ms: 1000,
    bulk_max_events: 100,
    bulk_max_bytes: 1 << 20,
    concurrency: 1,
    retry_initial_ms: 1,
    retry_max_ms: 10,
    ...over,
  };
}

/** A context whose logger keeps every line (to look for secrets and messages). */
function capturingContext() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const ctx = testContext();
  ctx.logger = winston.createLogger({ level: 'debug', format: winston.format.json(), transports: [new winston.transports.Stream({ stream })] });
  return { ctx, lines };
}

test('a request refused as too large (413) is split until it fits; nothing is resent whole', async (t) => {
  // The "server" takes at most 3 documents per request.
  const { client, calls } = scriptedClient((ids) => (ids.length > 3 ? Promise.reject(responseError(413)) : created(ids)));
  const ctx = testContext();
  const out = new ElasticsearchOutput(config(), ctx, client);
  const events = Array.from({ length: 10 }, (_, i) => ev(`e${i}`));
  const outcomes = await out.publish(events, ctx.signal);
  t.deepEqual(outcomes.map((o) => o.kind), Array(10).fill('ok'));
  const accepted = calls.filter((c) => c.length <= 3).flat();
  t.deepEqual(accepted, events.map((e) => e.id), 'every document sent once in an accepted request, in order');
  t.true(calls.length <= 7, `calls: ${calls.map((c) => c.length).join(',')}`);
  t.true((await total(ctx.metrics.requestFailures, { reason: 'es_413' })) >= 1);
});

test('a single document too large for any request is rejected with the reason, the rest delivered', async (t) => {
  const { client } = scriptedClient((ids) => (ids.includes('big') ? Promise.reject(responseError(413)) : created(ids)));
  const ctx = testContext();
  const out = new ElasticsearchOutput(config(), ctx, client);
  const events = [ev('a'), ev('b'), ev('big', 5000), ev('c')];
  const result = await deliver(out, events, { retryInitialMs: 1, retryMaxMs: 10 }, { ...ctx, signal: ctx.signal });
  t.is(result.delivered, 3);
  t.is(result.deadLetters.length, 1);
  const dl = result.deadLetters[0]!;
  t.is(dl.code, 'request_too_large');
  t.regex(dl.reason, /413/);
  t.is(dl.line.text, 'big');
});

test('a 429 with Retry-After makes delivery wait at least that long (capped at retry_max_ms)', async (t) => {
  const { client, calls } = scriptedClient((ids, call) => (call === 1 ? Promise.reject(responseError(429, { 'retry-after': '1' })) : created(ids)));
  const ctx = testContext();
  const out = new ElasticsearchOutput(config(), ctx, client);
  const started = Date.now();
  const result = await deliver(out, [ev('a'), ev('b')], { retryInitialMs: 1, retryMaxMs: 400 }, { ...ctx, signal: ctx.signal });
  const waited = Date.now() - started;
  t.is(result.delivered, 2);
  t.is(calls.length, 2);
  t.true(waited >= 390 && waited < 1000, `waited ${waited} ms (Retry-After 1 s, cap 400 ms)`);
  t.is(await total(ctx.metrics.eventsRetried, { reason: 'es_429' }), 2);
  t.is(await total(ctx.metrics.requestFailures, { reason: 'es_429' }), 1);
});

test('a failure message that quotes credentials is logged without them', async (t) => {
  const apiKey = Buffer.from('kid:api-key-secret-value').toString('base64');
  const { client } = scriptedClient((_ids, call) =>
    call === 1
      ? Promise.reject(Object.assign(new Error(`connect ECONNREFUSED https://elastic:Sup3rSecret@10.0.0.1:9200 (key ${apiKey})`), { name: 'ConnectionError' }))
      : created(['a']),
  );
  const { ctx, lines } = capturingContext();
  const out = new ElasticsearchOutput(config({ hosts: ['https://elastic:Sup3rSecret@10.0.0.1:9200'], api_key: apiKey }), ctx, client);
  const result = await deliver(out, [ev('a')], { retryInitialMs: 1, retryMaxMs: 10 }, { ...ctx, signal: ctx.signal });
  t.is(result.delivered, 1);
  const logged = lines.join('');
  t.regex(logged, /ECONNREFUSED https:\/\/\*\*\*@10\.0\.0\.1:9200/);
  for (const secret of ['Sup3rSecret', apiKey, 'api-key-secret-value']) t.false(logged.includes(secret), `${secret} was logged`);
});
