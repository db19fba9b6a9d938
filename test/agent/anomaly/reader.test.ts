import test from 'ava';
import { AnomalyMeta } from '../../../agent/anomaly/meta.js';
import { DailyStatsReader, firstDayKey, toItemDay } from '../../../agent/anomaly/reader.js';
import { count, DEF, obs, population, SWEEPER, tempStore } from './helpers.js';

const INFO = { id: DEF, name: 'Userid and DSN', field1Label: 'User ID', field2Label: 'data set' };

test("the day's items are the DailyItemStats of that day, converted field by field", async (t) => {
  const { store, state } = tempStore(t);
  await count(store, state, [...obs(DEF, '2024-05-01', 'ALICE', 'A.OLD', 2), ...obs(DEF, '2024-05-01', 'BOB', 'B.ONE')]);
  await count(store, state, [...obs(DEF, '2024-05-02', 'ALICE', 'A.OLD'), ...obs(DEF, '2024-05-02', 'ALICE', 'A.NEW', 3)]);
  const { input } = new DailyStatsReader(store, state, 28).read(INFO, '2024-05-02');
  t.deepEqual(input.items, [
    {
      item: 'ALICE',
      distinct: 2,
      messages: 4,
      newValues: [{ value: 'A.NEW', count: 3 }],
      newValuesTotal: 1,
      top: [
        { value: 'A.NEW', count: 3 },
        { value: 'A.OLD', count: 1 },
      ],
    },
  ]);
  t.deepEqual(input.history, [
    {
      day: '2024-05-01',
      items: [
        { item: 'ALICE', distinct: 1, messages: 2 },
        { item: 'BOB', distinct: 1, messages: 1 },
      ],
    },
  ]);
  t.is(input.firstSeenDay, '2024-05-01');
  t.is(input.definition, INFO);
});

test('newValuesTotal is the unbounded count of new pairs when the stored list is bounded', (t) => {
  const item = toItemDay({ def: DEF, day: '2024-05-01', v1: 'X', messages: 12, distinct: 12, newPairs: 12, newValues: [['a', 1]], top: [['a', 1]], approximate: false });
  t.is(item.newValuesTotal, 12);
  t.deepEqual(item.newValues, [{ value: 'a', count: 1 }]);
});

test('no look-ahead: days after the analysed day are in the store but never read', async (t) => {
  const { store, state } = tempStore(t);
  await count(store, state, population('2024-05-01', 15, '2024-05-15'));
  const reader = new DailyStatsReader(store, state, 28);
  const { input } = reader.read(INFO, '2024-05-10');
  t.deepEqual(
    input.history.map((h) => h.day),
    ['2024-05-01', '2024-05-02', '2024-05-03', '2024-05-04', '2024-05-05', '2024-05-06', '2024-05-07', '2024-05-08', '2024-05-09'],
  );
  t.true(input.items.every((i) => i.distinct < 10), 'the sweep of 05-15 is not visible on 05-10');
  t.is(input.items.length, 30);
  const sweep = reader.read(INFO, '2024-05-15').input.items.find((i) => i.item === SWEEPER);
  t.is(sweep?.distinct, 5 + 200, 'the sweep is on 05-15: 5 habitual data sets and 200 new ones');
});

test('history is limited to baseline_days before the day', async (t) => {
  const { store, state } = tempStore(t);
  await count(store, state, population('2024-05-01', 15));
  const { input } = new DailyStatsReader(store, state, 3).read(INFO, '2024-05-15');
  t.deepEqual(
    input.history.map((h) => h.day),
    ['2024-05-12', '2024-05-13', '2024-05-14'],
  );
});

test('other definitions and ids sharing a prefix stay apart', async (t) => {
  const { store, state } = tempStore(t);
  await count(store, state, [...obs(DEF, '2024-05-02', 'ALICE', 'A'), ...obs(`${DEF}-x`, '2024-05-02', 'EVE', 'E'), ...obs(`${DEF}-x`, '2024-04-01', 'EVE', 'E')]);
  const reader = new DailyStatsReader(store, state, 28);
  const { input } = reader.read(INFO, '2024-05-02');
  t.deepEqual(input.items.map((i) => i.item), ['ALICE']);
  t.is(input.firstSeenDay, '2024-05-02');
  t.is(reader.scanFirstDay(`${DEF}-x`), '2024-04-01');
});

test('firstSeenDay: the stored first day outlives the daily records; a first day after the analysed day means none', async (t) => {
  const { store, state } = tempStore(t);
  await count(store, state, obs(DEF, '2024-05-10', 'ALICE', 'A'));
  const reader = new DailyStatsReader(store, state, 28);
  t.is(reader.read(INFO, '2024-05-09').input.firstSeenDay, undefined);
  const r = reader.read(INFO, '2024-05-10');
  t.is(r.scannedFirstDay, '2024-05-10');
  // The job keeps the earliest first day seen, so retention deleting old daily records does not
  // restart the learning period.
  await new AnomalyMeta(store).saveIds('2024-05-10', {}, new Map([[DEF, '2024-03-01']]));
  t.is(store.db('meta').get(firstDayKey(DEF)), '2024-03-01');
  t.is(reader.read(INFO, '2024-05-10').input.firstSeenDay, '2024-03-01');
  await new AnomalyMeta(store).saveIds('2024-05-10', {}, new Map([[DEF, '2024-04-01']]));
  t.is(store.db('meta').get(firstDayKey(DEF)), '2024-03-01', 'never moves later');
});

test('a day without data reads as no items', async (t) => {
  const { store, state } = tempStore(t);
  const { input, scannedFirstDay } = new DailyStatsReader(store, state, 28).read(INFO, '2024-05-10');
  t.deepEqual(input.items, []);
  t.deepEqual(input.history, []);
  t.is(input.firstSeenDay, undefined);
  t.is(scannedFirstDay, undefined);
});
