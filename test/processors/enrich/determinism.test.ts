// Replay determinism (fast-check): enriching a stream in one uninterrupted run gives byte-identical
// documents to a run that commits takeChanges() at arbitrary batch boundaries, crashes (losing
// everything after the last commit), restores with load() and replays from that commit. Streams
// are small pools of systems, jobs, job ids and terminals so that conflicts, end and start
// records, TTL expiry (gaps longer than the TTL, out-of-order times) and eviction all occur.
import test from 'ava';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createEnricher, type Enricher } from '../../../processors/enrich/index.js';
import { HOUR, MINUTE, T0, ev, type Spec } from './helpers.js';

/** A tight bound (eviction on most streams) and a roomy one (entries live long enough to be used after a restore). */
const options = fc.record({ ttl_ms: fc.constantFrom(HOUR, 3 * HOUR), max_entries: fc.constantFrom(10, 40) });
type Options = { ttl_ms: number; max_entries: number };

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const user = fc.constantFrom('ALICE', 'BOB', 'CAROL');
const ip = fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3');
const job = fc.constantFrom('ALICE', 'BOB', 'CICSPRD', 'PAYROLL');
const jobId = fc.constantFrom('TSU00001', 'TSU00002', 'JOB00003', 'JOB00004', 'STC00005');
const terminal = fc.constantFrom('LU1', 'LU2', 'LU3', 'LU4');

type Shape = Omit<Spec, 'at'>;
/** Record shapes as the normalizer produces them, weighted towards records that need filling. */
const shape: fc.Arbitrary<Shape> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ action: fc.constant('tn3270-session-start'), terminal, ip, job: maybe(job) }) },
  { weight: 2, arbitrary: fc.record({ action: fc.constant('logon'), user, job, jobId, terminal }) },
  { weight: 2, arbitrary: fc.record({ action: fc.constant('job-start'), user, job, jobId }) },
  { weight: 6, arbitrary: fc.record({ action: fc.constant('dataset-read'), job }) },
  { weight: 2, arbitrary: fc.record({ jobId }) },
  { weight: 2, arbitrary: fc.record({ terminal }) },
  { weight: 1, arbitrary: fc.record({ action: fc.constant('tn3270-session-end'), terminal, ip }) },
  { weight: 1, arbitrary: fc.record({ action: fc.constant('tso-logoff'), user, job, jobId, terminal }) },
  { weight: 1, arbitrary: fc.record({ action: fc.constant('job-end'), user, job, jobId }) },
  { weight: 2, arbitrary: fc.record({ user: maybe(user), ip: maybe(ip), job: maybe(job), jobId: maybe(jobId), terminal: maybe(terminal) }) },
);

const record = fc.record({
  gap: fc.constantFrom(0, 1000, MINUTE, 5 * MINUTE, 5 * MINUTE, 20 * MINUTE, 20 * MINUTE, HOUR, 4 * HOUR, -30 * MINUTE),
  system: fc.constantFrom('SYSA', 'SYSB'),
  shape,
});

/** Records with absolute times: the gaps accumulate (a negative gap is an out-of-order record). */
function toSpecs(records: readonly { gap: number; system: string; shape: Shape }[]): Spec[] {
  let at = T0;
  return records.map((r) => {
    at += r.gap;
    return { ...r.shape, at, system: r.system };
  });
}

interface Run {
  docs: string[];
  /** The store after a final commit, learning order as ranks (absolute sequence numbers may differ). */
  state: [string, unknown][];
}

function uninterrupted(specs: readonly Spec[], opts: Options): Run {
  const enricher = createEnricher(opts);
  const docs = specs.map((s) => {
    const doc = ev(s);
    enricher.enrich(doc);
    return JSON.stringify(doc);
  });
  const store = new Map<string, unknown>();
  commit(store, enricher);
  return { docs, state: ranked(store) };
}

function ranked(store: Map<string, unknown>): [string, unknown][] {
  const entries = [...store].sort((a, b) => (a[1] as { seq: number }).seq - (b[1] as { seq: number }).seq);
  return entries.map(([key, value], rank) => [key, { ...(value as object), seq: rank }]);
}

/** A store that keeps what each commit wrote, through JSON as a real store would serialise it. */
function commit(store: Map<string, unknown>, enricher: Enricher): void {
  const { put, remove } = enricher.takeChanges();
  for (const key of remove) store.delete(key);
  for (const [key, value] of put) store.set(key, JSON.parse(JSON.stringify(value)));
}

function withCrashes(specs: readonly Spec[], opts: Options, commits: readonly boolean[], crashes: readonly boolean[], maxCrashes: number): Run {
  const store = new Map<string, unknown>();
  const out: string[] = [];
  let enricher = createEnricher(opts);
  let committed = 0;
  let crashesLeft = maxCrashes;
  for (let i = 0; i < specs.length; ) {
    const doc = ev(specs[i] as Spec);
    enricher.enrich(doc);
    out[i] = JSON.stringify(doc);
    i++;
    if (commits[i % commits.length] === true) {
      commit(store, enricher);
      committed = i;
    }
    if (crashes[i % crashes.length] === true && crashesLeft > 0) {
      crashesLeft--;
      enricher = createEnricher(opts); // the crash loses the cache and every uncommitted change
      enricher.load(store.entries());
      i = committed;
    }
  }
  commit(store, enricher);
  return { docs: out, state: ranked(store) };
}

test('restoring from committed changes and replaying gives byte-identical documents', (t) => {
  fc.assert(
    fc.property(
      fc.array(record, { minLength: 1, maxLength: 250 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), // commit after record i when commits[i mod length]
      fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), // crash after record i when crashes[i mod length]
      fc.integer({ min: 1, max: 4 }),
      options,
      (records, commits, crashes, maxCrashes, opts) => {
        const specs = toSpecs(records);
        const expected = uninterrupted(specs, opts);
        const actual = withCrashes(specs, opts, commits, crashes, maxCrashes);
        assert.deepEqual(actual.docs, expected.docs);
        assert.deepEqual(actual.state, expected.state);
      },
    ),
    { numRuns: 300 },
  );
  t.pass();
});

test('the scenario streams exercise what the property is about', (t) => {
  // Guard against a generator that never reaches the interesting states.
  const totals = { evictions: 0, expirations: 0, ended: 0, rebound: 0, conflicts: 0, filled: 0 };
  fc.assert(
    fc.property(fc.array(record, { minLength: 100, maxLength: 250 }), options, (records, opts) => {
      const enricher = createEnricher(opts);
      for (const s of toSpecs(records)) enricher.enrich(ev(s));
      const s = enricher.stats().session;
      totals.evictions += s.evictions;
      totals.expirations += s.expirations;
      totals.ended += s.ended;
      totals.rebound += s.rebound;
      totals.conflicts += s.conflicts;
      totals.filled += s.filled['user.name'] + s.filled['source.ip'];
    }),
    { numRuns: 30 },
  );
  for (const [name, n] of Object.entries(totals)) t.true(n > 0, name);
});
