import test from 'ava';
import { stringify } from 'yaml';
import { settingsFor } from '../../../agent/anomaly/config.js';
import { loadConfigFile, parseConfig } from '../../../agent/config/load.js';
import { isSmfError } from '../../../agent/errors.js';
import { DEFAULT_SETTINGS } from '../../../processors/anomaly/index.js';

const base = { inputs: [{ type: 'stdin', name: 'in' }], output: { elasticsearch: { hosts: ['http://127.0.0.1:9200'] } } };
const parse = (anomalies?: unknown) => parseConfig(stringify(anomalies === undefined ? base : { ...base, anomalies }), { source: 'a.yaml' });

test('defaults: every key has one, and the settings are the detector defaults', (t) => {
  const a = parse().anomalies;
  t.deepEqual(
    { ...a, settings: undefined, definitions: undefined },
    {
      enabled: true,
      run_after: '00:15',
      catch_up_days: 7,
      index: 'smf-anomalies-default',
      runs_index: 'smf-anomaly-runs-default',
      baseline_days: 28,
      settings: undefined,
      definitions: undefined,
    },
  );
  // The built-in per-definition settings (measured on the detection benchmark), resolved.
  t.deepEqual(Object.keys(a.definitions).sort(), ['jobname-datasets', 'userid-dsn', 'userid-honeypot-dsn', 'userid-time-logged-in']);
  t.is(a.definitions['userid-honeypot-dsn']!.new_associations.learning_days, 0);
  t.is(a.definitions['userid-honeypot-dsn']!.new_associations.severity, 'high');
  t.is(a.definitions['jobname-datasets']!.new_associations.severity, 'disabled');
  t.is(a.definitions['userid-dsn']!.new_associations.min_new_values, 5);
  t.is(a.definitions['userid-dsn']!.new_associations.learning_days, a.settings.new_associations.learning_days, 'other keys keep the shared defaults');
  t.deepEqual(a.settings, DEFAULT_SETTINGS);
});

test('per-definition overrides are merged over the shared settings and resolved at load', (t) => {
  const a = parse({
    settings: { min_population: 15, association_count: { compatible: { severity: 'high' } } },
    definitions: { 'jobname-datasets': { association_count: { robust: { threshold: 5 } } } },
  }).anomalies;
  const job = settingsFor(a, 'jobname-datasets');
  t.is(job.min_population, 15);
  t.is(job.association_count.compatible.severity, 'high');
  t.is(job.association_count.robust.threshold, 5);
  t.is(settingsFor(a, 'userid-dsn').association_count.robust.threshold, 3.5);
  t.true(Object.isFrozen(job));
});

test('config/agent.example.yaml documents the defaults of the anomalies section', (t) => {
  const c = loadConfigFile(new URL('../../../config/agent.example.yaml', import.meta.url).pathname, { ES_PASSWORD: 'x' });
  t.deepEqual(c.anomalies, parse().anomalies);
});

const invalid: { name: string; anomalies: unknown; expect: RegExp[] }[] = [
  { name: 'run_after not HH:MM', anomalies: { run_after: '24:00' }, expect: [/anomalies\.run_after: a local time "HH:MM"/] },
  { name: 'catch_up_days of 0', anomalies: { catch_up_days: 0 }, expect: [/anomalies\.catch_up_days:/] },
  { name: 'unknown key', anomalies: { enable: true }, expect: [/anomalies: Unrecognized key: "enable"/] },
  { name: 'upper-case index', anomalies: { index: 'Anomalies' }, expect: [/anomalies\.index: lowercase index name/] },
  {
    name: 'detector settings: every problem with its full key path',
    anomalies: { settings: { association_count: { compatible: { k: -1 } }, robust: { history: { weekend_days: [9] } }, tresholds: 1 } },
    expect: [/anomalies\.settings\.association_count\.compatible\.k: /, /anomalies\.settings\.robust\.history\.weekend_days\[0\]: /, /anomalies\.settings: Unrecognized key: "tresholds"/],
  },
  {
    name: 'a definition override',
    anomalies: { definitions: { 'userid-dsn': { new_associations: { severity: 'loud' } } } },
    expect: [/anomalies\.definitions\.userid-dsn\.new_associations\.severity: /],
  },
  { name: 'a definition id that is not a slug', anomalies: { definitions: { User_DSN: {} } }, expect: [/anomalies\.definitions\.User_DSN/] },
  {
    name: 'item history longer than the history read',
    anomalies: { baseline_days: 14 },
    expect: [/anomalies\.settings\.robust\.history\.window_days: 28 days exceeds anomalies\.baseline_days \(14\)/],
  },
];

for (const c of invalid) {
  test(`invalid anomalies config: ${c.name}`, (t) => {
    const err = t.throws(() => parse(c.anomalies));
    t.true(isSmfError(err, 'SMF_ERR_CONFIG'), String(err));
    for (const re of c.expect) t.regex(err!.message, re);
  });
}
