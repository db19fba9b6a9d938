// Static lookup tables: user, ip and generic tables from CSV and JSON lines (fixtures in
// test/fixtures/enrich/), applied after the session cache; bad tables as named cases.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { isSmfError } from '../../../agent/errors.js';
import { createEnricher, type LookupTableInput } from '../../../processors/enrich/index.js';
import { MINUTE, SECOND, T0, ev } from './helpers.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/enrich/${name}`, import.meta.url), 'utf8');
const users: LookupTableInput = { name: 'user', format: 'csv', text: fixture('users.csv') };
const hosts: LookupTableInput = { name: 'hosts', kind: 'ip', format: 'jsonl', text: fixture('hosts.jsonl') };
const owners: LookupTableInput = {
  name: 'owners',
  kind: 'generic',
  format: 'csv',
  match: 'process.name',
  key_column: 'job',
  set: { 'labels.owner': 'owner', 'labels.application': 'app' },
  text: fixture('owners.csv'),
};

function enrichedWith(tables: LookupTableInput[], ...specs: Parameters<typeof ev>[0][]) {
  const enricher = createEnricher();
  enricher.setTables(tables);
  const docs = specs.map((s) => {
    const doc = ev(s);
    enricher.enrich(doc);
    return doc;
  });
  return { docs, enricher };
}

test('user table: full name and department for the user id, keys matched upper-cased', (t) => {
  const { docs, enricher } = enrichedWith([users], { at: T0, user: 'IBMUSER' }, { at: T0, user: 'ALICE' }, { at: T0, user: 'BOB' }, { at: T0, user: 'NOBODY' });
  t.deepEqual(docs[0]?.user, { name: 'IBMUSER', full_name: 'Smith, Jane' });
  t.deepEqual(docs[0]?.labels, { department: 'Security' });
  t.deepEqual(docs[0]?.enrichment, { fields: ['user.full_name', 'labels.department'], sources: ['lookup:user'] });
  t.deepEqual(docs[1]?.user, { name: 'ALICE', full_name: 'Alice Example' });
  t.is(docs[1]?.labels, undefined, 'an empty cell sets nothing');
  t.deepEqual(docs[2]?.user, { name: 'BOB' });
  t.deepEqual(docs[2]?.labels, { department: 'Payroll' });
  t.is(docs[3]?.enrichment, undefined);
  t.deepEqual(enricher.stats().tables, { user: 3 });
});

test('ip table from JSON lines: canonical keys, so an IPv4-mapped key matches the IPv4 event', (t) => {
  const { docs } = enrichedWith([hosts], { at: T0, ip: '10.1.2.3' }, { at: T0, ip: '10.1.2.4' }, { at: T0, ip: '10.1.2.5' });
  t.is(docs[0]?.source?.domain, 'ws042.corp.example');
  t.is(docs[1]?.source?.domain, 'ws043.corp.example');
  t.is(docs[2]?.source?.domain, undefined, 'null is absent');
});

test('generic table: key field → labels', (t) => {
  const { docs } = enrichedWith([owners], { at: T0, job: 'PAYROLL' }, { at: T0, job: 'TSOUSR1' });
  t.deepEqual(docs[0]?.labels, { owner: 'finance-it', application: 'payroll' });
  t.deepEqual(docs[0]?.enrichment, { fields: ['labels.owner', 'labels.application'], sources: ['lookup:owners'] });
  t.deepEqual(docs[1]?.labels, { owner: 'tso-users' });
});

test('tables run after the session cache: a filled user id and IP are looked up too', (t) => {
  const { docs } = enrichedWith(
    [users, hosts],
    { at: T0, action: 'tn3270-session-start', terminal: 'TCP00042', ip: '10.1.2.3', job: 'TSOUSR1' },
    { at: T0 + SECOND, action: 'logon', user: 'IBMUSER', job: 'TSOUSR1', terminal: 'TCP00042' },
    { at: T0 + MINUTE, job: 'TSOUSR1', dsn: 'IBMUSER.ISPF.ISPPROF' },
  );
  const doc = docs[2];
  t.is(doc?.user?.full_name, 'Smith, Jane');
  t.is(doc?.source?.domain, 'ws042.corp.example');
  t.deepEqual(doc?.enrichment?.fields, ['zos.terminal', 'user.name', 'source.ip', 'user.full_name', 'labels.department', 'source.domain']);
  t.deepEqual(doc?.enrichment?.sources, ['session:terminal', 'session:job_name', 'lookup:user', 'lookup:hosts']);
});

test('a byte order mark and CRLF line ends (spreadsheet exports) are tolerated', (t) => {
  const { docs } = enrichedWith([{ name: 'user', format: 'csv', text: '\ufeffuser_id,full_name\r\nIBMUSER,Jane\r\n' }], { at: T0, user: 'IBMUSER' });
  t.is(docs[0]?.user?.full_name, 'Jane');
});

test('a table never overwrites the record or an earlier table', (t) => {
  const other: LookupTableInput = { name: 'hr', kind: 'user', format: 'csv', text: 'user_id,full_name,department\nIBMUSER,J. Smith,Audit\n' };
  const own = ev({ at: T0, user: 'IBMUSER' });
  own.user = { name: 'IBMUSER', full_name: 'From The Record' };
  const enricher = createEnricher();
  enricher.setTables([users, other]);
  enricher.enrich(own);
  t.is(own.user?.full_name, 'From The Record');
  t.deepEqual(own.labels, { department: 'Security' }, 'the first table wins');
  t.deepEqual(own.enrichment, { fields: ['labels.department'], sources: ['lookup:user'] });
});

test('setTables is all or nothing: a bad table leaves the previous tables in use', (t) => {
  const enricher = createEnricher();
  enricher.setTables([users]);
  const err = t.throws(() => enricher.setTables([hosts, { name: 'user', format: 'csv', text: 'user_id,full_name\nA,B,C\n' }]));
  t.true(isSmfError(err, 'SMF_ERR_CONFIG'));
  const doc = ev({ at: T0, user: 'IBMUSER', ip: '10.1.2.3' });
  enricher.enrich(doc);
  t.is(doc.user?.full_name, 'Smith, Jane');
  t.is(doc.source?.domain, undefined, 'hosts was not installed either');
});

const csv = (name: string, text: string, extra: Partial<LookupTableInput> = {}): LookupTableInput => ({ name, format: 'csv', text, ...extra });
const jsonl = (name: string, text: string, extra: Partial<LookupTableInput> = {}): LookupTableInput => ({ name, format: 'jsonl', text, ...extra });
const generic = { kind: 'generic' as const, match: 'process.name' as const, key_column: 'job', set: { 'labels.owner': 'owner' } };

const bad: [string, LookupTableInput, string][] = [
  ['too many cells', csv('user', 'user_id,full_name\nA,B,C\n'), "lookup table 'user' line 2: 3 cells but the header has 2 columns"],
  ['unclosed quote', csv('user', 'user_id,full_name\nA,"B\n'), "lookup table 'user' line 2: "],
  ['duplicate key after upper-casing', csv('user', 'user_id,full_name\nalice,A\nALICE,B\n'), 'line 3: duplicate key "ALICE" (first on line 2)'],
  ['no key column', csv('user', 'userid,full_name\nA,B\n'), "lookup table 'user' line 1: no key column user_id in the header"],
  ['no value column', csv('user', 'user_id,phone\nA,1\n'), 'line 1: no value column in the header (expected full_name or department)'],
  ['generic column missing', csv('owners', 'job,app\nX,Y\n', generic), 'line 1: no column owner (for labels.owner) in the header'],
  ['empty key', csv('user', 'user_id,full_name\n,Nobody\n'), 'line 2: no key in column user_id'],
  ['ip key not an IP', csv('ip', 'ip,domain\n10.1.2,x\n'), 'line 2: key "10.1.2" is not an IP address'],
  ['empty table', csv('user', '\n\n'), "lookup table 'user': empty: no header row"],
  ['not JSON', jsonl('ip', '{"ip": "10.0.0.1", "domain": "a"}\n{ip: 1}\n'), 'line 2: not JSON'],
  ['JSON array', jsonl('ip', '["10.0.0.1"]\n'), 'line 1: not a JSON object'],
  ['JSON object value', jsonl('user', '{"user_id": "A", "full_name": {"first": "A"}}\n'), 'line 1: full_name is not a string'],
  ['JSON generic column never present', jsonl('owners', '{"job": "X", "onwer": "Y"}\n', generic), 'no row has column owner (for labels.owner)'],
  ['kind missing', csv('hr', 'user_id,full_name\n'), "lookup table 'hr': kind: table 'hr': kind is required (user, ip or generic)"],
  ['generic without set', csv('owners', 'job\n', { kind: 'generic', match: 'process.name', key_column: 'job' }), 'a generic table needs match, key_column and set'],
  ['generic options on a preset', csv('user', 'user_id\n', { match: 'user.name' }), 'match, key_column and set are for generic tables only'],
  ['unsupported target', csv('owners', 'job,x\n', { ...generic, set: { 'user.name': 'x' } }), 'set: "user.name" is not a target (user.full_name, source.domain or labels.<name>)'],
  ['unknown option', { ...csv('user', 'user_id,full_name\n'), colour: 'red' } as LookupTableInput, "lookup table 'user': (root): Unrecognized key"],
];

for (const [name, table, message] of bad) {
  test(`a bad table is refused with table, line and problem: ${name}`, (t) => {
    const err = t.throws(() => createEnricher().setTables([table]));
    t.true(isSmfError(err, 'SMF_ERR_CONFIG'));
    t.true(err?.message.includes(message), err?.message);
  });
}

test('every problem is reported at once, at most twenty per table', (t) => {
  const rows = Array.from({ length: 30 }, (_, i) => `U${i},a,b`).join('\n');
  const err = t.throws(() => createEnricher().setTables([csv('user', `user_id,full_name\n${rows}\n`), csv('user', 'x\n')]));
  const lines = err?.message.split('\n') ?? [];
  t.is(lines.filter((l) => l.includes('cells but the header has 2 columns')).length, 20);
  t.true(lines.some((l) => l.includes('more problems not listed')));
  t.true(lines.some((l) => l.includes('duplicate table name')));
});
