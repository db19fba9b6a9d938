// `enrichment:` options: defaults, and invalid options as named cases with the expected message.
import test from 'ava';
import { z } from 'zod';
import { isSmfError } from '../../../agent/errors.js';
import { createEnricher, enrichmentConfigSchema } from '../../../processors/enrich/index.js';

test('defaults', (t) => {
  t.deepEqual(enrichmentConfigSchema.parse({}), {
    learn: true,
    ttl_ms: 43_200_000,
    max_entries: 200_000,
    fill: ['process.name', 'zos.job_id', 'zos.terminal', 'user.name', 'source.ip'],
    end_actions: ['tn3270-session-end', 'tso-logoff', 'job-end', 'logoff'],
    start_actions: ['tn3270-session-start'],
    tables: [],
  });
  t.deepEqual(createEnricher().config, enrichmentConfigSchema.parse({}));
});

test('a table in the configuration names its file; format defaults to csv', (t) => {
  const config = enrichmentConfigSchema.parse({ tables: [{ name: 'user', path: '/etc/smf-agent/users.csv' }] });
  t.deepEqual(config.tables, [{ name: 'user', path: '/etc/smf-agent/users.csv', format: 'csv' }]);
});

const invalid: [string, unknown, string][] = [
  ['unknown key', { ttl: 5 }, '(root): Unrecognized key: "ttl"'],
  ['ttl not positive', { ttl_ms: 0 }, 'ttl_ms: '],
  ['ttl not an integer', { ttl_ms: 1.5 }, 'ttl_ms: '],
  ['max_entries too small', { max_entries: 2 }, 'max_entries: '],
  ['unknown fill field', { fill: ['user.full_name'] }, 'fill.0: '],
  ['learn not a boolean', { learn: 'yes' }, 'learn: '],
  ['empty end action', { end_actions: [''] }, 'end_actions.0: '],
  ['table without path', { tables: [{ name: 'user' }] }, 'tables.0.path: '],
  ['table without kind', { tables: [{ name: 'hr', path: 'hr.csv' }] }, "tables.0.kind: table 'hr': kind is required"],
  ['duplicate table', { tables: [{ name: 'user', path: 'a.csv' }, { name: 'user', path: 'b.csv' }] }, "tables.1.name: duplicate table name 'user'"],
  ['bad table format', { tables: [{ name: 'user', path: 'a.xlsx', format: 'xlsx' }] }, 'tables.0.format: '],
];

for (const [name, options, message] of invalid) {
  test(`invalid options are refused with their key path: ${name}`, (t) => {
    const err = t.throws(() => createEnricher(options));
    t.true(isSmfError(err, 'SMF_ERR_CONFIG'));
    t.true(err?.message.includes(message), err?.message);
  });
}

test('every problem is reported at once', (t) => {
  const err = t.throws(() => createEnricher({ ttl_ms: -1, max_entries: 0, fill: ['x'] }));
  for (const key of ['ttl_ms', 'max_entries', 'fill.0']) t.true(err?.message.includes(`${key}: `), key);
});

test('the schema mounts under enrichment: in the agent configuration, with key paths from there', (t) => {
  const root = z.strictObject({ enrichment: enrichmentConfigSchema.prefault({}) });
  t.deepEqual(root.parse({}).enrichment, enrichmentConfigSchema.parse({}));
  const result = root.safeParse({ enrichment: { ttl_ms: 0, tables: [{ name: 'hr', path: 'hr.csv' }] } });
  t.false(result.success);
  t.deepEqual(result.error?.issues.map((i) => i.path.join('.')).sort(), ['enrichment.tables.0.kind', 'enrichment.ttl_ms']);
});
