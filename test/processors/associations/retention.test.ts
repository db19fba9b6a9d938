import test from 'ava';
import { LocalCalendar } from '../../../processors/associations/calendar.js';
import { applyObservations, type Observation } from '../../../processors/associations/engine.js';
import { correctSummary, dailyCutoff, expired, expiredDailyKeys, sweepPairs } from '../../../processors/associations/retention.js';
import { MemoryAssocState, dailyKey, pairKey, type PairState } from '../../../processors/associations/state.js';

const utc = new LocalCalendar('UTC');
const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;
const obs = (def: string, v1: string, v2: string, iso: string): Observation => ({ def, v1, v2, time: at(iso) });

function somePair(lastSeen: number): PairState {
  return { def: 'd', v1: 'A', v2: 'X', firstSeen: lastSeen - DAY, lastSeen, day: '2025-03-01', todayCount: 1, historyCount: 5, recentDays: 1 };
}

test('a pair expires when its last observation is more than retentionDays × 24 h old', (t) => {
  const now = at('2025-04-30T12:00:00Z');
  t.false(expired(somePair(now - 30 * DAY), now, 30));
  t.true(expired(somePair(now - 30 * DAY - 1), now, 30));
  t.false(expired(somePair(now + DAY), now, 30), 'a future lastSeen is not expired');
  t.true(expired(somePair(now - 2 * DAY), now, 1));
});

test('retention must be a whole number of days ≥ 1', (t) => {
  t.throws(() => expired(somePair(0), 0, 0), { instanceOf: RangeError });
  t.throws(() => sweepPairs([], 0, 1.5), { instanceOf: RangeError });
  t.throws(() => dailyCutoff('2025-01-01', -1), { instanceOf: RangeError });
});

test('a sweep deletes expired pairs and records drops without reducing History', (t) => {
  const state = new MemoryAssocState();
  applyObservations(state, [
    obs('d', 'A', 'OLD1', '2025-03-01T10:00:00Z'),
    obs('d', 'A', 'OLD1', '2025-03-01T11:00:00Z'),
    obs('d', 'B', 'OLD2', '2025-03-02T10:00:00Z'),
    obs('e', 'A', 'OLD3', '2025-03-02T10:00:00Z'),
  ], { now: at('2025-03-02T12:00:00Z'), calendar: utc });
  applyObservations(state, [obs('d', 'A', 'NEW', '2025-04-20T10:00:00Z')], { now: at('2025-04-20T12:00:00Z'), calendar: utc });

  const now = at('2025-04-20T12:00:00Z');
  const sweep = sweepPairs(state.pairs, now, 30);
  t.deepEqual(sweep.deleteKeys, [pairKey('d', 'A', 'OLD1'), pairKey('d', 'B', 'OLD2'), pairKey('e', 'A', 'OLD3')]);
  t.deepEqual([...sweep.corrections.keys()], ['d', 'e']);

  const d = correctSummary(state.getSummary('d')!, sweep.corrections.get('d')!);
  t.like(d, { uniqueHistory: 3, messagesHistory: 4, droppedPairs: 2, droppedMessages: 3, uniqueToday: 1, messagesToday: 1, day: '2025-04-20' });

  // Definition 'e' saw nothing since 2025-03-02: its only pair was still "today" for it.
  const e = correctSummary(state.getSummary('e')!, sweep.corrections.get('e')!);
  t.like(e, { uniqueHistory: 1, messagesHistory: 1, droppedPairs: 1, droppedMessages: 1, uniqueToday: 0, messagesToday: 0 });
});

test('a dropped pair seen again is a new pair and counts again in History', (t) => {
  const state = new MemoryAssocState();
  applyObservations(state, [obs('d', 'A', 'X', '2025-03-01T10:00:00Z')], { now: at('2025-03-01T12:00:00Z'), calendar: utc });
  const now = at('2025-04-15T00:00:00Z');
  const sweep = sweepPairs(state.pairs, now, 30);
  for (const k of sweep.deleteKeys) state.pairs.delete(k);
  for (const [def, c] of sweep.corrections) state.putSummary(def, correctSummary(state.getSummary(def)!, c));
  applyObservations(state, [obs('d', 'A', 'X', '2025-04-15T10:00:00Z')], { now: at('2025-04-15T12:00:00Z'), calendar: utc });
  t.like(state.getSummary('d'), { uniqueHistory: 2, messagesHistory: 2, droppedPairs: 1, droppedMessages: 1, uniqueToday: 1 });
  t.is(state.getDaily(dailyKey('d', '2025-04-15', 'A'))?.newPairs, 1);
  t.is(state.pairs.size, 1);
});

test('daily item statistics are kept for retentionDays days including today', (t) => {
  t.is(dailyCutoff('2025-03-31', 30), '2025-03-02');
  t.is(dailyCutoff('2025-03-31', 1), '2025-03-31');
  const keys = [dailyKey('d', '2025-03-01', 'A'), dailyKey('d', '2025-03-02', 'A'), dailyKey('e', '2025-02-10', 'B'), dailyKey('e', '2025-03-31', 'B')];
  t.deepEqual(expiredDailyKeys(keys, '2025-03-02'), [dailyKey('d', '2025-03-01', 'A'), dailyKey('e', '2025-02-10', 'B')]);
});
