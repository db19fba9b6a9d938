// The persistence contract: takeChanges() hands out detached plain entries and removed keys since
// the last call; load() restores them, in learning order, and refuses what it cannot trust.
import test from 'ava';
import { isSmfError } from '../../../agent/errors.js';
import { createEnricher } from '../../../processors/enrich/index.js';
import { HOUR, MINUTE, SECOND, T0, ev, type Spec } from './helpers.js';

const session: Spec = { at: T0, action: 'tn3270-session-start', terminal: 'TCP00042', ip: '10.1.2.3', job: 'TSOUSR1' };
const logon: Spec = { at: T0 + SECOND, action: 'logon', user: 'IBMUSER', job: 'TSOUSR1', jobId: 'TSU01234', terminal: 'TCP00042' };

test('takeChanges gives string keys and plain entries in the documented form', (t) => {
  const enricher = createEnricher();
  enricher.enrich(ev(session));
  enricher.enrich(ev(logon));
  const { put, remove } = enricher.takeChanges();
  t.deepEqual(remove, []);
  const byKey = Object.fromEntries(put);
  t.deepEqual(Object.keys(byKey).sort(), ['job\0SYSA\0TSOUSR1', 'jobid\0SYSA\0TSU01234', 'term\0SYSA\0TCP00042']);
  const t0 = T0;
  const t1 = T0 + SECOND;
  t.deepEqual(byKey['term\0SYSA\0TCP00042'], {
    seq: 4, // learning order: session (terminal 1, job name 2), logon (job id 3, terminal 4, job name 5)
    fields: {
      'user.name': { value: 'IBMUSER', learned_at: t1 },
      'source.ip': { value: '10.1.2.3', learned_at: t0 },
      'process.name': { value: 'TSOUSR1', learned_at: t1 },
      'zos.job_id': { value: 'TSU01234', learned_at: t1 },
    },
  });
  t.deepEqual(JSON.parse(JSON.stringify(put)), put, 'JSON round trip is lossless');
  t.deepEqual(enricher.takeChanges(), { put: [], remove: [] }, 'nothing changed since');
});

test('taken entries are snapshots: later learning does not change them', (t) => {
  const enricher = createEnricher();
  enricher.enrich(ev({ at: T0, user: 'ALICE', job: 'J1' }));
  const first = enricher.takeChanges().put[0]?.[1];
  enricher.enrich(ev({ at: T0 + HOUR, user: 'BOB', job: 'J1' }));
  t.deepEqual(first?.fields['user.name'], { value: 'ALICE', learned_at: T0 });
  t.deepEqual(enricher.takeChanges().put[0]?.[1].fields['user.name'], { value: 'BOB', learned_at: T0 + HOUR, ambiguous_at: T0 + HOUR });
});

test('a key removed and learned again within one batch is a put, not a remove', (t) => {
  const enricher = createEnricher();
  enricher.enrich(ev({ at: T0, action: 'tn3270-session-start', terminal: 'LU1', ip: '10.0.0.1' }));
  enricher.takeChanges();
  enricher.enrich(ev({ at: T0 + MINUTE, action: 'tn3270-session-end', terminal: 'LU1' }));
  enricher.enrich(ev({ at: T0 + 2 * MINUTE, action: 'tn3270-session-start', terminal: 'LU1', ip: '10.0.0.2' }));
  const { put, remove } = enricher.takeChanges();
  t.deepEqual(remove, []);
  t.deepEqual(put.map(([k, v]) => [k, v.fields['source.ip']?.value]), [['term\0SYSA\0LU1', '10.0.0.2']]);
});

test('load restores what was learned and fills as before', (t) => {
  const first = createEnricher();
  first.enrich(ev(session));
  first.enrich(ev(logon));
  const saved = JSON.parse(JSON.stringify(first.takeChanges().put)) as [string, unknown][];
  const second = createEnricher();
  second.load(saved);
  const doc = ev({ at: T0 + MINUTE, job: 'TSOUSR1' });
  second.enrich(doc);
  t.is(doc.user?.name, 'IBMUSER');
  t.is(doc.source?.ip, '10.1.2.3');
  t.is(second.stats().session.entries, 3);
  t.deepEqual(second.takeChanges(), { put: [], remove: [] }, 'loaded entries are not changes');
});

test('load restores the learning order, whatever order the store returns entries in', (t) => {
  const learn = (at: number, n: number) => ev({ at, user: `U${n}`, job: `JOB${n}` });
  const first = createEnricher({ max_entries: 10 });
  for (let n = 0; n < 10; n++) first.enrich(learn(T0 + n, n));
  first.enrich(learn(T0 + 20, 0)); // JOB0 is now the most recently learned; JOB1 the least
  const saved = first.takeChanges().put.reverse(); // a store iterates by key, not by learning order
  const second = createEnricher({ max_entries: 10 });
  second.load(saved);
  second.enrich(learn(T0 + 30, 10)); // full: evicts JOB1
  t.deepEqual(second.takeChanges().remove, ['job\0SYSA\0JOB1']);
});

test('a smaller max_entries at restart evicts the least recently learned and reports them removed', (t) => {
  const first = createEnricher({ max_entries: 20 });
  for (let n = 0; n < 15; n++) first.enrich(ev({ at: T0 + n, user: `U${n}`, job: `JOB${n}` }));
  const second = createEnricher({ max_entries: 10 });
  second.load(first.takeChanges().put);
  t.deepEqual(second.takeChanges().remove, ['JOB0', 'JOB1', 'JOB2', 'JOB3', 'JOB4'].map((j) => `job\0SYSA\0${j}`));
  t.is(second.stats().session.entries, 10);
});

test('with learn: false, entries found in the store are reported removed', (t) => {
  const first = createEnricher();
  first.enrich(ev(session));
  const off = createEnricher({ learn: false });
  off.load(first.takeChanges().put);
  t.deepEqual(off.takeChanges().remove.sort(), ['job\0SYSA\0TSOUSR1', 'term\0SYSA\0TCP00042']);
  t.deepEqual(off.takeChanges(), { put: [], remove: [] });
});

const corrupt: [string, string, unknown, string][] = [
  ['unknown key kind', 'user\0SYSA\0X', { seq: 1, fields: {} }, 'unknown key kind "user"'],
  ['key without separators', 'jobPAYROLL', { seq: 1, fields: {} }, 'the key is not'],
  ['empty key value', 'job\0SYSA\0', { seq: 1, fields: {} }, 'empty key value'],
  ['not an object', 'job\0SYSA\0J', 'x', 'not an object'],
  ['bad seq', 'job\0SYSA\0J', { seq: -1, fields: {} }, 'seq -1 is not a non-negative integer'],
  ['fields missing', 'job\0SYSA\0J', { seq: 1 }, 'fields is not an object'],
  ['unknown field', 'job\0SYSA\0J', { seq: 1, fields: { 'host.name': { value: 'X', learned_at: 1 } } }, 'unexpected field "host.name"'],
  ['own key as field', 'job\0SYSA\0J', { seq: 1, fields: { 'process.name': { value: 'X', learned_at: 1 } } }, 'unexpected field "process.name"'],
  ['empty value', 'job\0SYSA\0J', { seq: 1, fields: { 'user.name': { value: '', learned_at: 1 } } }, 'user.name.value is not a non-empty string'],
  ['bad time', 'job\0SYSA\0J', { seq: 1, fields: { 'user.name': { value: 'U', learned_at: 'now' } } }, 'user.name.learned_at is not a number'],
  ['bad ambiguity time', 'job\0SYSA\0J', { seq: 1, fields: { 'user.name': { value: 'U', learned_at: 1, ambiguous_at: null } } }, 'user.name.ambiguous_at is not a number'],
];

for (const [name, key, value, message] of corrupt) {
  test(`load refuses a corrupt entry: ${name}`, (t) => {
    const err = t.throws(() => createEnricher().load([[key, value]]));
    t.true(isSmfError(err, 'SMF_ERR_STORE_CORRUPT'));
    t.true(err?.message.includes(JSON.stringify(key)), err?.message);
    t.true(err?.message.includes(message), err?.message);
  });
}
