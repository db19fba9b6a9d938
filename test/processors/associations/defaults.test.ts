// The shipped default definitions (config/associations) and lists (config/lists): all load, and
// each associates its representative event and ignores an unrelated one
// (test/fixtures/associations/default-events.json).
import test from 'ava';
import { observe } from '../../../processors/associations/engine.js';
import type { EventDoc } from '../../../processors/schema/event.js';
import { makeEvent, readFixture, shippedDefinitions, shippedLists } from './helpers.js';

const DEFAULT_IDS = [
  'userid-dsn', 'userid-lpar-terminal', 'userid-time-logged-in', 'db2-userid-grantor', 'db2-userid-dbid',
  'userid-mq', 'cics-userid-transaction', 'ims-userid-imsid', 'ims-userid-dbname', 'cics-userid-file',
  'sessmon-userid-applid', 'userid-pii-dsn', 'userid-honeypot-dsn', 'sensitive-dataset-member-accesses',
  'sensitive-dataset-accesses', 'icsf-userid-jobname', 'userid-console-commands', 'userid-hour-logged-in',
  'jobname-datasets',
];

interface Sample {
  fires: Partial<EventDoc>;
  pair: [string, string];
  unrelated: Partial<EventDoc>;
}
const samples = JSON.parse(readFixture('default-events.json')) as Record<string, Sample>;
const { definitions, errors } = shippedDefinitions();

test('all 19 default definitions load without error, one file per definition named after its id', (t) => {
  t.deepEqual(errors, []);
  t.deepEqual(definitions.map((d) => d.id).sort(), [...DEFAULT_IDS].sort());
  for (const d of definitions) {
    t.is(d.source, `config/associations/${d.id}.yaml`);
    t.true(d.enabled, d.id);
    t.true(d.description.length > 40, `${d.id} has a description`);
  }
});

test('the shipped pattern lists are pii, honeypot and sensitive, each non-empty', (t) => {
  const lists = shippedLists();
  t.deepEqual(Object.keys(lists).sort(), ['honeypot', 'pii', 'sensitive']);
  for (const [name, masks] of Object.entries(lists)) t.true(masks.length > 0, name);
});

for (const id of DEFAULT_IDS) {
  test(`default ${id} associates its representative event and ignores an unrelated one`, (t) => {
    const sample = samples[id];
    if (sample === undefined) return t.fail(`no sample event for ${id}`);
    const fired = observe(definitions, makeEvent(sample.fires)).filter((o) => o.def === id);
    t.deepEqual(fired.map((o) => [o.v1, o.v2]), [sample.pair]);
    const own = definitions.filter((d) => d.id === id);
    t.deepEqual(observe(own, makeEvent(sample.unrelated)), []);
  });
}

test('one logon event feeds every user logon association at once', (t) => {
  const ev = makeEvent({ user: { name: 'JSMITH' }, host: { name: 'SYSB' }, zos: { terminal: 'LU000001', logon: { time: '06:15', hour: '06' } } });
  t.deepEqual(
    observe(definitions, ev).map((o) => `${o.def}=${o.v1}|${o.v2}`).sort(),
    ['userid-hour-logged-in=JSMITH|06', 'userid-lpar-terminal=JSMITH|SYSB/LU000001', 'userid-time-logged-in=JSMITH|06:15'],
  );
});

test('a sensitive PII data set access feeds every matching data set association', (t) => {
  const ev = makeEvent({ user: { name: 'JSMITH' }, process: { name: 'JSMITHX' }, zos: { dsn: 'SYS1.RACF.BACKUP.PWDS' } });
  t.deepEqual(
    observe(definitions, ev).map((o) => o.def).sort(),
    ['jobname-datasets', 'sensitive-dataset-accesses', 'userid-dsn', 'userid-honeypot-dsn'],
  );
});
