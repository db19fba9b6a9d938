// Contract points 2, 3 and 9, end to end, against an extra node configured to push back: a write
// thread pool of one thread and a queue of one (`thread_pool.write.*`), so that the agent's
// concurrent small bulks are answered with real 429s (whole requests and single items), and a
// request body limit (`http.max_content_length: 200kb`) that answers 413 to bulks carrying
// several large lines. In the same run some documents conflict with the index mapping
// (`process.name` mapped as `long`, a non-numeric job name): they go to the dead-letter index with
// the reason, and nothing else is held up. Every line ends up exactly once in one of the two.
import test from 'ava';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import { runCli, spawnCli, tempDir, writeConfig } from '../helpers/agent-process.js';
import { waitForCount } from '../helpers/es.js';
import { freePort, startExtraNode } from '../helpers/extra-node.js';
import { metricValue } from '../helpers/metrics.js';

const N = 2000;
const conflicts = (seq: number) => seq % 10 === 3; // job name not a number: refused by the mapping
const large = (seq: number) => seq % 1000 >= 500 && seq % 1000 < 503; // runs of three 110 KB lines
const OVERSIZED = 1222; // one 300 KB line: larger than any request may be

function feedLine(seq: number): string {
  const t = new Date(Date.UTC(2025, 2, 3, 8, 0, 0) + seq * 1000).toISOString();
  const job = conflicts(seq) ? `JOB${seq}` : String(1000 + (seq % 13));
  const pad = seq === OVERSIZED ? 300_000 : large(seq) ? 110_000 : 0;
  return JSON.stringify({ timestamp: t, record_type: '80', user_id: `USER${seq % 31}`, job_name: job, smf_system_id: 'SYSR', seq, ...(pad ? { pad: 'q'.repeat(pad) } : {}) });
}

test('real 429s are retried until indexed, 413s split, mapping conflicts dead-lettered; every line once', async (t) => {
  const t0 = Date.now();
  const node = await startExtraNode(t, {
    settings: { 'thread_pool.write.size': 1, 'thread_pool.write.queue_size': 1, 'http.max_content_length': '200kb' },
  });
  t.log(`node ${node.connection.url} started in ${(node.startedMs / 1000).toFixed(1)} s`);
  const { es } = node;
  const pools = await es.cat.threadPool({ thread_pool_patterns: 'write', h: 'name,size,queue_size', format: 'json' });
  t.deepEqual(pools.map((p) => [p.size, p.queue_size]), [['1', '1']], 'write pool of one thread, queue of one');

  const dir = tempDir('smf-429-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ES_URL: node.connection.url, ES_USERNAME: node.connection.username, ES_PASSWORD: node.connection.password };
  t.is((await runCli(['setup'], env)).code, 0, 'templates installed');
  const index = 'smf-events-pushback';
  const dlIndex = 'smf-deadletter-pushback';
  // The installed template maps process.name as keyword; this index says long instead.
  await es.indices.create({ index, mappings: { properties: { process: { properties: { name: { type: 'long' } } } } } });
  const mapping = await es.indices.getFieldMapping({ index, fields: 'process.name' });
  t.is((mapping[index]!.mappings['process.name']!.mapping as { name: { type: string } }).name.type, 'long');

  const feed = join(dir, 'feed.log');
  const offsets: number[] = [];
  let size = 0;
  const lines = Array.from({ length: N }, (_, seq) => {
    const line = feedLine(seq);
    offsets.push(size);
    size += Buffer.byteLength(line) + 1;
    return line;
  });
  writeFileSync(feed, lines.join('\n') + '\n');
  const seqs = offsets.map((_, seq) => seq);
  const expectRefused = seqs.filter((s) => conflicts(s) || s === OVERSIZED);
  const expectIndexed = seqs.filter((s) => !conflicts(s) && s !== OVERSIZED);

  const metricsPort = await freePort();
  const config = writeConfig(dir, {
    agent: { name: 'pushback', data_dir: join(dir, 'data') },
    inputs: [{ type: 'file', name: 'feed', paths: [feed], format: 'json', keep_original: true, max_line_bytes: 512 * 1024 }],
    pipeline: { batch_max_events: 400, max_in_flight_batches: 4 },
    output: {
      elasticsearch: {
        hosts: ['${ES_URL}'],
        username: '${ES_USERNAME}',
        password: '${ES_PASSWORD}',
        index,
        concurrency: 8,
        bulk_max_events: 10,
        retry_initial_ms: 50,
        retry_max_ms: 1000,
      },
    },
    dead_letter: { index: dlIndex },
    monitoring: { port: metricsPort },
    associations: { enabled: false },
    anomalies: { enabled: false },
  });
  const agentStart = Date.now();
  const agent = spawnCli(['run', '--config', config], env);
  t.teardown(() => {
    if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
  });
  const indexed = await waitForCount(es, index, expectIndexed.length, 240_000);
  const refused = await waitForCount(es, dlIndex, expectRefused.length, 60_000);
  const took = Date.now() - agentStart;
  await sleep(1000); // a late extra document would show up now
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  await agent.ready();
  agent.child.kill('SIGTERM');
  const { code } = await agent.exited;
  t.is(code, 0, agent.stderr().slice(-2000));
  t.is(indexed, expectIndexed.length, agent.stderr().slice(-2000));
  t.is(refused, expectRefused.length);

  // Every line exactly once: indexed, or dead-lettered with the reason; never both, never twice.
  const seqAt = new Map(offsets.map((o, seq) => [o, seq]));
  const inIndex = await offsetsIn(es, index, ['log.offset']);
  const inDl = await offsetsIn(es, dlIndex, ['log.offset', 'error.type', 'error.message']);
  t.is(new Set(inIndex.map((d) => d.offset)).size, inIndex.length, 'an event indexed twice');
  t.is(new Set(inDl.map((d) => d.offset)).size, inDl.length, 'a line dead-lettered twice');
  t.deepEqual(inIndex.map((d) => seqAt.get(d.offset)), expectIndexed);
  t.deepEqual(inDl.map((d) => seqAt.get(d.offset)), expectRefused);
  for (const d of inDl) {
    const seq = seqAt.get(d.offset)!;
    if (seq === OVERSIZED) {
      t.is(d.error?.type, 'request_too_large');
      t.regex(d.error?.message ?? '', /413/);
    } else {
      t.is(d.error?.type, 'document_parsing_exception', `seq ${seq}`);
      t.regex(d.error?.message ?? '', /process\.name/, `seq ${seq}`);
    }
  }

  // What the metrics show: real 429s retried, 413s split, the refusals dead-lettered, no drop.
  const m = (name: string, labels: Record<string, string> = {}) => metricValue(metrics, name, labels);
  const retried429 = m('smf_agent_events_retried_total', { reason: 'es_429' });
  const requests429 = m('smf_agent_output_request_failures_total', { reason: 'es_429' });
  const requests413 = m('smf_agent_output_request_failures_total', { reason: 'es_413' });
  t.log(`${N} lines in ${(took / 1000).toFixed(1)} s: ${expectIndexed.length} indexed, ${expectRefused.length} dead-lettered; test took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  t.log(`429: ${retried429} event retries, ${requests429} whole requests; 413: ${requests413} requests split`);
  t.log(metrics.split('\n').filter((l) => /^smf_agent_(events_retried|output_request_failures|events_published|dead_letter)_total/.test(l)).join('\n'));
  t.true(retried429 > 0, 'Elasticsearch answered 429 and the agent retried');
  t.true(requests413 > 0, 'Elasticsearch answered 413 and the agent split');
  t.is(m('smf_agent_events_published_total', { output: 'elasticsearch', outcome: 'dead_letter' }), expectRefused.length);
  t.is(m('smf_agent_dead_letter_total', { destination: 'elasticsearch' }), expectRefused.length);
  t.is(m('smf_agent_events_dropped_total'), 0);
  const published = m('smf_agent_events_published_total', { output: 'elasticsearch', outcome: 'indexed' }) + m('smf_agent_events_published_total', { output: 'elasticsearch', outcome: 'duplicate' });
  t.true(published >= expectIndexed.length, `indexed + duplicate = ${published}`);
});

async function offsetsIn(es: Client, index: string, fields: string[]): Promise<{ offset: number; error?: { type?: string; message?: string } }[]> {
  const out: { offset: number; error?: { type?: string; message?: string } }[] = [];
  let after: (string | number)[] | undefined;
  for (;;) {
    const r = await es.search<{ log: { offset: number }; error?: { type?: string; message?: string } }>({
      index,
      size: 5000,
      _source: fields,
      sort: [{ 'log.offset': 'asc' }],
      ...(after ? { search_after: after } : {}),
    });
    if (r.hits.hits.length === 0) return out;
    for (const h of r.hits.hits) out.push({ offset: h._source!.log.offset, ...(h._source!.error ? { error: h._source!.error } : {}) });
    after = r.hits.hits[r.hits.hits.length - 1]!.sort as (string | number)[];
  }
}

