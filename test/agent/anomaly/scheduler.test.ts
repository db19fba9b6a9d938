import test from 'ava';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunSummary, Trigger } from '../../../agent/anomaly/job.js';
import { AnomalyScheduler } from '../../../agent/anomaly/scheduler.js';
import type { RunStatus } from '../../../processors/anomaly/index.js';
import { silentLogger } from '../../../agent/telemetry/logger.js';

interface Harness {
  scheduler: AnomalyScheduler;
  runs: [string, Trigger][];
  last: () => string | undefined;
  clock: { now: () => number; set: (iso: string) => void; advance: (ms: number) => void };
  maxActive: () => number;
}

/** A scheduler over a fake job: `outcome(day)` decides each run's status; `gate` holds runs until released. */
function harness(o: {
  now: string;
  lastDay?: string;
  runAfter?: string;
  catchUpDays?: number;
  zone?: string;
  firstDataDay?: string;
  outcome?: (day: string, attempt: number) => RunStatus | 'aborted';
  gate?: () => Promise<void>;
  checkIntervalMs?: number;
}): Harness {
  let now = Date.parse(o.now);
  const clock = { now: () => now, set: (iso: string) => void (now = Date.parse(iso)), advance: (ms: number) => void (now += ms) };
  let last = o.lastDay;
  const runs: [string, Trigger][] = [];
  const attempts = new Map<string, number>();
  let active = 0;
  let maxActive = 0;
  const scheduler = new AnomalyScheduler({ run_after: o.runAfter ?? '00:15', catch_up_days: o.catchUpDays ?? 7 }, o.zone ?? 'UTC', {
    ctx: { logger: silentLogger(), clock },
    checkIntervalMs: o.checkIntervalMs ?? 60_000,
    lastDay: () => last,
    markDone: async (day) => void (last = day),
    firstDataDay: () => o.firstDataDay,
    runDay: async (day, trigger) => {
      active++;
      maxActive = Math.max(maxActive, active);
      runs.push([day, trigger]);
      const attempt = (attempts.get(day) ?? 0) + 1;
      attempts.set(day, attempt);
      await o.gate?.();
      active--;
      const r = o.outcome?.(day, attempt) ?? 'success';
      return summary(day, trigger, attempt, r);
    },
  });
  return { scheduler, runs, last: () => last, clock, maxActive: () => maxActive };
}

function summary(day: string, trigger: Trigger, attempt: number, r: RunStatus | 'aborted'): RunSummary {
  return {
    day,
    attempt,
    trigger,
    status: r === 'aborted' ? 'failed' : r,
    aborted: r === 'aborted',
    anomalies: { association_count: 0, association_activity: 0, new_associations: 0, total: 0 },
    insufficientBaseline: [],
    learning: [],
    definitions: { analysed: 1, failed: 0 },
    written: 0,
    staleDeleted: 0,
    errors: [],
    durationMs: 0,
  };
}

test('start catches up the missed days oldest first, then runs each day after run_after', async (t) => {
  const h = harness({ now: '2024-05-16T09:00:00Z', lastDay: '2024-05-12' });
  h.scheduler.start();
  await h.scheduler.tick(); // joins the start-up pass
  t.deepEqual(h.runs, [
    ['2024-05-13', 'catch_up'],
    ['2024-05-14', 'catch_up'],
    ['2024-05-15', 'catch_up'],
  ]);
  t.is(h.last(), '2024-05-15');
  h.clock.set('2024-05-17T00:14:00Z');
  await h.scheduler.tick();
  t.is(h.runs.length, 3, 'not before run_after');
  h.clock.set('2024-05-17T00:15:00Z');
  await h.scheduler.tick();
  await h.scheduler.tick();
  t.deepEqual(h.runs.slice(3), [['2024-05-16', 'schedule']]);
  t.is(h.last(), '2024-05-16');
  await h.scheduler.stop();
});

test('catch-up is limited to the newest catch_up_days missed days', async (t) => {
  const h = harness({ now: '2024-05-16T09:00:00Z', lastDay: '2024-04-01', catchUpDays: 3 });
  await h.scheduler.tick();
  t.deepEqual(h.runs.map(([d]) => d), ['2024-05-13', '2024-05-14', '2024-05-15']);
  t.is(h.last(), '2024-05-15');
});

test('a host asleep for days: the next check runs the older days as catch-up and the latest as scheduled', async (t) => {
  const h = harness({ now: '2024-05-16T09:00:00Z', lastDay: '2024-05-15' });
  await h.scheduler.tick();
  t.is(h.runs.length, 0);
  h.clock.set('2024-05-19T07:00:00Z');
  await h.scheduler.tick();
  t.deepEqual(h.runs, [
    ['2024-05-16', 'catch_up'],
    ['2024-05-17', 'catch_up'],
    ['2024-05-18', 'schedule'],
  ]);
});

test('a first start runs from the first day with data, and a store without data runs nothing yet', async (t) => {
  const h = harness({ now: '2024-05-16T09:00:00Z', firstDataDay: '2024-05-14' });
  await h.scheduler.tick();
  t.deepEqual(h.runs.map(([d]) => d), ['2024-05-14', '2024-05-15']);
  const empty = harness({ now: '2024-05-16T09:00:00Z' });
  await empty.scheduler.tick();
  t.deepEqual(empty.runs, []);
  t.is(empty.last(), undefined);
});

test('never two runs at once: ticks during a run join it', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const h = harness({ now: '2024-05-16T09:00:00Z', lastDay: '2024-05-13', gate: () => gate });
  const a = h.scheduler.tick();
  const b = h.scheduler.tick();
  h.scheduler.start();
  await sleep(10);
  t.is(h.runs.length, 1);
  release();
  await Promise.all([a, b, h.scheduler.tick()]);
  t.is(h.maxActive(), 1);
  t.deepEqual(h.runs.map(([d]) => d), ['2024-05-14', '2024-05-15']);
  await h.scheduler.stop();
});

test('a failed day stops the pass, keeps last_day, and is retried after a delay; partial counts as done', async (t) => {
  const h = harness({
    now: '2024-05-16T09:00:00Z',
    lastDay: '2024-05-12',
    outcome: (day, attempt) => (day === '2024-05-13' ? 'partial' : day === '2024-05-14' && attempt === 1 ? 'failed' : 'success'),
  });
  await h.scheduler.tick();
  t.deepEqual(h.runs.map(([d]) => d), ['2024-05-13', '2024-05-14']);
  t.is(h.last(), '2024-05-13', 'partial marks the day, failed does not');
  h.clock.advance(60_000);
  await h.scheduler.tick();
  t.is(h.runs.length, 2, 'no retry within the delay');
  h.clock.advance(10 * 60_000);
  await h.scheduler.tick();
  t.deepEqual(h.runs.map(([d]) => d), ['2024-05-13', '2024-05-14', '2024-05-14', '2024-05-15']);
  t.is(h.last(), '2024-05-15');
});

test('a run interrupted by shutdown is not marked done', async (t) => {
  const h = harness({ now: '2024-05-16T09:00:00Z', lastDay: '2024-05-13', outcome: () => 'aborted' });
  await h.scheduler.tick();
  t.deepEqual(h.runs.map(([d]) => d), ['2024-05-14']);
  t.is(h.last(), '2024-05-13');
});

test('stop waits for the running day, skips the rest, and is idempotent', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const h = harness({ now: '2024-05-16T09:00:00Z', lastDay: '2024-05-12', gate: () => gate });
  h.scheduler.start();
  await sleep(10);
  let stopped = false;
  const stopping = h.scheduler.stop().then(() => (stopped = true));
  await sleep(10);
  t.false(stopped, 'waits for the day in progress');
  release();
  await stopping;
  await h.scheduler.stop();
  t.deepEqual(h.runs.map(([d]) => d), ['2024-05-13']);
  t.is(h.last(), '2024-05-13');
  h.clock.set('2024-06-01T00:00:00Z');
  await h.scheduler.tick();
  t.is(h.runs.length, 1, 'nothing runs after stop');
});

test('the running scheduler re-checks the clock and notices a jump past run_after', async (t) => {
  const h = harness({ now: '2024-05-16T09:00:00Z', lastDay: '2024-05-15', checkIntervalMs: 20 });
  h.scheduler.start();
  await sleep(60);
  t.is(h.runs.length, 0);
  h.clock.set('2024-05-17T00:16:00Z');
  for (let i = 0; i < 100 && h.runs.length === 0; i++) await sleep(10);
  t.deepEqual(h.runs, [['2024-05-16', 'schedule']]);
  await h.scheduler.stop();
});

test('next wake-up follows run_after in the local zone across the DST change', (t) => {
  const h = harness({ now: '2024-03-30T12:00:00Z', zone: 'Europe/Berlin', runAfter: '02:30' });
  t.is(new Date(h.scheduler.nextWakeUp()).toISOString(), '2024-03-31T01:00:00.000Z');
  t.is(new Date(h.scheduler.nextWakeUp(Date.parse('2024-03-31T01:00:00Z'))).toISOString(), '2024-04-01T00:30:00.000Z');
});

test('in a DST zone the day is due at the local run time', async (t) => {
  const h = harness({ now: '2024-10-26T22:14:00Z', zone: 'Europe/Berlin', lastDay: '2024-10-25' }); // 00:14 CEST on 10-27
  await h.scheduler.tick();
  t.is(h.runs.length, 0);
  h.clock.set('2024-10-26T22:15:00Z');
  await h.scheduler.tick();
  t.deepEqual(h.runs.map(([d]) => d), ['2024-10-26']);
  // 10-27 has 25 hours; its run is at 00:15 CET on 10-28 = 23:15 UTC.
  h.clock.set('2024-10-27T23:14:00Z');
  await h.scheduler.tick();
  t.is(h.runs.length, 1);
  h.clock.set('2024-10-27T23:15:00Z');
  await h.scheduler.tick();
  t.deepEqual(h.runs.map(([d]) => d), ['2024-10-26', '2024-10-27']);
});
