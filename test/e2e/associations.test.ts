// Associations end to end: the real agent process, the real Elasticsearch, the bundled definitions.
import test from 'ava';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { useEs, waitForCount } from '../helpers/es.js';
import { runCli, spawnCli, tempDir, writeConfig } from '../helpers/agent-process.js';

interface Ev {
  minutesAgo: number;
  user?: string;
  job: string;
  dsn?: string;
  terminal?: string;
}

function line(e: Ev, now: number): string {
  return JSON.stringify({
    timestamp: new Date(now - e.minutesAgo * 60_000).toISOString(),
    record_type: '80',
    ...(e.user ? { user_id: e.user } : {}),
    job_name: e.job,
    ...(e.dsn ? { dsn: e.dsn } : {}),
    ...(e.terminal ? { terminal: e.terminal } : {}),
    smf_system_id: 'SYSA',
  });
}

function setupAgent(t: Parameters<typeof useEs>[0], name: string, feed: string) {
  const { es, settings, prefix } = useEs(t);
  const dir = tempDir();
  const env = { ES_URL: settings.hosts[0], ES_USERNAME: settings.username, ES_PASSWORD: settings.password };
  const ix = { events: `smf-events-${prefix}-${name}`, pairs: `smf-associations-${prefix}-${name}`, rows: `smf-association-definitions-${prefix}-${name}` };
  const config = writeConfig(dir, {
    agent: { name: 'e2e', data_dir: join(dir, 'data'), timezone: 'UTC' },
    inputs: [{ type: 'file', name: 'feed', paths: [feed], format: 'json' }],
    pipeline: { batch_max_events: 300 },
    output: { elasticsearch: { hosts: ['${ES_URL}'], username: '${ES_USERNAME}', password: '${ES_PASSWORD}', index: ix.events } },
    dead_letter: { index: '' },
    monitoring: { enabled: false },
    associations: { index: ix.pairs, definitions_index: ix.rows, flush_interval_ms: 300 },
  });
  return { es, env, ix, config };
}

async function runToEnd(config: string, env: Record<string, string | undefined>, es: Client, index: string, n: number): Promise<void> {
  const p = spawnCli(['run', '--config', config], env);
  await waitForCount(es, index, n, 120_000);
  await p.ready();
  p.child.kill('SIGTERM');
  const { code, signal } = await p.exited;
  if (code !== 0) throw new Error(`agent exited with code ${code} signal ${signal}: ${p.stderr().slice(-2000)}`);
}

type PairRow = { def: string; v1: string; v2: string; today: number; history: number };

/** Every pair document (paged with search_after), in (definition, value 1, value 2) order. */
async function pairs(es: Client, index: string, def?: string): Promise<PairRow[]> {
  await es.indices.refresh({ index });
  const out: PairRow[] = [];
  let after: (string | number)[] | undefined;
  for (;;) {
    const r = await es.search({
      index,
      size: 5000,
      sort: [{ 'association.definition.id': 'asc' }, { 'association.field1.value': 'asc' }, { 'association.field2.value': 'asc' }],
      ...(def ? { query: { term: { 'association.definition.id': def } } } : {}),
      ...(after ? { search_after: after } : {}),
    });
    if (r.hits.hits.length === 0) return out;
    for (const h of r.hits.hits) {
      const a = (h._source as { association: { definition: { id: string }; field1: { value: string }; field2: { value: string }; count: { today: number; history: number } } }).association;
      out.push({ def: a.definition.id, v1: a.field1.value, v2: a.field2.value, today: a.count.today, history: a.count.history });
    }
    after = r.hits.hits[r.hits.hits.length - 1]!.sort as (string | number)[];
  }
}

async function rows(es: Client, index: string): Promise<Record<string, { unique: unknown; messages: unknown; status: string }>> {
  await es.indices.refresh({ index });
  const r = await es.search({ index, size: 100 });
  return Object.fromEntries(
    r.hits.hits.map((h) => {
      const a = (h._source as { association: { unique: unknown; messages: unknown; status: string } }).association;
      return [h._id!, { unique: a.unique, messages: a.messages, status: a.status }];
    }),
  );
}

test('a scripted stream produces exactly the expected association documents and definition rows', async (t) => {
  const dir = tempDir();
  const feed = join(dir, 'feed.log');
  const now = Date.now();
  const evs: Ev[] = [
    { minutesAgo: 5, user: 'alice', job: 'TSOALICE', dsn: 'PAYROLL.DATA' },
    { minutesAgo: 4, user: 'ALICE', job: 'TSOALICE', dsn: 'PAYROLL.DATA' },
    { minutesAgo: 3, user: 'ALICE', job: 'TSOALICE', dsn: 'HR.DATA' },
    { minutesAgo: 2, user: 'BOB', job: 'TSOBOB', dsn: 'PAYROLL.DATA' },
    { minutesAgo: 1, user: 'BOB', job: 'TSOBOB' }, // no DSN: associates nothing under userid-dsn
  ];
  writeFileSync(feed, evs.map((e) => line(e, now)).join('\n') + '\n');
  const { es, env, ix, config } = setupAgent(t, 'scripted', feed);
  t.is((await runCli(['setup'], env)).code, 0);
  await runToEnd(config, env, es, ix.events, evs.length);

  t.deepEqual(await pairs(es, ix.pairs, 'userid-dsn'), [
    { def: 'userid-dsn', v1: 'ALICE', v2: 'HR.DATA', today: 1, history: 1 },
    { def: 'userid-dsn', v1: 'ALICE', v2: 'PAYROLL.DATA', today: 2, history: 2 },
    { def: 'userid-dsn', v1: 'BOB', v2: 'PAYROLL.DATA', today: 1, history: 1 },
  ]);
  t.deepEqual(await pairs(es, ix.pairs, 'jobname-datasets'), [
    { def: 'jobname-datasets', v1: 'TSOALICE', v2: 'HR.DATA', today: 1, history: 1 },
    { def: 'jobname-datasets', v1: 'TSOALICE', v2: 'PAYROLL.DATA', today: 2, history: 2 },
    { def: 'jobname-datasets', v1: 'TSOBOB', v2: 'PAYROLL.DATA', today: 1, history: 1 },
  ]);
  const r = await rows(es, ix.rows);
  t.deepEqual(r['userid-dsn'], { unique: { today: 3, history: 3 }, messages: { today: 4, history: 4 }, status: 'ok' });
  t.is(Object.keys(r).length, 19, 'one row per default definition');
  t.deepEqual(r['cics-userid-transaction'], { unique: { today: 0, history: 0 }, messages: { today: 0, history: 0 }, status: 'ok' });

  // History survives a restart; new messages add to it.
  appendFileSync(feed, line({ minutesAgo: 0, user: 'ALICE', job: 'TSOALICE', dsn: 'HR.DATA' }, Date.now()) + '\n');
  await runToEnd(config, env, es, ix.events, evs.length + 1);
  const after = await rows(es, ix.rows);
  t.deepEqual(after['userid-dsn'], { unique: { today: 3, history: 3 }, messages: { today: 5, history: 5 }, status: 'ok' });
});

test('SIGKILL and restart give the same association counts as an uninterrupted run', async (t) => {
  const dir = tempDir();
  const feed = join(dir, 'feed.log');
  const now = Date.now();
  const N = 8_000;
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    const u = `U${(i * 7919) % 61}`;
    lines.push(line({ minutesAgo: (N - i) / 100, user: u, job: `TSO${u}`, dsn: `HLQ${i % 5}.DATA${(i * 31) % 23}`, terminal: `T${i % 17}` }, now));
  }
  writeFileSync(feed, lines.join('\n') + '\n');
  const a = setupAgent(t, 'straight', feed);
  const b = setupAgent(t, 'killed', feed);
  t.is((await runCli(['setup'], a.env)).code, 0);
  await runToEnd(a.config, a.env, a.es, a.ix.events, N);

  for (const fraction of [0.2, 0.5, 0.8]) {
    const p = spawnCli(['run', '--config', b.config], b.env);
    await waitForCount(b.es, b.ix.events, N * fraction, 120_000);
    p.child.kill('SIGKILL');
    await p.exited;
  }
  await runToEnd(b.config, b.env, b.es, b.ix.events, N);

  const straight = await pairs(a.es, a.ix.pairs);
  const killed = await pairs(b.es, b.ix.pairs);
  t.true(straight.length > 1000, `${straight.length} pairs`);
  t.true(straight.some((p) => p.history > 1), 'some pairs counted more than once');
  t.deepEqual(killed, straight);
  t.deepEqual(await rows(b.es, b.ix.rows), await rows(a.es, a.ix.rows));
});
