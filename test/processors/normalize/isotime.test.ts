import test from 'ava';
import fc from 'fast-check';
import { IsoFormatter } from '../../../processors/normalize/isotime.js';

test('IsoFormatter writes exactly what toISOString writes', (t) => {
  const f = new IsoFormatter();
  for (const ms of [0, 1, -1, 86_399_999, 86_400_000, 951_782_400_000, 1_741_000_000_123, 4_102_444_799_999, 8.64e15, -8.64e15]) {
    t.is(f.format(ms), new Date(ms).toISOString(), String(ms));
  }
  fc.assert(fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => f.format(ms) === new Date(ms).toISOString()));
});

test('IsoFormatter throws on an invalid time, like toISOString', (t) => {
  t.throws(() => new IsoFormatter().format(Number.NaN), { instanceOf: RangeError });
});
