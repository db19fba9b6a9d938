import test from 'ava';
import { parseDatePair, parseTime } from '../../../processors/normalize/time.js';
import { Zone } from '../../../processors/time/zone.js';

const zones = new Map<string, Zone>();
function ctx(zone: string, receivedAt = '2025-03-03T12:00:00Z') {
  let z = zones.get(zone);
  if (z === undefined) zones.set(zone, (z = new Zone(zone)));
  return { zone: z, receivedAtMs: Date.parse(receivedAt) };
}
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

interface Case {
  name: string;
  value: string | number;
  zone?: string;
  receivedAt?: string;
  expected: string | undefined;
}

const cases: Case[] = [
  // ISO 8601 / RFC 3339
  { name: 'ISO with Z', value: '2025-03-03T09:04:05.123Z', expected: '2025-03-03T09:04:05.123Z' },
  { name: 'ISO with +hh:mm', value: '2025-03-03T09:04:05+01:00', expected: '2025-03-03T08:04:05.000Z' },
  { name: 'ISO with +hhmm', value: '2025-03-03T09:04:05.5+0100', expected: '2025-03-03T08:04:05.500Z' },
  { name: 'ISO with -hh', value: '2025-03-03T09:04:05-05', expected: '2025-03-03T14:04:05.000Z' },
  { name: 'ISO with space and offset after a space', value: '2025-03-03 09:04:05 +0100', expected: '2025-03-03T08:04:05.000Z' },
  { name: 'ISO zone-less → configured zone', value: '2025-03-03T09:04:05', zone: 'Europe/Berlin', expected: '2025-03-03T08:04:05.000Z' },
  { name: 'ISO zone-less in UTC', value: '2025-03-03T09:04:05', expected: '2025-03-03T09:04:05.000Z' },
  { name: 'ISO microseconds truncated to ms', value: '2025-03-03T09:04:05.123456Z', expected: '2025-03-03T09:04:05.123Z' },
  { name: 'ISO with slashes', value: '2025/03/03 09:04:05', expected: '2025-03-03T09:04:05.000Z' },
  { name: 'ISO date only = local midnight', value: '2025-03-03', zone: 'America/New_York', expected: '2025-03-03T05:00:00.000Z' },
  { name: 'ISO with abbreviation', value: '2025-07-01 12:00:00 EDT', expected: '2025-07-01T16:00:00.000Z' },
  // EasySMF smfDateTime: local, hundredths
  { name: 'EasySMF hundredths', value: '2025-03-03T09:04:05.45', zone: 'Europe/Berlin', expected: '2025-03-03T08:04:05.450Z' },
  // zSecure devTime
  { name: 'zSecure single-digit day and hour, +hhmm', value: 'Mar 3 2025 9:04:05.123 +0100', expected: '2025-03-03T08:04:05.123Z' },
  { name: 'zSecure +hh:mm', value: 'Mar 3 2025 9:04:05 -05:00', expected: '2025-03-03T14:04:05.000Z' },
  { name: 'zSecure CET abbreviation', value: 'Mar 03 2025 09:04:05 CET', expected: '2025-03-03T08:04:05.000Z' },
  { name: 'zSecure CEST abbreviation', value: 'Jul 01 2025 09:04:05 CEST', expected: '2025-07-01T07:04:05.000Z' },
  { name: 'zSecure zone-less → configured zone', value: 'Mar 03 2025 09:04:05', zone: 'America/New_York', expected: '2025-03-03T14:04:05.000Z' },
  { name: 'zSecure GMT', value: 'Mar 03 2025 09:04:05.1 GMT', expected: '2025-03-03T09:04:05.100Z' },
  { name: 'unknown abbreviation refused', value: 'Mar 03 2025 09:04:05 IST', expected: undefined },
  { name: 'full month name', value: 'March 3, 2025 09:04:05', expected: '2025-03-03T09:04:05.000Z' },
  // epoch
  { name: 'epoch seconds (number)', value: 1741000000, expected: '2025-03-03T11:06:40.000Z' },
  { name: 'epoch ms (number)', value: 1741000000123, expected: '2025-03-03T11:06:40.123Z' },
  { name: 'epoch seconds (string)', value: '1741000000', expected: '2025-03-03T11:06:40.000Z' },
  { name: 'epoch seconds with fraction', value: '1741000000.25', expected: '2025-03-03T11:06:40.250Z' },
  { name: 'epoch ms (string)', value: '1741000000123', expected: '2025-03-03T11:06:40.123Z' },
  { name: 'epoch microseconds', value: '1741000000123456', expected: '2025-03-03T11:06:40.123Z' },
  { name: 'epoch nanoseconds', value: '1741000000123456789', expected: '2025-03-03T11:06:40.123Z' },
  { name: 'epoch 0 refused', value: 0, expected: undefined },
  { name: 'yyyymmdd is not epoch', value: '20250303', expected: undefined },
  // RFC 3164
  { name: 'RFC 3164 in UTC', value: 'Mar  3 09:04:05', expected: '2025-03-03T09:04:05.000Z' },
  { name: 'RFC 3164 in Berlin', value: 'Mar  3 09:04:05', zone: 'Europe/Berlin', expected: '2025-03-03T08:04:05.000Z' },
  { name: 'RFC 3164 with ms', value: 'Mar 03 09:04:05.250', expected: '2025-03-03T09:04:05.250Z' },
  { name: 'RFC 3164 December received in January → last year', value: 'Dec 31 23:59:58', receivedAt: '2025-01-01T00:00:30Z', expected: '2024-12-31T23:59:58.000Z' },
  { name: 'RFC 3164 January received on Dec 31 (sender ahead) → next year', value: 'Jan  1 00:00:05', receivedAt: '2024-12-31T23:59:50Z', expected: '2025-01-01T00:00:05.000Z' },
  { name: 'RFC 3164 year is the zone’s year, not UTC’s', value: 'Jan  1 00:29:00', zone: 'Europe/Berlin', receivedAt: '2024-12-31T23:30:00Z', expected: '2024-12-31T23:29:00.000Z' },
  { name: 'RFC 3164 a few hours in the future stays this year', value: 'Mar  3 20:00:00', expected: '2025-03-03T20:00:00.000Z' },
  { name: 'RFC 3164 two days in the future is last year', value: 'Mar  5 12:00:00', expected: '2024-03-05T12:00:00.000Z' },
  { name: 'RFC 3164 Feb 29 takes the last leap year', value: 'Feb 29 12:00:00', receivedAt: '2025-03-01T00:00:00Z', expected: '2024-02-29T12:00:00.000Z' },
  // DST: Europe/Berlin 2025-03-30 02:00 → 03:00, 2025-10-26 03:00 → 02:00
  { name: 'Berlin before spring forward', value: '2025-03-30T01:59:59', zone: 'Europe/Berlin', expected: '2025-03-30T00:59:59.000Z' },
  { name: 'Berlin skipped 02:30 moves forward to 03:30 CEST', value: '2025-03-30T02:30:00', zone: 'Europe/Berlin', expected: '2025-03-30T01:30:00.000Z' },
  { name: 'Berlin after spring forward', value: '2025-03-30T03:00:00', zone: 'Europe/Berlin', expected: '2025-03-30T01:00:00.000Z' },
  { name: 'Berlin repeated 02:30 takes the earlier (CEST)', value: '2025-10-26T02:30:00', zone: 'Europe/Berlin', expected: '2025-10-26T00:30:00.000Z' },
  { name: 'Berlin after fall back', value: '2025-10-26T03:00:00', zone: 'Europe/Berlin', expected: '2025-10-26T02:00:00.000Z' },
  { name: 'Berlin RFC 3164 on the spring-forward night', value: 'Mar 30 03:30:00', zone: 'Europe/Berlin', receivedAt: '2025-03-30T02:00:00Z', expected: '2025-03-30T01:30:00.000Z' },
  // DST: America/New_York 2025-03-09 02:00 → 03:00, 2025-11-02 02:00 → 01:00
  { name: 'New York skipped 02:30 → 03:30 EDT', value: '2025-03-09T02:30:00', zone: 'America/New_York', expected: '2025-03-09T07:30:00.000Z' },
  { name: 'New York repeated 01:30 takes the earlier (EDT)', value: '2025-11-02T01:30:00', zone: 'America/New_York', expected: '2025-11-02T05:30:00.000Z' },
  { name: 'New York after fall back', value: '2025-11-02T02:30:00', zone: 'America/New_York', expected: '2025-11-02T07:30:00.000Z' },
  { name: 'New York summer', value: 'Jul  4 12:00:00', zone: 'America/New_York', receivedAt: '2025-07-04T17:00:00Z', expected: '2025-07-04T16:00:00.000Z' },
  // refusals
  { name: 'garbage', value: 'yesterday', expected: undefined },
  { name: 'month 13', value: '2025-13-01T00:00:00Z', expected: undefined },
  { name: 'Feb 30', value: '2025-02-30T00:00:00Z', expected: undefined },
  { name: 'hour 24', value: '2025-03-03T24:00:00Z', expected: undefined },
  { name: 'offset +19:00', value: '2025-03-03T09:00:00+1900', expected: undefined },
  { name: 'before 1971', value: '1960-01-01T00:00:00Z', expected: undefined },
  { name: 'empty', value: '', expected: undefined },
];

for (const c of cases) {
  test(`parseTime: ${c.name}`, (t) => {
    t.is(iso(parseTime(c.value, ctx(c.zone ?? 'UTC', c.receivedAt))), c.expected);
  });
}

const pairs: { name: string; date: string | number; time: string | number; zone?: string; expected: string | undefined }[] = [
  { name: 'ISO date + hh:mm:ss.hh', date: '2025-03-03', time: '09:04:05.45', expected: '2025-03-03T09:04:05.450Z' },
  { name: 'yyyymmdd + hh:mm:ss', date: '20250303', time: '09:04:05', zone: 'Europe/Berlin', expected: '2025-03-03T08:04:05.000Z' },
  { name: 'Julian yyyyddd + hundredths (number)', date: '2025062', time: 3264545, expected: '2025-03-03T09:04:05.450Z' },
  { name: 'Julian yyyy.ddd + hundredths (string)', date: '2024.366', time: '0', expected: '2024-12-31T00:00:00.000Z' },
  { name: 'SMF 0cyyddd', date: '0125062', time: '3264545', expected: '2025-03-03T09:04:05.450Z' },
  { name: 'day 366 of a common year refused', date: '2025366', time: '0', expected: undefined },
  { name: 'hundredths past midnight refused', date: '2025-03-03', time: 8640000, expected: undefined },
  { name: 'unknown date shape refused', date: '03/03/2025', time: '09:04:05', expected: undefined },
];

for (const c of pairs) {
  test(`parseDatePair: ${c.name}`, (t) => {
    t.is(iso(parseDatePair(c.date, c.time, ctx(c.zone ?? 'UTC'))), c.expected);
  });
}

test('Zone rejects unknown names and resolves aliases', (t) => {
  t.throws(() => new Zone('Mars/Olympus_Mons'), { instanceOf: RangeError });
  t.is(new Zone('UTC').offsetAt(Date.UTC(2025, 0, 1)), 0);
});

test('Zone offsets are right on both sides of a transition (cache buckets do not leak)', (t) => {
  const z = new Zone('Europe/Berlin');
  const transition = Date.parse('2025-03-30T01:00:00Z');
  t.is(z.offsetAt(transition - 1), 3_600_000);
  t.is(z.offsetAt(transition), 7_200_000);
  t.is(z.offsetAt(transition - 1), 3_600_000);
  const stJohns = new Zone('America/St_Johns'); // transitions at 02:00 local = 05:30 UTC
  const nl = Date.parse('2025-03-09T05:30:00Z');
  t.is(stJohns.offsetAt(nl - 1), -3.5 * 3_600_000);
  t.is(stJohns.offsetAt(nl), -2.5 * 3_600_000);
});
