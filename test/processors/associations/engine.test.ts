// Counting: a scripted stream with hand-computed Today / History / unique values, rollover at
// local midnight in Europe/Berlin across the March DST change (a 23-hour day), late events,
// clamped future events, backfill and the daily item statistics for the anomaly job.
import test from 'ava';
import { LocalCalendar } from '../../../processors/associations/calendar.js';
import { applyObservations, type Observation } from '../../../processors/associations/engine.js';
import {
  MemoryAssocState,
  dailyKey,
  pairCountToday,
  pairKey,
  summaryToday,
  type AssocStateAccess,
  type DailyItemStats,
} from '../../../processors/associations/state.js';

const berlin = new LocalCalendar('Europe/Berlin');
const at = (iso: string) => Date.parse(iso);
const obs = (v1: string, v2: string, iso: string, def = 'u-d'): Observation => ({ def, v1, v2, time: at(iso) });

/** Summary columns as [uniqueToday, uniqueHistory, messagesToday, messagesHistory, day]. */
function columns(state: MemoryAssocState, def = 'u-d') {
  const s = state.getSummary(def);
  return s && [s.uniqueToday, s.uniqueHistory, s.messagesToday, s.messagesHistory, s.day];
}
function pair(state: MemoryAssocState, v1: string, v2: string) {
  const p = state.getPair(pairKey('u-d', v1, v2));
  return p && { today: p.todayCount, history: p.historyCount, day: p.day, first: new Date(p.firstSeen).toISOString(), last: new Date(p.lastSeen).toISOString() };
}
function daily(state: MemoryAssocState, day: string, v1: string): Partial<DailyItemStats> | undefined {
  const d = state.getDaily(dailyKey('u-d', day, v1));
  return d && { messages: d.messages, distinct: d.distinct, newPairs: d.newPairs, newValues: d.newValues, top: d.top, approximate: d.approximate };
}

test('a scripted stream over three Berlin days counts Today, History and unique pairs exactly', (t) => {
  const state = new MemoryAssocState();
  const ctx = (nowIso: string) => ({ now: at(nowIso), calendar: berlin });

  // Day 1, Saturday 2025-03-29 (CET, midnight = 23:00Z).
  applyObservations(state, [
    obs('A', 'X', '2025-03-29T10:00:00Z'),
    obs('A', 'X', '2025-03-29T11:00:00Z'),
    obs('A', 'Y', '2025-03-29T12:00:00Z'),
    obs('B', 'X', '2025-03-29T13:00:00Z'),
  ], ctx('2025-03-29T13:00:01Z'));
  t.deepEqual(columns(state), [3, 3, 4, 4, '2025-03-29']);
  t.deepEqual(pair(state, 'A', 'X'), { today: 2, history: 2, day: '2025-03-29', first: '2025-03-29T10:00:00.000Z', last: '2025-03-29T11:00:00.000Z' });

  // Day 2, Sunday 2025-03-30: 00:30 local is 23:30Z the evening before. The first event rolls over.
  applyObservations(state, [obs('A', 'X', '2025-03-29T23:30:00Z')], ctx('2025-03-29T23:30:01Z'));
  t.deepEqual(columns(state), [1, 3, 1, 5, '2025-03-30']);
  t.is(pairCountToday(state.getPair(pairKey('u-d', 'A', 'X'))!, '2025-03-30'), 1);
  t.is(pairCountToday(state.getPair(pairKey('u-d', 'A', 'Y'))!, '2025-03-30'), 0, 'a pair of an older day reads as 0 today');

  // A late event of Saturday (23:30 local) arrives after the rollover: History only.
  applyObservations(state, [obs('B', 'X', '2025-03-29T22:30:00Z')], ctx('2025-03-29T23:31:00Z'));
  t.deepEqual(columns(state), [1, 3, 1, 6, '2025-03-30']);
  t.deepEqual(pair(state, 'B', 'X'), { today: 2, history: 2, day: '2025-03-29', first: '2025-03-29T13:00:00.000Z', last: '2025-03-29T22:30:00.000Z' });

  applyObservations(state, [
    obs('C', 'Z', '2025-03-30T10:00:00Z'),
    obs('A', 'Y', '2025-03-30T21:59:59.999Z'), // 23:59:59.999 CEST, the last instant of the 23-hour day
  ], ctx('2025-03-30T21:59:59.999Z'));
  t.deepEqual(columns(state), [3, 4, 3, 8, '2025-03-30']);

  // Day 3, Monday 2025-03-31 begins at 22:00Z (CEST).
  applyObservations(state, [obs('A', 'X', '2025-03-30T22:00:00Z')], ctx('2025-03-30T22:00:00Z'));
  t.deepEqual(columns(state), [1, 4, 1, 9, '2025-03-31']);
  t.deepEqual(pair(state, 'A', 'X'), { today: 1, history: 4, day: '2025-03-31', first: '2025-03-29T10:00:00.000Z', last: '2025-03-30T22:00:00.000Z' });
  t.is(new Date(state.getSummary('u-d')!.lastMessage).toISOString(), '2025-03-30T22:00:00.000Z');

  // Read on Tuesday with nothing new: Today reads as zero, History stays.
  t.deepEqual(summaryToday(state.getSummary('u-d')!, berlin.dayOf(at('2025-04-01T08:00:00Z'))), { unique: 0, messages: 0 });
  t.deepEqual(summaryToday(state.getSummary('u-d')!, '2025-03-31'), { unique: 1, messages: 1 });

  // Daily item statistics, per (day, Field 1 item).
  t.deepEqual(daily(state, '2025-03-29', 'A'), { messages: 3, distinct: 2, newPairs: 2, newValues: [['X', 2], ['Y', 1]], top: [['X', 2], ['Y', 1]], approximate: false });
  t.deepEqual(daily(state, '2025-03-29', 'B'), { messages: 2, distinct: 1, newPairs: 1, newValues: [['X', 2]], top: [['X', 2]], approximate: false });
  t.deepEqual(daily(state, '2025-03-30', 'A'), { messages: 2, distinct: 2, newPairs: 0, newValues: [], top: [['X', 1], ['Y', 1]], approximate: false });
  t.deepEqual(daily(state, '2025-03-30', 'C'), { messages: 1, distinct: 1, newPairs: 1, newValues: [['Z', 1]], top: [['Z', 1]], approximate: false });
  t.deepEqual(daily(state, '2025-03-31', 'A'), { messages: 1, distinct: 1, newPairs: 0, newValues: [], top: [['X', 1]], approximate: false });
});

test('a late event for a day the pair was not seen on counts as distinct on that day, not Today', (t) => {
  const state = new MemoryAssocState();
  const ctx = { now: at('2025-03-31T12:00:00Z'), calendar: berlin };
  applyObservations(state, [obs('C', 'Z', '2025-03-31T10:00:00Z')], ctx);
  applyObservations(state, [obs('C', 'Z', '2025-03-29T10:00:00Z'), obs('C', 'Z', '2025-03-29T11:00:00Z')], ctx);
  t.deepEqual(columns(state), [1, 1, 1, 3, '2025-03-31']);
  t.deepEqual(pair(state, 'C', 'Z'), { today: 1, history: 3, day: '2025-03-31', first: '2025-03-29T10:00:00.000Z', last: '2025-03-31T10:00:00.000Z' });
  t.is(state.getPair(pairKey('u-d', 'C', 'Z'))?.recentDays, 0b101);
  t.deepEqual(daily(state, '2025-03-29', 'C'), { messages: 2, distinct: 1, newPairs: 0, newValues: [], top: [['Z', 2]], approximate: false });
});

test('events stamped in the future are filed under the day of now, never tomorrow', (t) => {
  const state = new MemoryAssocState();
  applyObservations(state, [obs('A', 'X', '2025-03-11T08:00:00Z')], { now: at('2025-03-10T22:50:00Z'), calendar: berlin });
  t.deepEqual(columns(state), [1, 1, 1, 1, '2025-03-10']);
  t.is(state.getSummary('u-d')?.lastMessage, at('2025-03-11T08:00:00Z'), 'times are kept as stamped');
  applyObservations(state, [obs('A', 'X', '2025-03-11T08:00:01Z')], { now: at('2025-03-11T08:00:02Z'), calendar: berlin });
  t.deepEqual(columns(state), [1, 1, 1, 2, '2025-03-11']);
});

test('backfill files every observation under the given day', (t) => {
  const state = new MemoryAssocState();
  const now = at('2025-03-10T12:00:00Z');
  applyObservations(state, [obs('A', 'X', '2025-03-10T09:00:00Z'), obs('A', 'Y', '2025-03-10T09:30:00Z')], { now, calendar: berlin, day: '2025-03-01' });
  t.deepEqual(columns(state), [2, 2, 2, 2, '2025-03-01']);
  t.is(daily(state, '2025-03-01', 'A')?.distinct, 2);
  applyObservations(state, [obs('A', 'X', '2025-03-10T11:00:00Z')], { now, calendar: berlin });
  t.deepEqual(columns(state), [1, 2, 1, 3, '2025-03-10']);
  t.is(state.getPair(pairKey('u-d', 'A', 'X'))?.recentDays, (1 << 9) | 1);
});

test('an observation more than 31 days behind the pair marks that day approximate', (t) => {
  const state = new MemoryAssocState();
  const now = at('2025-03-10T12:00:00Z');
  applyObservations(state, [obs('A', 'X', '2025-03-10T09:00:00Z')], { now, calendar: berlin });
  applyObservations(state, [obs('A', 'X', '2025-01-05T09:00:00Z')], { now, calendar: berlin });
  t.deepEqual(daily(state, '2025-01-05', 'A'), { messages: 1, distinct: 0, newPairs: 0, newValues: [], top: [['X', 1]], approximate: true });
  t.deepEqual(columns(state), [1, 1, 1, 2, '2025-03-10']);
});

test('definitions are counted independently', (t) => {
  const state = new MemoryAssocState();
  const ctx = { now: at('2025-03-10T12:00:00Z'), calendar: berlin };
  const changed = applyObservations(state, [obs('A', 'X', '2025-03-10T09:00:00Z', 'one'), obs('A', 'X', '2025-03-10T09:00:00Z', 'two'), obs('A', 'X', '2025-03-10T10:00:00Z', 'one')], ctx);
  t.deepEqual(columns(state, 'one'), [1, 1, 2, 2, '2025-03-10']);
  t.deepEqual(columns(state, 'two'), [1, 1, 1, 1, '2025-03-10']);
  t.deepEqual([...changed.summaries], ['one', 'two']);
  t.deepEqual([...changed.pairs], [pairKey('one', 'A', 'X'), pairKey('two', 'A', 'X')]);
  t.deepEqual([...changed.daily], [dailyKey('one', '2025-03-10', 'A'), dailyKey('two', '2025-03-10', 'A')]);
});

test('the top list keeps the 10 highest exact day counts; ties by value', (t) => {
  const state = new MemoryAssocState();
  const ctx = { now: at('2025-03-10T20:00:00Z'), calendar: berlin };
  const stream: Observation[] = [];
  for (let i = 0; i < 12; i++) stream.push(obs('SVC', `V${String(i).padStart(2, '0')}`, '2025-03-10T09:00:00Z'));
  applyObservations(state, stream, ctx);
  const d1 = daily(state, '2025-03-10', 'SVC');
  t.deepEqual(d1?.top?.map(([v]) => v), ['V00', 'V01', 'V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'V09']);
  t.deepEqual(d1?.newValues?.map(([v]) => v), ['V00', 'V01', 'V02', 'V03', 'V04', 'V05', 'V06', 'V07', 'V08', 'V09'], 'bounded too');
  applyObservations(state, [obs('SVC', 'V11', '2025-03-10T10:00:00Z'), obs('SVC', 'V10', '2025-03-10T10:00:00Z'), obs('SVC', 'V11', '2025-03-10T11:00:00Z')], ctx);
  const d2 = daily(state, '2025-03-10', 'SVC');
  t.deepEqual(d2?.top?.slice(0, 3), [['V11', 3], ['V10', 2], ['V00', 1]]);
  t.is(d2?.top?.length, 10);
  t.is(d2?.distinct, 12);
  t.is(d2?.messages, 15);
  t.is(d2?.newPairs, 12);
});

test('the engine never mutates what the store returns and puts each key once per call', (t) => {
  const inner = new MemoryAssocState();
  const puts: string[] = [];
  // Every read hands out a deeply frozen copy: any in-place change by the engine would throw.
  const deepFrozen = <T>(v: T | undefined): T | undefined => {
    const walk = (o: unknown): void => {
      if (o !== null && typeof o === 'object') {
        Object.values(o).forEach(walk);
        Object.freeze(o);
      }
    };
    const copy = v === undefined ? v : structuredClone(v);
    walk(copy);
    return copy;
  };
  const store: AssocStateAccess = {
    getPair: (k) => deepFrozen(inner.getPair(k)),
    putPair: (k, v) => (puts.push(`pair ${k}`), inner.putPair(k, v)),
    getSummary: (k) => deepFrozen(inner.getSummary(k)),
    putSummary: (k, v) => (puts.push(`sum ${k}`), inner.putSummary(k, v)),
    getDaily: (k) => deepFrozen(inner.getDaily(k)),
    putDaily: (k, v) => (puts.push(`daily ${k}`), inner.putDaily(k, v)),
  };
  const ctx = { now: at('2025-03-10T20:00:00Z'), calendar: berlin };
  applyObservations(store, [obs('A', 'X', '2025-03-10T09:00:00Z')], ctx);
  puts.length = 0;
  t.notThrows(() => applyObservations(store, [obs('A', 'X', '2025-03-10T10:00:00Z'), obs('A', 'X', '2025-03-10T11:00:00Z'), obs('A', 'Y', '2025-03-10T11:00:00Z')], ctx));
  t.deepEqual(puts.sort(), [`daily ${dailyKey('u-d', '2025-03-10', 'A')}`, `pair ${pairKey('u-d', 'A', 'X')}`, `pair ${pairKey('u-d', 'A', 'Y')}`, 'sum u-d'].sort());
  t.deepEqual(columns(inner), [2, 2, 4, 4, '2025-03-10']);
});

test('a backfill day that is not a date is refused before anything is written', (t) => {
  const state = new MemoryAssocState();
  t.throws(() => applyObservations(state, [obs('A', 'X', '2025-03-10T09:00:00Z')], { now: at('2025-03-10T12:00:00Z'), calendar: berlin, day: '2025-02-30' }), { instanceOf: RangeError, message: /2025-02-30/ });
  t.is(state.summaries.size + state.pairs.size + state.daily.size, 0);
});
