// Detection rehearsal end to end: the simulator writes 12 days of one LPAR's zSecure LEEF feed
// (70 people, the five default incidents on the last day, a Friday a few days ago) with its ground
// truth; the real agent (`smf-agent run`) reads it into Elasticsearch and its store; then the real
// CLI runs `smf-agent anomalies --date <last day>` on that store, twice. The anomaly documents
// must name the incident users through the detectors built to catch them, and the re-run must
// leave exactly the same documents.
//
// What the shipped defaults catch (measured; bench/detection.ts measures it over 30 days):
//   dataset-sweep   association_count/robust on userid-dsn
//   activity-burst  association_activity/robust (the user's TSO job name in jobname-datasets, or userid-dsn)
//   new-terminal    new_associations on userid-lpar-terminal (SYSA/<new LU>)
//   off-hours       new_associations on userid-hour-logged-in (hour 03)
//   honeypot        new_associations on userid-honeypot-dsn, severity high: the built-in settings give
//                   that definition no learning period, because nobody ever touches a decoy, so its first
//                   match is the signal (agent/anomaly/config.ts BUILTIN_DEFINITION_SETTINGS).
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { writeLines } from '../../agent/cli/simulate.js';
import { defaultIncidents, simulate } from '../../processors/simulate/index.js';
import { useEs, waitForCount } from '../helpers/es.js';
import { runCli, spawnCli, tempDir, writeConfig } from '../helpers/agent-process.js';

const DAY_MS = 86_400_000;
const DECOY = 'SECADM.PASSWORD.LIST';

/** The latest Friday before today (UTC): 1–7 days ago, so every day of the feed has ended. */
function lastFriday(now: number): string {
  const today = Date.parse(new Date(now).toISOString().slice(0, 10));
  for (let d = 1; ; d++) {
    const day = new Date(today - d * DAY_MS);
    if (day.getUTCDay() === 5) return day.toISOString().slice(0, 10);
  }
}

interface AnomalyDoc {
  anomaly: { kind: string; mode?: string; day: string; severity: string };
  association: { definition: { id: string }; field1: { value: string } };
  evidence: { new_values: { value: string; count: number }[] };
}

async function anomalies(es: Client, index: string): Promise<Map<string, AnomalyDoc>> {
  await es.indices.refresh({ index });
  const r = await es.search<AnomalyDoc>({ index, size: 10_000 });
  return new Map(r.hits.hits.map((h) => [h._id!, h._source!]));
}

test('the nightly job, run by the CLI on a store the agent built from a simulated feed, names the incident users', async (t) => {
  t.timeout(180_000);
  const { es, settings, prefix } = useEs(t);
  const dir = tempDir();
  const feed = join(dir, 'sysa.leef.log');
  const truthFile = join(dir, 'sysa.leef.truth.jsonl');
  const day = lastFriday(Date.now());
  const start = new Date(Date.parse(day) - 11 * DAY_MS).toISOString().slice(0, 10); // a Monday: 12 days
  const written = writeLines(
    simulate({ seed: 20250307, start, days: 12, users: 70, systems: ['SYSA'], format: 'leef', timezone: 'UTC', incidents: defaultIncidents() }),
    () => feed,
    () => truthFile,
  );
  // The incidents, from the ground truth: label <kind>/<date>/<user>.
  const users = new Map<string, string>();
  for (const line of readFileSync(truthFile, 'utf8').split('\n')) {
    const label = /"incident":"([^"]+)"/.exec(line)?.[1];
    if (label) users.set(label.split('/')[0]!, label.split('/')[2]!);
  }
  t.deepEqual([...users.keys()].sort(), ['activity-burst', 'dataset-sweep', 'honeypot', 'new-terminal', 'off-hours']);
  t.log(`feed: ${written.lines} lines ${start} … ${day}; incidents: ${[...users].map(([k, u]) => `${k} ${u}`).join(', ')}`);

  const env = { ES_URL: settings.hosts[0], ES_USERNAME: settings.username, ES_PASSWORD: settings.password };
  const ix = {
    events: `smf-events-${prefix}`,
    dead: `smf-deadletter-${prefix}`,
    anomalies: `smf-anomalies-${prefix}`,
    runs: `smf-anomaly-runs-${prefix}`,
  };
  const config = writeConfig(dir, {
    agent: { name: 'e2e', data_dir: join(dir, 'data'), timezone: 'UTC' },
    inputs: [{ type: 'file', name: 'sysa', paths: [feed], format: 'auto' }],
    pipeline: { batch_max_events: 5000 },
    output: { elasticsearch: { hosts: ['${ES_URL}'], username: '${ES_USERNAME}', password: '${ES_PASSWORD}', index: ix.events } },
    dead_letter: { index: ix.dead },
    associations: { index: `smf-associations-${prefix}`, definitions_index: `smf-association-definitions-${prefix}`, flush_interval_ms: 2000 },
    // The agent only builds the store; the job runs below, through the CLI, once all of it is in.
    anomalies: { enabled: false, index: ix.anomalies, runs_index: ix.runs },
    monitoring: { enabled: false },
  });
  t.is((await runCli(['setup'], env)).code, 0);

  const t0 = Date.now();
  const agent = spawnCli(['run', '--config', config], env);
  // Every line is indexed or dead-lettered (a simulated feed has no malformed lines unless asked).
  t.is(await waitForCount(es, ix.events, written.lines, 120_000), written.lines, agent.stderr().slice(-2000));
  await agent.ready();
  agent.child.kill('SIGTERM');
  t.is((await agent.exited).code, 0, agent.stderr().slice(-2000));
  t.log(`agent: ${written.lines} lines indexed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const first = await runCli(['anomalies', '--config', config, '--date', day], env);
  t.is(first.code, 0, first.stderr);
  t.regex(first.stdout, new RegExp(`anomaly run ${day} \\(attempt 1, manual\\): success`));
  t.log(first.stdout.trim());
  const docs = await anomalies(es, ix.anomalies);
  t.true(docs.size > 0);
  t.true([...docs.values()].every((d) => d.anomaly.day === day));
  const naming = (user: string) => [...docs.values()].filter((d) => d.association.field1.value === user);
  const has = (user: string, pred: (d: AnomalyDoc) => boolean) => naming(user).some(pred);
  const describe = (user: string) => naming(user).map((d) => `${d.association.definition.id}:${d.anomaly.kind}/${d.anomaly.mode ?? '-'}`).sort().join(', ');
  for (const [kind, user] of users) t.log(`${kind.padEnd(14)} ${user.padEnd(8)} ${describe(user) || 'not flagged'}`);

  const sweep = users.get('dataset-sweep')!;
  t.true(has(sweep, (d) => d.association.definition.id === 'userid-dsn' && d.anomaly.kind === 'association_count' && d.anomaly.mode === 'robust'), describe(sweep));

  const burst = users.get('activity-burst')!;
  t.true(has(burst, (d) => d.anomaly.kind === 'association_activity' && d.anomaly.mode === 'robust'), describe(burst));

  const terminal = users.get('new-terminal')!;
  t.true(
    has(terminal, (d) => d.association.definition.id === 'userid-lpar-terminal' && d.anomaly.kind === 'new_associations' && d.evidence.new_values.some((v) => /^SYSA\/TCPAZ/.test(v.value))),
    describe(terminal),
  );

  const night = users.get('off-hours')!;
  t.true(
    has(night, (d) => d.association.definition.id === 'userid-hour-logged-in' && d.anomaly.kind === 'new_associations' && d.evidence.new_values.some((v) => Number(v.value) === 3)),
    describe(night),
  );

  // Honeypot: the first decoy access ever is reported by the honeypot definition, at high severity.
  const honey = users.get('honeypot')!;
  t.true(
    has(honey, (d) => d.association.definition.id === 'userid-honeypot-dsn' && d.anomaly.kind === 'new_associations' && d.anomaly.severity === 'high' && d.evidence.new_values.some((v) => v.value === DECOY)),
    describe(honey),
  );

  // A second run of the same day replaces: exactly the same document ids, nothing added.
  const second = await runCli(['anomalies', '--config', config, '--date', day], env);
  t.is(second.code, 0, second.stderr);
  t.regex(second.stdout, new RegExp(`anomaly run ${day} \\(attempt 2, manual\\): success`));
  const again = await anomalies(es, ix.anomalies);
  t.deepEqual([...again.keys()].sort(), [...docs.keys()].sort());
  t.is((await es.count({ index: ix.anomalies })).count, docs.size);
});
