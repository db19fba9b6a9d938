// Behaviour of the learned session cache, driven through createEnricher with scripted streams.
import test from 'ava';
import { createEnricher, type Enricher } from '../../../processors/enrich/index.js';
import type { EventDoc } from '../../../processors/schema/event.js';
import { HOUR, MINUTE, SECOND, T0, ev, seen, type Spec } from './helpers.js';

function run(enricher: Enricher, specs: readonly Spec[]): EventDoc[] {
  return specs.map((s) => {
    const doc = ev(s);
    enricher.enrich(doc);
    return doc;
  });
}

const session: Spec = { at: T0, action: 'tn3270-session-start', terminal: 'TCP00042', ip: '10.1.2.3', job: 'TSOUSR1' };
const logon: Spec = { at: T0 + SECOND, action: 'logon', user: 'IBMUSER', job: 'TSOUSR1', jobId: 'TSU01234', terminal: 'TCP00042' };
const close = (at: number, extra: Partial<Spec> = {}): Spec => ({ at, action: 'dataset-read', job: 'TSOUSR1', dsn: 'IBMUSER.ISPF.ISPPROF', ...extra });

test('a data set close with only a job name gets the user and IP of the TN3270 session behind it', (t) => {
  const docs = run(createEnricher(), [session, logon, close(T0 + 5 * MINUTE)]);
  const out = docs[2] as EventDoc;
  t.is(out.user?.name, 'IBMUSER');
  t.is(out.source?.ip, '10.1.2.3');
  t.is(out.zos?.terminal, 'TCP00042');
  t.is(out.zos?.job_id, 'TSU01234');
  t.deepEqual(out.enrichment?.fields, ['zos.job_id', 'zos.terminal', 'user.name', 'source.ip']);
  // The job name led to the job id (the most specific key) and the terminal; each entry gave what it knew.
  t.deepEqual(out.enrichment?.sources, ['session:job_id', 'session:terminal', 'session:job_name']);
  t.is(out.zos?.dsn, 'IBMUSER.ISPF.ISPPROF', 'record fields kept');
  // The logon record lacked the IP: it came from the terminal the session record bound.
  t.deepEqual(seen(docs[1] as EventDoc).fields, ['source.ip']);
  t.deepEqual(seen(docs[1] as EventDoc).sources, ['session:terminal']);
  t.is(docs[0]?.enrichment, undefined, 'nothing to fill on the session record');
});

test('chain: job name → terminal → IP when the session record carries no job name', (t) => {
  const docs = run(createEnricher(), [
    { at: T0, action: 'tn3270-session-start', terminal: 'TCP00077', ip: '10.9.9.9' },
    { at: T0 + SECOND, action: 'logon', user: 'CLERK1', job: 'CLERK1', terminal: 'TCP00077' },
    { at: T0 + MINUTE, job: 'CLERK1' },
  ]);
  t.deepEqual(seen(docs[2] as EventDoc), {
    user: 'CLERK1',
    ip: '10.9.9.9',
    job: 'CLERK1',
    jobId: undefined,
    terminal: 'TCP00077',
    fields: ['zos.terminal', 'user.name', 'source.ip'],
    sources: ['session:terminal', 'session:job_name'],
  });
});

test('lookup order: job id before terminal before job name', (t) => {
  const enricher = createEnricher();
  run(enricher, [
    { at: T0, user: 'BYNAME', job: 'PAYROLL' },
    { at: T0 + SECOND, user: 'BYTERM', terminal: 'T1' },
    { at: T0 + 2 * SECOND, user: 'BYID', jobId: 'JOB00001' },
  ]);
  // Job name only, then job name + terminal, then all three (a record with two keys also teaches).
  const [c, b, a] = run(enricher, [
    { at: T0 + MINUTE, job: 'PAYROLL' },
    { at: T0 + MINUTE, job: 'PAYROLL', terminal: 'T1' },
    { at: T0 + MINUTE, job: 'PAYROLL', terminal: 'T1', jobId: 'JOB00001' },
  ]);
  t.is(a?.user?.name, 'BYID');
  t.deepEqual(a?.enrichment?.sources, ['session:job_id']);
  t.is(b?.user?.name, 'BYTERM');
  t.is(c?.user?.name, 'BYNAME');
});

test('a field the record carried is never overwritten, and filled values are never learned', (t) => {
  const enricher = createEnricher();
  const [, , own] = run(enricher, [session, logon, close(T0 + MINUTE, { user: 'OTHER', ip: '10.0.0.1' })]);
  t.is(own?.user?.name, 'OTHER');
  t.is(own?.source?.ip, '10.0.0.1');
  t.false(own?.enrichment?.fields?.includes('user.name') ?? false);
  // The filled IP of the logon record taught the job id nothing: a record naming only the job id
  // gets the IP through its job name / terminal, never from a learned copy of a filled value.
  const changes = enricher.takeChanges();
  const byId = changes.put.find(([k]) => k === 'jobid\0SYSA\0TSU01234')?.[1];
  t.is(byId?.fields['source.ip'], undefined);
});

test('a non-IP client address of the record is not given an IP', (t) => {
  const docs = run(createEnricher(), [session, logon, close(T0 + MINUTE, { address: 'WS0042' })]);
  t.is(docs[2]?.source?.ip, undefined);
  t.is(docs[2]?.user?.name, 'IBMUSER');
});

test('TTL is judged by event time: usable up to ttl_ms either side, not beyond', (t) => {
  const ttl = 12 * HOUR;
  const at = (dt: number) => run(createEnricher(), [session, logon, close(T0 + SECOND + dt)])[2] as EventDoc;
  t.is(at(ttl).user?.name, 'IBMUSER', 'exactly ttl later');
  t.is(at(ttl + 1).user?.name, undefined, 'one millisecond too late');
  t.is(at(ttl + 1).source?.ip, undefined);
  t.is(at(-ttl).user?.name, 'IBMUSER', 'an out-of-order record within the TTL');
  t.is(at(-ttl - 1).user?.name, undefined, 'a record from long before the binding');
});

test('expired entries are swept from the least recently learned end and counted', (t) => {
  const enricher = createEnricher({ ttl_ms: HOUR });
  run(enricher, [session, logon]); // 3 keys: terminal, job name, job id
  t.is(enricher.stats().session.entries, 3);
  run(enricher, [{ at: T0 + 2 * HOUR, job: 'NOTHING' }, { at: T0 + 2 * HOUR, job: 'NOTHING' }]);
  t.is(enricher.stats().session.entries, 0);
  t.is(enricher.stats().session.expirations, 3);
  t.deepEqual(enricher.takeChanges().remove.sort(), ['job\0SYSA\0TSOUSR1', 'jobid\0SYSA\0TSU01234', 'term\0SYSA\0TCP00042']);
});

test('a TN3270 session end forgets its terminal and the job name bound to it', (t) => {
  const enricher = createEnricher();
  const docs = run(enricher, [
    session,
    logon,
    { at: T0 + HOUR, action: 'tn3270-session-end', terminal: 'TCP00042', ip: '10.1.2.3' },
    close(T0 + HOUR + SECOND),
    { at: T0 + HOUR + SECOND, terminal: 'TCP00042' },
  ]);
  t.is(docs[3]?.user?.name, undefined);
  t.is(docs[3]?.source?.ip, undefined);
  t.is(docs[4]?.user?.name, undefined);
  t.is(docs[2]?.user?.name, 'IBMUSER', 'the end record itself is filled before it expires anything');
  t.is(enricher.stats().session.ended, 2); // terminal and job name; the job id waits for its own end
});

test('a TSO logoff forgets its job id, terminal and job name', (t) => {
  const enricher = createEnricher();
  const docs = run(enricher, [
    session,
    logon,
    { at: T0 + HOUR, action: 'tso-logoff', user: 'IBMUSER', job: 'TSOUSR1', jobId: 'TSU01234', terminal: 'TCP00042' },
    close(T0 + HOUR + SECOND),
    { at: T0 + HOUR + SECOND, jobId: 'TSU01234' },
  ]);
  t.is(docs[2]?.source?.ip, '10.1.2.3');
  t.is(docs[3]?.user?.name, undefined);
  t.is(docs[4]?.user?.name, undefined);
  t.is(enricher.stats().session.entries, 0);
});

test('a job end keeps a job name entry that describes another run of the same name', (t) => {
  const enricher = createEnricher();
  const docs = run(enricher, [
    { at: T0, action: 'job-start', user: 'BATCH', job: 'NIGHTLY', jobId: 'JOB00001' },
    { at: T0 + MINUTE, action: 'job-start', user: 'BATCH', job: 'NIGHTLY', jobId: 'JOB00002' },
    { at: T0 + 2 * MINUTE, action: 'job-end', user: 'BATCH', job: 'NIGHTLY', jobId: 'JOB00001' },
    { at: T0 + 3 * MINUTE, job: 'NIGHTLY' },
  ]);
  t.is(docs[3]?.user?.name, 'BATCH', 'two runs within the TTL: job id ambiguous, user still consistent');
  t.is(docs[3]?.zos?.job_id, undefined, 'the ambiguous job id is not filled');
});

test('step end (event.type end, but not an end action) forgets nothing', (t) => {
  const docs = run(createEnricher(), [session, logon, { at: T0 + MINUTE, action: 'step-end', type: ['end'], job: 'TSOUSR1', jobId: 'TSU01234' }, close(T0 + 2 * MINUTE)]);
  t.is(docs[3]?.user?.name, 'IBMUSER');
});

test('a job name shared by several users within the TTL is ambiguous and never used', (t) => {
  const enricher = createEnricher();
  const docs = run(enricher, [
    { at: T0, user: 'ALICE', job: 'CICSPRD', ip: '10.0.0.1' },
    { at: T0 + HOUR, user: 'BOB', job: 'CICSPRD' },
    { at: T0 + 2 * HOUR, job: 'CICSPRD' },
  ]);
  t.is(docs[2]?.user?.name, undefined);
  t.is(docs[2]?.source?.ip, undefined, 'a key shared by several users gives no IP either');
  t.is(docs[2]?.enrichment, undefined);
  const s = enricher.stats().session;
  t.is(s.conflicts, 1);
  t.true(s.ambiguous_skips >= 2);
  t.is(s.misses, 2); // BOB's record lacked an IP too
});

test('ambiguity lasts a TTL after the last conflict; then the latest consistent value is used', (t) => {
  const enricher = createEnricher({ ttl_ms: 2 * HOUR });
  const docs = run(enricher, [
    { at: T0, user: 'ALICE', job: 'SHARED' },
    { at: T0 + HOUR, user: 'BOB', job: 'SHARED' }, // conflict at T0+1h
    { at: T0 + 2 * HOUR, user: 'BOB', job: 'SHARED' },
    { at: T0 + 3 * HOUR, job: 'SHARED' }, // still within the TTL of the conflict
    { at: T0 + 3 * HOUR + 1, job: 'SHARED' }, // ambiguity over; BOB was confirmed at T0+2h
  ]);
  t.is(docs[3]?.user?.name, undefined);
  t.is(docs[4]?.user?.name, 'BOB');
});

test('a consistent value refreshes its freshness; a stale one is replaced without ambiguity', (t) => {
  const docs = run(createEnricher(), [
    { at: T0, user: 'ALICE', job: 'J1' },
    { at: T0 + 10 * HOUR, user: 'ALICE', job: 'J1' },
    { at: T0 + 20 * HOUR, job: 'J1' }, // 20 h after the first, 10 h after the refresh
    { at: T0 + 40 * HOUR, user: 'CAROL', job: 'J1' }, // ALICE is stale: replaced, no conflict
    { at: T0 + 41 * HOUR, job: 'J1' },
  ]);
  t.is(docs[2]?.user?.name, 'ALICE');
  t.is(docs[4]?.user?.name, 'CAROL');
});

test('a new session on a terminal replaces its old binding instead of making it ambiguous', (t) => {
  const enricher = createEnricher();
  const docs = run(enricher, [
    { at: T0, action: 'tn3270-session-start', terminal: 'LU1', ip: '10.0.0.1' },
    { at: T0 + SECOND, action: 'logon', user: 'ALICE', job: 'ALICE', terminal: 'LU1' },
    { at: T0 + HOUR, action: 'tn3270-session-start', terminal: 'LU1', ip: '10.0.0.2' }, // no end record for Alice's session
    { at: T0 + HOUR + SECOND, terminal: 'LU1' },
  ]);
  t.is(docs[3]?.source?.ip, '10.0.0.2');
  t.is(docs[3]?.user?.name, undefined, "Alice's binding is gone");
  t.is(enricher.stats().session.rebound, 1);
});

test('keys are scoped by system', (t) => {
  const docs = run(createEnricher(), [session, logon, close(T0 + MINUTE, { system: 'SYSB' }), close(T0 + MINUTE, { system: null })]);
  t.is(docs[2]?.user?.name, undefined);
  t.is(docs[3]?.user?.name, undefined);
});

test('bounded size: the least recently learned key is evicted and counted', (t) => {
  const enricher = createEnricher({ max_entries: 10 });
  const jobs = Array.from({ length: 12 }, (_, i) => `JOB${i}`);
  run(enricher, jobs.map((job, i) => ({ at: T0 + i * SECOND, user: `U${i}`, job })));
  run(enricher, [{ at: T0 + MINUTE, user: 'U2', job: 'JOB2' }]); // re-learning JOB2 makes it the most recent
  run(enricher, [{ at: T0 + MINUTE, user: 'U12', job: 'JOB12' }]); // evicts JOB3, not JOB2
  const users = run(enricher, [...jobs, 'JOB12'].map((job) => ({ at: T0 + 2 * MINUTE, job }))).map((d) => d.user?.name);
  t.deepEqual(users, [undefined, undefined, 'U2', undefined, 'U4', 'U5', 'U6', 'U7', 'U8', 'U9', 'U10', 'U11', 'U12']);
  t.is(enricher.stats().session.entries, 10);
  t.is(enricher.stats().session.evictions, 3);
});

test('fills leave the cache unchanged: only learning produces store writes', (t) => {
  const enricher = createEnricher();
  run(enricher, [session, logon]);
  enricher.takeChanges();
  run(enricher, [close(T0 + MINUTE), close(T0 + 2 * MINUTE)]);
  t.deepEqual(enricher.takeChanges(), { put: [], remove: [] });
});

test('counters: hits, misses and filled per field', (t) => {
  const enricher = createEnricher();
  run(enricher, [session, logon, close(T0 + MINUTE), { at: T0 + MINUTE, job: 'UNKNOWN' }, { at: T0 + MINUTE, dsn: 'NO.KEYS' }]);
  const s = enricher.stats().session;
  t.is(s.learned, 2);
  // The session record (no user yet), the logon (IP), the close, the unknown job; a record naming no key is no lookup.
  t.is(s.lookups, 4);
  t.is(s.hits, 2);
  t.is(s.misses, 2);
  t.deepEqual(s.filled, { 'process.name': 0, 'zos.job_id': 1, 'zos.terminal': 1, 'user.name': 1, 'source.ip': 2 });
});

test('fill restricts which fields are written; learning still uses them all', (t) => {
  const docs = run(createEnricher({ fill: ['user.name'] }), [session, logon, close(T0 + MINUTE)]);
  t.deepEqual(seen(docs[2] as EventDoc).fields, ['user.name']);
  t.is(docs[2]?.source?.ip, undefined);
  t.is(docs[1]?.enrichment, undefined);
});

test('learn: false fills nothing from the stream', (t) => {
  const docs = run(createEnricher({ learn: false }), [session, logon, close(T0 + MINUTE)]);
  t.is(docs[2]?.enrichment, undefined);
});

test('an event whose @timestamp does not parse is neither learned from nor filled', (t) => {
  const enricher = createEnricher();
  run(enricher, [session, logon]);
  const bad = ev(close(T0 + MINUTE));
  bad['@timestamp'] = 'yesterday';
  enricher.enrich(bad);
  t.is(bad.user?.name, undefined);
  t.is(enricher.stats().bad_time, 1);
});
