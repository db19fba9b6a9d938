// Settings: defaults declared once, per-definition overrides merged over shared defaults,
// every invalid value reported with its key path.

import test from 'ava';

import { DEFAULT_SETTINGS, resolveSettings } from '../../../processors/anomaly/config.js';

test('defaults: compatible disabled as in the source product, robust medium, new associations low', (t) => {
  t.deepEqual(DEFAULT_SETTINGS, {
    min_population: 11,
    association_count: { compatible: { severity: 'disabled', k: 3, marginal_pct: 20 }, robust: { severity: 'medium', threshold: 3.5 } },
    association_activity: { compatible: { severity: 'disabled', k: 3, marginal_pct: 20 }, robust: { severity: 'medium', threshold: 3.5 } },
    robust: { min_scale: 0.25, history: { enabled: true, window_days: 28, min_days: 7, baseline_days: 'all', weekend_days: [0, 6] } },
    new_associations: { severity: 'low', learning_days: 7, min_new_values: 1, max_values: 10 },
    evidence: { top_values: 10 },
  });
  t.true(Object.isFrozen(DEFAULT_SETTINGS.association_count.compatible));
});

test('a definition override is merged over the shared defaults, key by key', (t) => {
  const r = resolveSettings(
    { association_activity: { compatible: { severity: 'high', k: 4 } }, min_population: 20 },
    { association_activity: { compatible: { k: 2.5 } }, robust: { history: { weekend_days: [5, 6] } } },
  );
  t.true(r.ok);
  if (!r.ok) return;
  t.deepEqual(r.settings.association_activity.compatible, { severity: 'high', k: 2.5, marginal_pct: 20 });
  t.is(r.settings.min_population, 20);
  t.deepEqual(r.settings.robust.history.weekend_days, [5, 6]); // arrays replace
});

const invalid: [string, unknown, string[]][] = [
  ['unknown key', { association_count: { compatible: { kk: 3 } } }, ['association_count.compatible: Unrecognized key: "kk"']],
  ['k not positive', { association_activity: { compatible: { k: 0 } } }, ['association_activity.compatible.k: Too small: expected number to be >0']],
  ['negative margin', { association_count: { compatible: { marginal_pct: -1 } } }, ['association_count.compatible.marginal_pct: Too small: expected number to be >=0']],
  ['population too small', { min_population: 2 }, ['min_population: Too small: expected number to be >=3']],
  ['fractional days', { new_associations: { learning_days: 1.5 } }, ['new_associations.learning_days: Invalid input: expected int, received number']],
  [
    'unknown severity',
    { new_associations: { severity: 'urgent' } },
    ['new_associations.severity: Invalid option: expected one of "disabled"|"low"|"medium"|"high"|"critical"'],
  ],
  ['baseline days', { robust: { history: { baseline_days: 'weekday' } } }, ['robust.history.baseline_days: Invalid option: expected one of "all"|"same-kind"']],
  ['a __proto__ key is an unknown key, not a prototype', JSON.parse('{"__proto__": {"min_population": 3}}'), ['(root): Unrecognized key: "__proto__"']],
  [
    'every problem at once',
    { min_population: 0, evidence: { top_values: 1000 } },
    ['min_population: Too small: expected number to be >=3', 'evidence.top_values: Too big: expected number to be <=100'],
  ],
];

for (const [name, overrides, issues] of invalid) {
  test(`invalid: ${name}`, (t) => {
    t.deepEqual(resolveSettings({}, overrides), { ok: false, issues });
  });
}
