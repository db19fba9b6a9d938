import test from 'ava';
import fc from 'fast-check';
import { isSmfError } from '../../../agent/errors.js';
import { LocalCalendar, addDays, dayNumber, isDay } from '../../../processors/associations/calendar.js';

const at = (iso: string) => Date.parse(iso);

test('Europe/Berlin: local midnight moves from 23:00Z to 22:00Z across the March DST change', (t) => {
  const cal = new LocalCalendar('Europe/Berlin');
  t.is(cal.dayOf(at('2025-03-29T22:59:59.999Z')), '2025-03-29');
  t.is(cal.dayOf(at('2025-03-29T23:00:00.000Z')), '2025-03-30');
  t.is(cal.dayOf(at('2025-03-30T00:59:59.999Z')), '2025-03-30'); // 01:59:59 CET, just before the jump
  t.is(cal.dayOf(at('2025-03-30T01:00:00.000Z')), '2025-03-30'); // 03:00 CEST
  t.is(cal.dayOf(at('2025-03-30T21:59:59.999Z')), '2025-03-30'); // a 23-hour day
  t.is(cal.dayOf(at('2025-03-30T22:00:00.000Z')), '2025-03-31');
});

test('Europe/Berlin: the October day has 25 hours', (t) => {
  const cal = new LocalCalendar('Europe/Berlin');
  t.is(cal.dayOf(at('2025-10-25T21:59:59.999Z')), '2025-10-25');
  t.is(cal.dayOf(at('2025-10-25T22:00:00.000Z')), '2025-10-26');
  t.is(cal.dayOf(at('2025-10-26T22:59:59.999Z')), '2025-10-26');
  t.is(cal.dayOf(at('2025-10-26T23:00:00.000Z')), '2025-10-27');
});

test('the cached day always equals a fresh Intl computation, in any order, for odd-offset zones', (t) => {
  const zones = ['Europe/Berlin', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham', 'UTC'];
  const cached = new Map(zones.map((z) => [z, new LocalCalendar(z)]));
  fc.assert(
    fc.property(fc.constantFrom(...zones), fc.integer({ min: at('2000-01-01T00:00:00Z'), max: at('2040-01-01T00:00:00Z') }), (zone, ms) => {
      const fresh = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
      return cached.get(zone)?.dayOf(ms) === fresh;
    }),
    { numRuns: 3000 },
  );
  t.pass();
});

test('an unknown zone is a configuration error at construction', (t) => {
  const err = t.throws(() => new LocalCalendar('Europe/Nowhere'));
  t.true(isSmfError(err, 'SMF_ERR_CONFIG'));
  t.regex(err?.message ?? '', /Europe\/Nowhere/);
});

test('day arithmetic works on labels, independent of zones and DST', (t) => {
  t.is(addDays('2025-03-30', 1), '2025-03-31');
  t.is(addDays('2024-03-01', -1), '2024-02-29');
  t.is(dayNumber('1970-01-02'), 1);
  t.is(dayNumber('2025-03-31') - dayNumber('2025-03-29'), 2);
  t.true(isDay('2025-02-28'));
  t.false(isDay('2025-02-29'));
  t.false(isDay('2025-2-28'));
  t.throws(() => dayNumber('yesterday'), { instanceOf: RangeError });
});
