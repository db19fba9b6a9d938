// Properties over random data: the detectors never throw and never put NaN or Infinity into a
// document, verdicts need a large enough population, results do not depend on input order or
// on history from the future, and every finding satisfies the rule that produced it.

import test from 'ava';
import fc from 'fast-check';

import { DEFAULT_SETTINGS, type AnomalySettings } from '../../../processors/anomaly/config.js';
import { addDays } from '../../../processors/time/zone.js';
import { detect } from '../../../processors/anomaly/detectors.js';
import { anomalyDocuments } from '../../../processors/anomaly/documents.js';
import { runDocument } from '../../../processors/anomaly/run-document.js';
import { moments } from '../../../processors/anomaly/stats.js';
import type { DetectionInput, ItemDay } from '../../../processors/anomaly/types.js';
import { ALL, DEFINITION, only, settings } from './helpers.js';
import { loadTemplate, unmappedProblems } from './mapping-check.js';

const DAY = '2024-05-08';
// Small counts make ties and zero spread likely; large ones test the numeric range.
const count = fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 20 }) }, fc.nat(), fc.maxSafeNat());
const valueCount = fc.record({ value: fc.string({ maxLength: 6 }), count });
const itemDay: fc.Arbitrary<ItemDay> = fc.record(
  {
    item: fc.string({ maxLength: 6 }),
    distinct: count,
    messages: count,
    newValues: fc.array(valueCount, { maxLength: 4 }),
    newValuesTotal: count,
    top: fc.array(valueCount, { maxLength: 4 }),
  },
  { requiredKeys: ['item', 'distinct', 'messages', 'newValues', 'top'] },
);
const items = (maxLength: number) => fc.uniqueArray(itemDay, { selector: (i) => i.item, maxLength });
const pastDay = fc.integer({ min: -35, max: -1 }).map((d) => addDays(DAY, d)!);
const historyDay = (names: string[]) =>
  fc.record({
    day: pastDay,
    items: fc.array(fc.record({ item: names.length > 0 ? fc.constantFrom(...names) : fc.string(), distinct: count, messages: count }), {
      maxLength: 8,
    }),
  });
/** Earlier days; `unique` false lets a day appear twice (the last copy wins, so order then matters). */
const historyDays = (names: string[], unique = false) =>
  unique ? fc.uniqueArray(historyDay(names), { selector: (h) => h.day, maxLength: 12 }) : fc.array(historyDay(names), { maxLength: 12 });

const detectionInput = (maxItems: number, uniqueDays = false): fc.Arbitrary<DetectionInput> =>
  items(maxItems).chain((its) =>
    fc.record({
      definition: fc.constant(DEFINITION),
      day: fc.constant(DAY),
      items: fc.constant(its),
      history: historyDays(its.map((i) => i.item), uniqueDays),
      firstSeenDay: fc.option(fc.integer({ min: -20, max: 3 }).map((d) => addDays(DAY, d)!), { nil: undefined }),
    }),
  );

const anySettings: fc.Arbitrary<AnomalySettings> = fc
  .record({
    k: fc.double({ min: 0.1, max: 6, noNaN: true }),
    pct: fc.double({ min: 0, max: 200, noNaN: true }),
    threshold: fc.double({ min: 0.1, max: 10, noNaN: true }),
    minPopulation: fc.integer({ min: 3, max: 30 }),
    minScale: fc.double({ min: 1e-6, max: 3, noNaN: true }),
    history: fc.boolean(),
    baselineDays: fc.constantFrom('all' as const, 'same-kind' as const),
    learning: fc.integer({ min: 0, max: 10 }),
  })
  .map((s) => {
    const kind = { compatible: { k: s.k, marginal_pct: s.pct }, robust: { threshold: s.threshold } };
    return only([...ALL], {
      min_population: s.minPopulation,
      association_count: kind,
      association_activity: kind,
      robust: { min_scale: s.minScale, history: { enabled: s.history, baseline_days: s.baselineDays, min_days: 3 } },
      new_associations: { learning_days: s.learning },
    });
  });

const anomalies = loadTemplate('anomalies.json').template.mappings;
const runs = loadTemplate('anomaly-runs.json').template.mappings;

test('never throws; every document is finite, JSON-exact and mapped', (t) => {
  fc.assert(
    fc.property(detectionInput(40), anySettings, (input, s) => {
      const result = detect(input, s);
      for (const { document } of anomalyDocuments(result, { createdAt: 0, timeZone: 'Europe/Berlin' })) {
        if (JSON.stringify(JSON.parse(JSON.stringify(document))) !== JSON.stringify(document)) return false;
        const problems = unmappedProblems(document, anomalies);
        if (problems.length > 0) throw new Error(problems.join('; '));
      }
      const run = runDocument({ day: DAY, attempt: 1, trigger: 'manual', startedAt: 0, finishedAt: 5, results: [result], errors: [], parameters: {} }, 9);
      return unmappedProblems(run.document, runs).length === 0;
    }),
    { numRuns: 300 },
  );
  t.pass();
});

test('with 10 or fewer items no population detector gives a verdict (default minimum 11)', (t) => {
  const s = settings({
    association_count: { compatible: { severity: 'high' } },
    association_activity: { compatible: { severity: 'high' } },
  });
  fc.assert(
    fc.property(detectionInput(10), (input) => {
      const r = detect(input, s);
      const population = r.outcomes.filter((o) => o.kind !== 'new_associations');
      return population.length === 4 && population.every((o) => o.status === 'insufficient_baseline') && r.findings.every((f) => f.kind === 'new_associations');
    }),
  );
  t.pass();
});

test('the bound behind it: with n ≤ 10 values no z-score exceeds √(n−1) ≤ 3', (t) => {
  fc.assert(
    fc.property(fc.array(count, { minLength: 1, maxLength: 10 }), (xs) => {
      const m = moments(xs)!;
      const sd = Math.sqrt(m.m2 / m.n);
      const maxZ = sd === 0 ? 0 : Math.max(...xs.map((x) => (x - m.mean) / sd));
      return maxZ <= Math.sqrt(xs.length - 1) * (1 + 1e-9);
    }),
  );
  t.pass();
});

test('results do not depend on the order of items or (distinct) history days', (t) => {
  fc.assert(
    fc.property(detectionInput(30, true), anySettings, (input, s) => {
      const a = detect(input, s);
      const b = detect({ ...input, items: [...input.items].reverse(), history: [...input.history].reverse() }, s);
      t.deepEqual(b.findings, a.findings);
      t.deepEqual(b.outcomes, a.outcomes);
    }),
    { numRuns: 200 },
  );
});

test('history on or after the analysed day changes nothing', (t) => {
  fc.assert(
    fc.property(detectionInput(30), historyDays([]), (input, future) => {
      const shifted = future.map((h) => ({ ...h, day: addDays(h.day, 36)! })); // now DAY … DAY + 35
      const a = detect(input, DEFAULT_SETTINGS);
      const b = detect({ ...input, history: [...input.history, ...shifted] }, DEFAULT_SETTINGS);
      t.deepEqual(b.findings, a.findings);
    }),
    { numRuns: 100 },
  );
});

test('every finding satisfies the rule that produced it', (t) => {
  fc.assert(
    fc.property(detectionInput(40), anySettings, (input, s) => {
      for (const f of detect(input, s).findings) {
        const b = f.baseline;
        if (f.mode === 'compatible') {
          const c = s[f.kind as 'association_count'].compatible;
          if (!(b && f.observed > b.mean + c.k * b.stddev && f.observed > b.mean * (1 + c.marginal_pct / 100))) return false;
        } else if (f.mode === 'robust') {
          const threshold = s[f.kind as 'association_count'].robust.threshold;
          if (!((f.score ?? 0) > threshold && (f.history === undefined || f.history.score > threshold))) return false;
          if (b === undefined || b.n < s.min_population) return false;
        } else if (f.newValuesTotal < s.new_associations.min_new_values) return false;
      }
      return true;
    }),
    { numRuns: 200 },
  );
  t.pass();
});
