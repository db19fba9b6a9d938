import test from 'ava';
import fc from 'fast-check';
import { CONCRETE_FORMATS, SIM_FORMATS, defaultIncidents, simulate, type SimFormat, type SimOptions } from '../../../processors/simulate/index.js';

const small = (o: SimOptions): SimOptions => ({ days: 2, users: 15, timezone: 'Europe/Berlin', incidents: defaultIncidents(), ...o });
const texts = (o: SimOptions): string[] => [...simulate(small(o))].map((l) => l.text);

test('the same seed gives byte-identical lines in every format', (t) => {
  for (const format of SIM_FORMATS) {
    t.deepEqual(texts({ seed: 7, format }), texts({ seed: 7, format }), format);
  }
});

test('a different seed gives different lines', (t) => {
  for (const format of SIM_FORMATS) t.notDeepEqual(texts({ seed: 7, format }), texts({ seed: 8, format }), format);
});

test('text seeds are accepted and deterministic', (t) => {
  t.deepEqual(texts({ seed: 'demo' }), texts({ seed: 'demo' }));
  t.notDeepEqual(texts({ seed: 'demo' }), texts({ seed: 'other' }));
});

test('iterating the same simulation twice gives the same lines', (t) => {
  const sim = simulate(small({ seed: 3, format: 'mixed', malformed: 0.05 }));
  t.deepEqual([...sim].map((l) => l.text), [...sim].map((l) => l.text));
});

test('the format changes how events are written, not which events happen', (t) => {
  // Formats that carry every kind describe the same events: same times, same truth.
  const truths = (format: SimFormat) => [...simulate(small({ seed: 11, format }))].map((l) => [l.time.getTime(), l.truth]);
  const leef = truths('leef');
  for (const format of ['cef', 'rfc5424', 'rfc3164', 'json'] as const) t.deepEqual(truths(format), leef, format);
});

test('property: lines are in time order and reproducible for any seed and format', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(...SIM_FORMATS), fc.integer({ min: 1, max: 3 }), (seed, format, days) => {
      const o: SimOptions = { seed, format, days, users: 8, eventsPerDay: 300, timezone: 'America/New_York', start: '2025-03-08', malformed: 0.02 };
      const a = [...simulate(o)];
      const b = [...simulate(o)];
      if (a.length !== b.length || a.some((l, i) => l.text !== b[i]?.text)) return false;
      return a.every((l, i) => i === 0 || l.time.getTime() >= (a[i - 1] as (typeof a)[number]).time.getTime());
    }),
    { numRuns: 20 },
  );
  t.pass();
});

test('every concrete format is produced by mixed', (t) => {
  const seen = new Set([...simulate(small({ seed: 5, format: 'mixed' }))].map((l) => l.format));
  t.deepEqual([...seen].sort(), [...CONCRETE_FORMATS].sort());
});
