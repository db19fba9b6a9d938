// Enrichment end to end: the real agent on a simulated feed whose data set records carry only the
// job name; in Elasticsearch they carry the user and client IP the simulator says were really
// behind them, learned from the earlier session and logon records, and marked as enriched.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useEs, waitForCount } from '../helpers/es.js';
import { runCli, spawnCli, tempDir, writeConfig } from '../helpers/agent-process.js';

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));

interface Truth {
  line: number;
  kind: string;
  user?: string;
  ip?: string;
  job?: string;
}

test('data set records that carry only a job name come out with the true user and IP, marked as enriched', async (t) => {
  const { es, settings, prefix } = useEs(t);
  const feed = join(SAMPLES, 'converter.json.log');
  const lines = readFileSync(feed, 'utf8').split('\n').slice(0, -1);
  const truth = readFileSync(join(SAMPLES, 'truth', 'converter.json.log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Truth);
  const offsets: number[] = [];
  lines.reduce((off, l) => (offsets.push(off), off + Buffer.byteLength(l) + 1), 0);

  const dir = tempDir();
  const index = `smf-events-${prefix}`;
  const env = { ES_URL: settings.hosts[0], ES_USERNAME: settings.username, ES_PASSWORD: settings.password };
  const config = writeConfig(dir, {
    agent: { data_dir: join(dir, 'data'), timezone: 'Europe/Berlin' },
    inputs: [{ type: 'file', name: 'feed', paths: [feed], timezone: 'Europe/Berlin' }],
    output: { elasticsearch: { hosts: ['${ES_URL}'], username: '${ES_USERNAME}', password: '${ES_PASSWORD}', index } },
    dead_letter: { index: '' },
    associations: { enabled: false },
    monitoring: { enabled: false },
  });
  t.is((await runCli(['setup'], env)).code, 0);
  const p = spawnCli(['run', '--config', config], env);
  await waitForCount(es, index, lines.length, 120_000);
  await p.ready();
  p.child.kill('SIGTERM');
  t.is((await p.exited).code, 0, p.stderr().slice(-1000));

  const datasetRecords = truth.filter((x) => x.kind.startsWith('dataset') && x.user && !lines[x.line - 1]!.includes(`"${x.user}"`));
  t.true(datasetRecords.length >= 50, `${datasetRecords.length} data set records without a user in the text`);
  const r = await es.search({ index, size: 1000, query: { terms: { 'log.offset': datasetRecords.map((x) => offsets[x.line - 1]!) } } });
  const byOffset = new Map(r.hits.hits.map((h) => [(h._source as { log: { offset: number } }).log.offset, h._source as Record<string, any>])); // eslint-disable-line @typescript-eslint/no-explicit-any
  let filledUser = 0;
  let wrong = 0;
  for (const x of datasetRecords) {
    const doc = byOffset.get(offsets[x.line - 1]!);
    t.truthy(doc, `line ${x.line} indexed`);
    if (!doc?.user?.name) continue;
    filledUser++;
    if (doc.user.name !== x.user || (doc.source?.ip && doc.source.ip !== x.ip)) wrong++;
    t.true(doc.enrichment.fields.includes('user.name'), `line ${x.line}: enrichment.fields ${JSON.stringify(doc.enrichment)}`);
  }
  t.is(wrong, 0, 'no wrong user or IP was filled');
  t.true(filledUser / datasetRecords.length >= 0.8, `user filled on ${filledUser} of ${datasetRecords.length}`);
});
