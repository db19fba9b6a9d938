// Properties of the counting engine over random streams (fast-check), checked against a naive
// reference model: out-of-order times, several definitions, a DST change, clamped future events.
// Checks use node:assert inside the properties so fast-check sees failures, shrinks and prints the
// smallest counterexample.
import test from 'ava';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LocalCalendar } from '../../../processors/associations/calendar.js';
import { applyObservations, type ApplyContext, type Observation } from '../../../processors/associations/engine.js';
import { parseTimestamp } from '../../../processors/associations/timestamp.js';
import { MemoryAssocState, NEW_VALUES, TOP_VALUES } from '../../../processors/associations/state.js';

const berlin = new LocalCalendar('Europe/Berlin');
const START = Date.parse('2025-03-25T00:00:00Z'); // the Berlin DST change (2025-03-30) is inside the range
const HOUR = 3_600_000;

const observation = (spanHours: number) =>
  fc.record({
    def: fc.constantFrom('d1', 'd2'),
    v1: fc.constantFrom('A', 'B', 'C'),
    v2: fc.constantFrom('1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'),
    time: fc.integer({ min: START, max: START + spanHours * HOUR }),
  });

/**
 * A stream, the wall clock, and where to cut it into batches. Spans vary so that both dense days
 * (full top lists, late events for a day the pair was already seen on) and sparse months (late
 * events more than 31 days back) occur.
 */
const scenario = (maxSpanHours: number) =>
  fc.constantFrom(...[24 * 2, 24 * 10, 24 * 45].filter((h) => h <= maxSpanHours)).chain((spanHours) =>
    fc.record({
      stream: fc.array(observation(spanHours), { maxLength: 300, size: 'max' }),
      nowHours: fc.integer({ min: 0, max: spanHours + 48 }),
      cuts: fc.array(fc.boolean(), { maxLength: 300, size: 'max' }),
    }),
  );

function run(stream: readonly Observation[], ctx: ApplyContext, cuts: readonly boolean[] = []): MemoryAssocState {
  const state = new MemoryAssocState();
  let batch: Observation[] = [];
  stream.forEach((o, i) => {
    batch.push(o);
    if (cuts[i]) {
      applyObservations(state, batch, ctx);
      batch = [];
    }
  });
  applyObservations(state, batch, ctx);
  return state;
}

const snapshot = (s: MemoryAssocState) => ({ pairs: [...s.pairs].sort(), summaries: [...s.summaries].sort(), daily: [...s.daily].sort() });

test('(a) one batch or any split into batches gives the same state', (t) => {
  fc.assert(
    fc.property(scenario(24 * 10), ({ stream, nowHours, cuts }) => {
      const ctx = { now: START + nowHours * HOUR, calendar: berlin };
      assert.deepEqual(snapshot(run(stream, ctx, cuts)), snapshot(run(stream, ctx)));
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('(b) uniqueHistory is the number of distinct pairs; (c) pair historyCounts sum to messagesHistory', (t) => {
  fc.assert(
    fc.property(scenario(24 * 10), ({ stream, nowHours, cuts }) => {
      const state = run(stream, { now: START + nowHours * HOUR, calendar: berlin }, cuts);
      for (const [def, s] of state.summaries) {
        const mine = stream.filter((o) => o.def === def);
        const pairs = [...state.pairs.values()].filter((p) => p.def === def);
        assert.equal(s.uniqueHistory, new Set(mine.map((o) => `${o.v1}\0${o.v2}`)).size);
        assert.equal(s.uniqueHistory, pairs.length);
        assert.equal(pairs.reduce((n, p) => n + p.historyCount, 0), s.messagesHistory);
        assert.equal(s.messagesHistory, mine.length);
      }
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('Today, daily distinct counts, top and new values agree with a naive reference model', (t) => {
  fc.assert(
    fc.property(scenario(24 * 45), ({ stream, nowHours, cuts }) => {
      const ctx = { now: START + nowHours * HOUR, calendar: berlin };
      const today = berlin.dayOf(ctx.now);
      const state = run(stream, ctx, cuts);
      // Reference: filed day per observation (clamped to today), then plain counting.
      const filed = stream.map((o) => ({ ...o, day: berlin.dayOf(o.time) > today ? today : berlin.dayOf(o.time) }));
      for (const [def, s] of state.summaries) {
        const mine = filed.filter((o) => o.def === def);
        assert.equal(s.day, mine.map((o) => o.day).sort().at(-1));
        const onDay = mine.filter((o) => o.day === s.day);
        assert.equal(s.messagesToday, onDay.length);
        assert.equal(s.uniqueToday, new Set(onDay.map((o) => `${o.v1}\0${o.v2}`)).size);
        assert.equal(s.lastMessage, Math.max(...mine.map((o) => o.time)));
        const livePairs = [...state.pairs.values()].filter((p) => p.def === def && p.day === s.day);
        assert.equal(livePairs.length, s.uniqueToday);
        assert.equal(livePairs.reduce((n, p) => n + p.todayCount, 0), s.messagesToday);
      }
      let newPairs = 0;
      for (const d of state.daily.values()) {
        const mine = filed.filter((o) => o.def === d.def && o.day === d.day && o.v1 === d.v1);
        const counts = new Map<string, number>();
        for (const o of mine) counts.set(o.v2, (counts.get(o.v2) ?? 0) + 1);
        assert.equal(d.messages, mine.length);
        if (!d.approximate) assert.equal(d.distinct, counts.size);
        else assert.ok(d.distinct <= counts.size);
        assert.equal(d.top.length, Math.min(TOP_VALUES, counts.size), 'every value is listed while the list has room');
        for (const [v2, n] of d.top) assert.equal(n, counts.get(v2), `top count of ${v2} is exact`);
        assert.equal(d.newValues.length, Math.min(NEW_VALUES, d.newPairs));
        for (const [v2, n] of d.newValues) assert.equal(n, counts.get(v2), `new value count of ${v2} is exact`);
        newPairs += d.newPairs;
      }
      assert.equal(newPairs, [...state.summaries.values()].reduce((n, s) => n + s.uniqueHistory, 0), 'every pair is new on exactly one day');
    }),
    { numRuns: 200 },
  );
  t.pass();
});

test('top lists are sorted, and hold the highest day counts when events arrive in time order', (t) => {
  // Few items and two days, so lists overflow and values compete for the last places.
  const dense = fc.array(
    fc.record({
      def: fc.constant('d1'),
      v1: fc.constantFrom('A', 'B'),
      v2: fc.constantFrom('1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14'),
      time: fc.integer({ min: START, max: START + 48 * HOUR }),
    }),
    { maxLength: 300, size: 'max' },
  );
  fc.assert(
    fc.property(dense, fc.array(fc.boolean(), { maxLength: 300, size: 'max' }), (stream, cuts) => {
      const ordered = [...stream].sort((a, b) => a.time - b.time);
      const state = run(ordered, { now: START + 72 * HOUR, calendar: berlin }, cuts);
      for (const d of state.daily.values()) {
        const counts = new Map<string, number>();
        for (const o of ordered) if (o.v1 === d.v1 && berlin.dayOf(o.time) === d.day) counts.set(o.v2, (counts.get(o.v2) ?? 0) + 1);
        const best = [...counts.values()].sort((a, b) => b - a).slice(0, TOP_VALUES);
        assert.deepEqual(d.top.map(([, n]) => n), best);
        const sorted = [...d.top].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
        assert.deepEqual(d.top, sorted);
      }
    }),
    { numRuns: 200 },
  );
  t.pass();
});

test('parseTimestamp gives the same instant as Date.parse, valid or not', (t) => {
  const digit = fc.constantFrom(...'0123456789');
  const twoDigits = fc.tuple(digit, digit).map(([a, b]) => a + b);
  const isoLike = fc
    .tuple(fc.integer({ min: 0, max: 9999 }), twoDigits, twoDigits, twoDigits, twoDigits, twoDigits, fc.tuple(digit, digit, digit), fc.constantFrom('Z', 'z', '+', 'Z'))
    .map(([y, mo, d, h, mi, s, ms, z]) => `${String(y).padStart(4, '0')}-${mo}-${d}T${h}:${mi}:${s}.${ms.join('')}${z}`);
  const valid = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  fc.assert(
    fc.property(fc.oneof(valid, isoLike, fc.string()), (s) => {
      assert.ok(Object.is(parseTimestamp(s), Date.parse(s)), s);
    }),
    { numRuns: 5000 },
  );
  t.pass();
});
