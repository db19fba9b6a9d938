// Nightly anomalies end to end: the real agent builds its store from a JSON feed of 15 days
// (30 users with steady habits, one of whom sweeps 40× more data sets yesterday), then the real
// CLI runs `anomalies --date <yesterday>` on that store against the real Elasticsearch.
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import { useEs } from '../helpers/es.js';
import { runCli, spawnCli, tempDir, writeConfig } from '../helpers/agent-process.js';

const DAY_MS = 86_400_000;

function feed(now: number): string[] {
  const lines: string[] = [];
  const today = Date.parse(new Date(now).toISOString().slice(0, 10));
  for (let daysAgo = 15; daysAgo >= 1; daysAgo--) {
    const noon = today - daysAgo * DAY_MS + 12 * 3600_000;
    for (let i = 0; i < 30; i++) {
      const user = `U${String(i).padStart(2, '0')}`;
      const habit = 3 + (i % 5);
      const dsns = Array.from({ length: habit }, (_, k) => `${user}.DATA${k}`);
      if (user === 'U07' && daysAgo === 1) for (let k = 0; k < habit * 40; k++) dsns.push(`SWEEP.Y${String(k).padStart(4, '0')}`);
      dsns.forEach((dsn, k) => {
        for (const s of [0, 1]) {
          const timestamp = new Date(noon + i * 60_000 + k * 1000 + s * 100).toISOString();
          lines.push(JSON.stringify({ timestamp, record_type: '80', user_id: user, job_name: `TSO${user}`, dsn, smf_system_id: 'SYSA' }));
        }
      });
    }
  }
  return lines;
}

async function waitForCount(es: Client, index: string, n: number): Promise<number> {
  let c = 0;
  for (let i = 0; i < 1200 && c < n; i++) {
    // A just-created index can briefly answer "no shard available": that is "not yet".
    c = await es.indices
      .refresh({ index, ignore_unavailable: true })
      .then(() => es.count({ index, ignore_unavailable: true }))
      .then((r) => r.count, () => c);
    if (c < n) await sleep(100);
  }
  return c;
}

test('`smf-agent anomalies --date` on a store built by the agent reports the sweeping user, replaces on re-run, and refuses a store in use', async (t) => {
  const { es, settings, prefix } = useEs(t);
  const dir = tempDir();
  const feedFile = join(dir, 'feed.log');
  const lines = feed(Date.now());
  writeFileSync(feedFile, lines.join('\n') + '\n');
  const yesterday = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
  const env = { ES_URL: settings.hosts[0], ES_USERNAME: settings.username, ES_PASSWORD: settings.password };
  const ix = { events: `smf-events-${prefix}`, anomalies: `smf-anomalies-${prefix}`, runs: `smf-anomaly-runs-${prefix}` };
  const writeAgentConfig = (enabled: boolean) => writeConfig(dir, {
    agent: { name: 'e2e', data_dir: join(dir, 'data'), timezone: 'UTC' },
    inputs: [{ type: 'file', name: 'feed', paths: [feedFile], format: 'json' }],
    pipeline: { batch_max_events: 500 },
    output: { elasticsearch: { hosts: ['${ES_URL}'], username: '${ES_USERNAME}', password: '${ES_PASSWORD}', index: ix.events } },
    dead_letter: { index: '' },
    associations: { index: `smf-associations-${prefix}`, definitions_index: `smf-association-definitions-${prefix}`, flush_interval_ms: 300 },
    anomalies: { enabled, index: ix.anomalies, runs_index: ix.runs },
    monitoring: { enabled: false },
  });
  // First the agent only builds the store (its own job off, so what it would analyse does not
  // depend on how far it has read); `anomalies --date` runs whatever `enabled` says.
  const config = writeAgentConfig(false);
  t.is((await runCli(['setup'], env)).code, 0);

  const agent = spawnCli(['run', '--config', config], env);
  t.is(await waitForCount(es, ix.events, lines.length), lines.length);
  // While the agent holds the store, the manual run is refused with a way out.
  const locked = await runCli(['anomalies', '--config', config, '--date', yesterday], env);
  t.is(locked.code, 1, locked.stderr);
  t.regex(locked.stderr, /SMF_ERR_STORE_LOCKED/);
  t.regex(locked.stderr, /hint: stop the agent first, or copy its data_dir/);
  await agent.ready();
  agent.child.kill('SIGTERM');
  const exited = await agent.exited;
  t.is(exited.code, 0, agent.stderr().slice(-2000));

  const first = await runCli(['anomalies', '--config', config, '--date', yesterday], env);
  t.is(first.code, 0, first.stderr);
  t.regex(first.stdout, new RegExp(`anomaly run ${yesterday} \\(attempt \\d+, manual\\): success`));
  await es.indices.refresh({ index: ix.anomalies });
  const found = await es.search<{ anomaly: { kind: string; mode?: string; day: string }; association: { definition: { id: string }; field1: { value: string } } }>({
    index: ix.anomalies,
    size: 100,
  });
  const docs = found.hits.hits.map((h) => h._source!);
  const userDsn = docs.filter((d) => d.association.definition.id === 'userid-dsn').map((d) => `${d.association.field1.value} ${d.anomaly.kind}/${d.anomaly.mode ?? '-'}`);
  t.deepEqual(userDsn.sort(), ['U07 association_activity/robust', 'U07 association_count/robust', 'U07 new_associations/-']);
  t.true(docs.every((d) => d.anomaly.day === yesterday && ['U07', 'TSOU07'].includes(d.association.field1.value)), JSON.stringify(docs.map((d) => d.association)));

  const second = await runCli(['anomalies', '--config', config, '--date', yesterday], env);
  t.is(second.code, 0, second.stderr);
  await es.indices.refresh({ index: [ix.anomalies, ix.runs] });
  t.is((await es.count({ index: ix.anomalies })).count, docs.length, 'a re-run replaces, it does not add');
  const runs = await es.search<{ run: { day: string; trigger: string; attempt: number } }>({ index: ix.runs, size: 100, query: { term: { 'run.trigger': 'manual' } } });
  t.deepEqual(runs.hits.hits.map((h) => h._source!.run.day), [yesterday, yesterday]);
  t.log(second.stdout.trim());

  // With its job on, the agent catches up at start: the newest catch_up_days (7) days with data,
  // oldest first (manual runs do not count as completed days of the schedule).
  writeAgentConfig(true);
  const restarted = spawnCli(['run', '--config', config], env);
  const catchUp = { index: ix.runs, query: { term: { 'run.trigger': 'catch_up' } } };
  for (let i = 0; i < 300 && (await es.count(catchUp)).count < 7; i++) {
    await sleep(100);
    await es.indices.refresh({ index: ix.runs });
  }
  await restarted.ready();
  restarted.child.kill('SIGTERM');
  t.is((await restarted.exited).code, 0, restarted.stderr().slice(-2000));
  await es.indices.refresh({ index: [ix.runs, ix.anomalies] });
  const caught = await es.search<{ run: { day: string; status: string } }>({ ...catchUp, size: 100, sort: [{ '@timestamp': 'asc' }] });
  const days = caught.hits.hits.map((h) => h._source!.run.day);
  const due = [yesterday, new Date(Date.now() - 2 * DAY_MS).toISOString().slice(0, 10)]; // before 00:15 UTC only the day before is due
  t.is(days.length, 7, days.join(', '));
  t.true(due.includes(days[6]!), days.join(', '));
  t.deepEqual(days, [...days].sort(), 'oldest first');
  t.true(caught.hits.hits.every((h) => h._source!.run.status === 'success'));
  t.is((await es.count({ index: ix.anomalies })).count, docs.length, 'the catch-up of the same day replaced the same documents');

  const future = await runCli(['anomalies', '--config', config, '--date', '2999-01-01'], env);
  t.is(future.code, 2);
  t.regex(future.stderr, /is in the future/);
});
