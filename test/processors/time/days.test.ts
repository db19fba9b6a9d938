// Calendar days and the start of a local day across time zones and DST changes.

import test from 'ava';

import { addDays, dayOfWeek, daysBetween, dayStart, isDay } from '../../../processors/time/zone.js';

test('isDay accepts real dates only', (t) => {
  t.true(isDay('2024-02-29'));
  t.false(isDay('2023-02-29'));
  t.false(isDay('2024-13-01'));
  t.false(isDay('2024-5-8'));
  t.false(isDay('2024-05-08T00:00'));
});

test('day arithmetic ignores DST: every calendar day is one day', (t) => {
  t.is(daysBetween('2024-05-01', '2024-05-08'), 7);
  t.is(daysBetween('2024-05-08', '2024-05-01'), -7);
  t.is(daysBetween('2024-03-30', '2024-04-01'), 2);
  t.is(daysBetween('2024-05-01', 'nope'), undefined);
  t.is(addDays('2024-02-28', 1), '2024-02-29');
  t.is(addDays('2024-03-01', -1), '2024-02-29');
  t.is(addDays('bad', 1), undefined);
  t.is(dayOfWeek('2024-05-11'), 6); // Saturday
  t.is(dayOfWeek('2024-05-12'), 0); // Sunday
});

test('dayStart is local midnight in the zone, in UTC', (t) => {
  t.is(dayStart('2024-05-08', 'UTC'), '2024-05-08T00:00:00.000Z');
  t.is(dayStart('2024-05-08', 'Europe/Berlin'), '2024-05-07T22:00:00.000Z');
  t.is(dayStart('2024-01-08', 'Europe/Berlin'), '2024-01-07T23:00:00.000Z');
  t.is(dayStart('2024-05-08', 'Asia/Kolkata'), '2024-05-07T18:30:00.000Z');
  t.is(dayStart('2024-05-08', 'Pacific/Chatham'), '2024-05-07T11:15:00.000Z');
});

test('dayStart on DST change days', (t) => {
  t.is(dayStart('2024-03-31', 'Europe/Berlin'), '2024-03-30T23:00:00.000Z'); // change at 02:00, midnight still +01
  t.is(dayStart('2024-10-27', 'Europe/Berlin'), '2024-10-26T22:00:00.000Z'); // midnight still +02
  t.is(dayStart('2024-03-10', 'America/New_York'), '2024-03-10T05:00:00.000Z');
  // Sao Paulo skipped 00:00–01:00 on 2018-11-04: the day began at 01:00 −02.
  t.is(dayStart('2018-11-04', 'America/Sao_Paulo'), '2018-11-04T03:00:00.000Z');
  t.is(dayStart('2018-11-05', 'America/Sao_Paulo'), '2018-11-05T02:00:00.000Z');
});

test('dayStart rejects a malformed day and an unknown zone', (t) => {
  t.throws(() => dayStart('2024-02-30', 'UTC'), { instanceOf: RangeError });
  t.throws(() => dayStart('2024-05-08', 'Mars/Olympus'), { instanceOf: RangeError });
});
