// Backfill through the real CLI: an external log's associations saved against a given date.
import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useEs } from '../helpers/es.js';
import { runCli, tempDir, writeConfig } from '../helpers/agent-process.js';

test('backfill counts an external log under the given date, and refuses to count the same file twice', async (t) => {
  const { es, settings, prefix } = useEs(t);
  const dir = tempDir();
  const log = join(dir, 'external.log');
  // Times of another day entirely: the --date decides the day they are saved against.
  const lines = [
    { user: 'ALICE', dsn: 'PAYROLL.DATA' },
    { user: 'ALICE', dsn: 'PAYROLL.DATA' },
    { user: 'ALICE', dsn: 'HR.DATA' },
    { user: 'BOB', dsn: 'PAYROLL.DATA' },
  ].map((e, i) => JSON.stringify({ timestamp: `2024-06-01T10:0${i}:00Z`, record_type: '80', user_id: e.user, job_name: `TSO${e.user}`, dsn: e.dsn, smf_system_id: 'SYSA' }));
  writeFileSync(log, [...lines, 'this line is not any format'].join('\n') + '\n');
  const env = { ES_URL: settings.hosts[0], ES_USERNAME: settings.username, ES_PASSWORD: settings.password };
  const pairsIndex = `smf-associations-${prefix}`;
  const config = writeConfig(dir, {
    agent: { data_dir: join(dir, 'data'), timezone: 'UTC' },
    inputs: [{ type: 'file', name: 'unused', paths: [join(dir, 'none.log')] }],
    output: { elasticsearch: { hosts: ['${ES_URL}'], username: '${ES_USERNAME}', password: '${ES_PASSWORD}', index: `smf-events-${prefix}` } },
    associations: { index: pairsIndex, definitions_index: `smf-association-definitions-${prefix}` },
  });
  t.is((await runCli(['setup'], env)).code, 0);

  const first = await runCli(['backfill', '--config', config, '--input', log, '--date', '2025-01-15', '--format', 'auto'], env);
  t.is(first.code, 0, first.stderr);
  t.regex(first.stdout, /5 lines, 4 events, 1 rejected \(unknown_format 1\)/);

  await es.indices.refresh({ index: pairsIndex });
  const r = await es.search({ index: pairsIndex, size: 100, query: { term: { 'association.definition.id': 'userid-dsn' } }, sort: [{ 'association.field1.value': 'asc' }, { 'association.field2.value': 'asc' }] });
  const got = r.hits.hits.map((h) => {
    const a = (h._source as { association: { field1: { value: string }; field2: { value: string }; day: string; count: { history: number } } }).association;
    return [a.field1.value, a.field2.value, a.day, a.count.history];
  });
  t.deepEqual(got, [
    ['ALICE', 'HR.DATA', '2025-01-15', 1],
    ['ALICE', 'PAYROLL.DATA', '2025-01-15', 2],
    ['BOB', 'PAYROLL.DATA', '2025-01-15', 1],
  ]);

  const again = await runCli(['backfill', '--config', config, '--input', log, '--date', '2025-01-15'], env);
  t.is(again.code, 2);
  t.regex(again.stderr, /already backfilled for 2025-01-15/);

  const bad = await runCli(['backfill', '--config', config, '--input', log, '--date', '2025-13-40'], env);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /--date '2025-13-40' is not a calendar date/);
});
