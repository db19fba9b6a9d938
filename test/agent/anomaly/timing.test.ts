import test from 'ava';
import { latestDueDay, localDay, nextRunAt, pendingDays, runAt } from '../../../agent/anomaly/timing.js';

const iso = (t: number) => new Date(t).toISOString();

const runTimes: [string, string, string, string][] = [
  // [zone, day, run_after, expected instant]
  ['UTC', '2024-06-01', '00:15', '2024-06-01T00:15:00.000Z'],
  ['Europe/Berlin', '2024-06-01', '00:15', '2024-05-31T22:15:00.000Z'],
  ['Europe/Berlin', '2024-03-31', '00:15', '2024-03-30T23:15:00.000Z'], // DST day, before the change
  ['Europe/Berlin', '2024-03-31', '02:30', '2024-03-31T01:00:00.000Z'], // 02:30 skipped: at the change (03:00 CEST)
  ['Europe/Berlin', '2024-03-31', '03:30', '2024-03-31T01:30:00.000Z'],
  ['Europe/Berlin', '2024-10-27', '02:30', '2024-10-27T00:30:00.000Z'], // repeated hour: first occurrence (CEST)
  ['Europe/Berlin', '2024-10-27', '03:30', '2024-10-27T02:30:00.000Z'],
  ['America/Sao_Paulo', '2018-11-04', '00:15', '2018-11-04T03:00:00.000Z'], // midnight skipped: 01:00 is the first local time
  ['Australia/Lord_Howe', '2024-10-06', '02:15', '2024-10-05T15:30:00.000Z'], // 30-minute change
  ['America/New_York', '2024-03-10', '02:00', '2024-03-10T07:00:00.000Z'],
];

for (const [zone, day, hhmm, expected] of runTimes) {
  test(`runAt ${day} ${hhmm} ${zone} is the first instant the local clock reads it or later`, (t) => {
    t.is(iso(runAt(day, hhmm, zone)), expected);
  });
}

test('latestDueDay: yesterday once run_after has passed, else the day before', (t) => {
  t.is(latestDueDay(Date.parse('2024-06-02T00:14:59Z'), '00:15', 'UTC'), '2024-05-31');
  t.is(latestDueDay(Date.parse('2024-06-02T00:15:00Z'), '00:15', 'UTC'), '2024-06-01');
  t.is(latestDueDay(Date.parse('2024-06-02T23:59:00Z'), '00:15', 'UTC'), '2024-06-01');
  // 22:20 UTC on 05-31 is 00:20 on 06-01 in Berlin: 05-31 is due there.
  t.is(latestDueDay(Date.parse('2024-05-31T22:20:00Z'), '00:15', 'Europe/Berlin'), '2024-05-31');
  // Berlin, spring forward with run_after in the gap: 03-30 is due from the change on.
  t.is(latestDueDay(Date.parse('2024-03-31T00:59:59Z'), '02:30', 'Europe/Berlin'), '2024-03-29');
  t.is(latestDueDay(Date.parse('2024-03-31T01:00:00Z'), '02:30', 'Europe/Berlin'), '2024-03-30');
});

test('nextRunAt is strictly after now and follows the local calendar across DST', (t) => {
  t.is(iso(nextRunAt(Date.parse('2024-06-02T00:15:00Z'), '00:15', 'UTC')), '2024-06-03T00:15:00.000Z');
  t.is(iso(nextRunAt(Date.parse('2024-06-02T00:10:00Z'), '00:15', 'UTC')), '2024-06-02T00:15:00.000Z');
  // 00:15 Berlin is 23:15 UTC before the spring change and 22:15 UTC after it.
  t.is(iso(nextRunAt(Date.parse('2024-03-30T12:00:00Z'), '00:15', 'Europe/Berlin')), '2024-03-30T23:15:00.000Z');
  t.is(iso(nextRunAt(Date.parse('2024-03-30T23:15:00Z'), '00:15', 'Europe/Berlin')), '2024-03-31T22:15:00.000Z');
  t.is(iso(nextRunAt(Date.parse('2024-10-26T22:15:00Z'), '00:15', 'Europe/Berlin')), '2024-10-27T23:15:00.000Z');
});

test('localDay is the calendar day in the zone', (t) => {
  t.is(localDay(Date.parse('2024-05-31T22:30:00Z'), 'Europe/Berlin'), '2024-06-01');
  t.is(localDay(Date.parse('2024-05-31T22:30:00Z'), 'UTC'), '2024-05-31');
});

test('pendingDays: after last_day, oldest first, the newest catch_up_days only', (t) => {
  t.deepEqual(pendingDays('2024-05-13', '2024-05-15', 7), { days: ['2024-05-14', '2024-05-15'], skipped: undefined });
  t.deepEqual(pendingDays('2024-05-15', '2024-05-15', 7), { days: [], skipped: undefined });
  t.deepEqual(pendingDays('2024-05-20', '2024-05-15', 7), { days: [], skipped: undefined }, 'a clock set back runs nothing');
  t.deepEqual(pendingDays('2024-05-01', '2024-05-15', 3), { days: ['2024-05-13', '2024-05-14', '2024-05-15'], skipped: { from: '2024-05-02', count: 11 } });
});

test('pendingDays on a first start: from the first day with data; without data, nothing yet', (t) => {
  t.deepEqual(pendingDays(undefined, '2024-05-15', 7, '2024-05-14').days, ['2024-05-14', '2024-05-15']);
  t.deepEqual(pendingDays(undefined, '2024-05-15', 3, '2024-01-01'), { days: ['2024-05-13', '2024-05-14', '2024-05-15'], skipped: undefined });
  t.deepEqual(pendingDays(undefined, '2024-05-15', 7, undefined).days, []);
  t.deepEqual(pendingDays(undefined, '2024-05-15', 7, '2024-05-16').days, [], 'data only from today: nothing is due yet');
});
