// Against the real node: each alert rule in kibana/rules/ is executed the way Kibana's es-query
// rule type would execute it now (es-query.ts), over documents built by the agent's own builders,
// and selects exactly the documents it should: the right severity, written (event.created) within
// the rule's window — not older ones, not ones from a clock ahead — and one group per item.

import test from 'ava';

import { loadKibanaAssets } from '../../agent/kibana/assets.js';
import type { RuleAsset } from '../../agent/kibana/rules.js';
import type { DeadLetterDoc } from '../../agent/outputs/deadletter.js';
import { installTemplates } from '../../agent/outputs/elasticsearch/templates.js';
import { resolveSettings } from '../../processors/anomaly/config.js';
import { detect } from '../../processors/anomaly/detectors.js';
import { anomalyDocuments, type AnomalyDocument } from '../../processors/anomaly/documents.js';
import type { DetectionInput, ItemDay } from '../../processors/anomaly/types.js';
import { useEs } from '../helpers/es.js';
import { runGroupedRule, type EsQueryParams } from './es-query.js';
import { globToRegExp } from './mappings.js';

const HOUR = 3_600_000;
const NOW = Date.now();
const rules = loadKibanaAssets().rules;
const ruleById = (id: string): RuleAsset => rules.find((r) => r.id === id) ?? (() => { throw new Error(`no rule ${id}`); })();
const paramsOf = (r: RuleAsset) => r.rule.params as unknown as EsQueryParams;
const dayAgo = (n: number) => new Date(NOW - n * 86_400_000).toISOString().slice(0, 10);

const item = (name: string, distinct: number, messages: number, extra: Partial<ItemDay> = {}): ItemDay => ({ item: name, distinct, messages, newValues: [], top: [], ...extra });
const crowd = (n: number, distinct = 10, messages = 10) => Array.from({ length: n }, (_, i) => item(`U${String(i).padStart(3, '0')}`, distinct, messages));

/** Settings with only the given detectors enabled, at the given severities. */
function settings(sev: { count?: string; activity?: string; new?: string }) {
  const r = resolveSettings(
    {},
    {
      association_count: { compatible: { severity: sev.count ?? 'disabled' }, robust: { severity: 'disabled' } },
      association_activity: { compatible: { severity: sev.activity ?? 'disabled' }, robust: { severity: 'disabled' } },
      new_associations: { severity: sev.new ?? 'disabled' },
    },
  );
  if (!r.ok) throw new Error(r.issues.join('; '));
  return r.settings;
}

function definition(id: string) {
  return { id, name: id, field1Label: 'User ID', field2Label: 'value' };
}

/** Detection + documents exactly as the nightly job produces them, written at `createdAt`. */
function batch(input: DetectionInput, sev: Parameters<typeof settings>[0], createdAt: number) {
  return anomalyDocuments(detect(input, settings(sev)), { createdAt, timeZone: 'UTC' });
}

// ALICE: 10 distinct values in 100 messages; BOB: 100 in 100; thirty others 10 in 10.
// Compatible activity (z = 3.87 for both) and number of associations (BOB, z = 5.57) fire.
const busy = (def: string, day: string): DetectionInput => ({
  definition: definition(def),
  day,
  items: [...crowd(30), item('ALICE', 10, 100), item('BOB', 100, 100)],
  history: [],
  firstSeenDay: dayAgo(60),
});
const loud = (def: string, day: string, who: string): DetectionInput => ({
  definition: definition(def),
  day,
  items: [...crowd(30), item(who, 10, 100)],
  history: [],
  firstSeenDay: dayAgo(60),
});
const newValue = (def: string, day: string, who: string): DetectionInput => ({
  definition: definition(def),
  day,
  items: [...crowd(30, 1, 1), item(who, 2, 3, { newValues: [{ value: 'SYS1.PARMLIB', count: 2 }] })],
  history: [],
  firstSeenDay: dayAgo(60),
});

const DOCS = [
  ...batch(busy('user-dsn', dayAgo(1)), { activity: 'high', count: 'critical' }, NOW - 2 * HOUR), // ALICE high, BOB high + critical
  ...batch(busy('user-dsn', dayAgo(2)), { activity: 'high', count: 'critical' }, NOW - 30 * HOUR), // the night before: outside
  ...batch(loud('user-terminal', dayAgo(1), 'ALICE'), { activity: 'high' }, NOW - 1 * HOUR), // ALICE high, second definition
  ...batch(loud('user-applid', dayAgo(1), 'CAROL'), { activity: 'medium' }, NOW - 4 * HOUR), // CAROL medium
  ...batch(newValue('user-dsn', dayAgo(1), 'DAVE'), { new: 'low' }, NOW - 3 * HOUR), // DAVE low
  ...batch(newValue('user-mq', dayAgo(1), 'FRANK'), { new: 'low' }, NOW - 7 * HOUR), // just outside 6 h
  ...batch(newValue('user-cics', dayAgo(1), 'ERIN'), { new: 'low' }, NOW + 2 * HOUR), // written by a clock ahead: after "now"
];

/** What a rule should select, computed from the documents: severity, written within [now − window, now]. */
function expectedGroups(severity: string, windowMs: number, now: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { document: d } of DOCS) {
    const created = Date.parse(d.event.created);
    if (d.anomaly.severity !== severity || created < now - windowMs || created > now) continue;
    out[d.association.field1.value] = (out[d.association.field1.value] ?? 0) + 1;
  }
  return out;
}

test('the test data covers every severity, in and out of the window', (t) => {
  const seen = DOCS.map(({ document: d }) => `${d.anomaly.severity}:${d.association.field1.value}:${d.association.definition.id}:${d.anomaly.day}`).sort();
  t.deepEqual(seen, [
    `critical:BOB:user-dsn:${dayAgo(1)}`,
    `critical:BOB:user-dsn:${dayAgo(2)}`,
    `high:ALICE:user-dsn:${dayAgo(1)}`,
    `high:ALICE:user-dsn:${dayAgo(2)}`,
    `high:ALICE:user-terminal:${dayAgo(1)}`,
    `high:BOB:user-dsn:${dayAgo(1)}`,
    `high:BOB:user-dsn:${dayAgo(2)}`,
    `low:DAVE:user-dsn:${dayAgo(1)}`,
    `low:ERIN:user-cics:${dayAgo(1)}`,
    `low:FRANK:user-mq:${dayAgo(1)}`,
    `medium:CAROL:user-applid:${dayAgo(1)}`,
  ].sort());
});

test('each anomaly rule, run as Kibana runs it, selects its severity written within its window, one group per item', async (t) => {
  const { es, prefix } = useEs(t);
  await installTemplates(es);
  const index = `smf-anomalies-${prefix}`;
  const ops = DOCS.flatMap(({ id, document }) => [{ index: { _index: index, _id: id } }, document]);
  const bulk = await es.bulk({ operations: ops, refresh: true });
  t.false(bulk.errors, JSON.stringify(bulk.items.find((i) => i.index?.error)));

  const expected: Record<string, Record<string, number>> = {
    critical: { BOB: 1 },
    high: { ALICE: 2, BOB: 1 },
    medium: { CAROL: 1 },
    low: { DAVE: 1 },
  };
  for (const [severity, groups] of Object.entries(expected)) {
    const rule = ruleById(`smf-agent-anomaly-${severity}`);
    const params = paramsOf(rule);
    t.true(
      params.index.some((p) => globToRegExp(p).test(index)),
      `${rule.id}: ${params.index.join(',')} covers ${index}`,
    );
    const now = new Date();
    const run = await runGroupedRule(es, params, now, { index: [index] });
    if (run.deviation) t.log(`${rule.id}: ${run.deviation}`);
    const got = Object.fromEntries(run.groups.map((g) => [g.key, g.count]));
    t.deepEqual(got, groups, `${rule.id}: groups`);
    const windowMs = params.timeWindowSize * { s: 1e3, m: 6e4, h: HOUR, d: 24 * HOUR }[params.timeWindowUnit];
    t.deepEqual(got, expectedGroups(severity, windowMs, now.getTime()), `${rule.id}: groups computed from the documents`);
    t.is(new Set(run.groups.map((g) => g.key)).size, run.groups.length, `${rule.id}: one group per item`);
    t.is(run.total, Object.values(groups).reduce((a, b) => a + b, 0), `${rule.id}: matching documents`);
    for (const g of run.groups) {
      t.is(g.hits.length, Math.min(g.count, params.size), `${rule.id}: ${g.key}'s documents reach the action context`);
      for (const h of g.hits) {
        const d = h._source as unknown as AnomalyDocument;
        t.is(d.anomaly.severity as string, severity);
        t.is(d.association.field1.value, g.key);
        t.true(Date.parse(d.event.created) >= Date.parse(run.dateStart) && Date.parse(d.event.created) <= Date.parse(run.dateEnd));
      }
    }
  }
});

test('an anomaly rule selects by the time a document was written, not the day it describes', async (t) => {
  // The same document, the day it describes two days back, written an hour ago: selected.
  // Selecting on @timestamp (the analysed day's start) would miss every nightly document.
  const { es, prefix } = useEs(t);
  await installTemplates(es);
  const index = `smf-anomalies-${prefix}`;
  const docs = batch(loud('user-dsn', dayAgo(2), 'GRACE'), { activity: 'high' }, NOW - HOUR);
  t.is(docs.length, 1);
  await es.index({ index, id: docs[0]!.id, document: docs[0]!.document, refresh: true });
  const params = paramsOf(ruleById('smf-agent-anomaly-high'));
  const byCreated = await runGroupedRule(es, params, new Date(), { index: [index] });
  t.deepEqual(
    byCreated.groups.map((g) => g.key),
    ['GRACE'],
  );
  const byDay = await runGroupedRule(es, { ...params, timeField: '@timestamp' }, new Date(), { index: [index] });
  t.deepEqual(byDay.groups, [], 'the day described is older than the window');
});

test('the dead-letter rule alerts per input above its threshold within its window', async (t) => {
  const { es, prefix } = useEs(t);
  await installTemplates(es);
  const index = `smf-deadletter-${prefix}`;
  const rule = ruleById('smf-agent-deadletters');
  const params = paramsOf(rule);
  t.true(params.index.some((p) => globToRegExp(p).test(index)));
  t.is(params.thresholdComparator, '>');
  const threshold = params.threshold[0]!;
  const letter = (input: string, created: number, i: number): DeadLetterDoc => ({
    '@timestamp': new Date(created - 1000).toISOString(),
    event: { kind: 'pipeline_error', created: new Date(created).toISOString(), original: `bad line ${i}`, dataset: 'smf_agent.deadletter' },
    error: { type: 'SMF_PARSE_NO_FORMAT', message: 'no format matched' },
    deadletter: { stage: 'parse', input, truncated: false, too_long: false },
    log: { file: { path: `/var/log/${input}.log` }, offset: i * 100 },
  });
  const docs = [
    ...Array.from({ length: threshold + 1 }, (_, i) => letter('syslog-a', NOW - 5 * 60_000, i)), // above: alert
    ...Array.from({ length: threshold }, (_, i) => letter('file-b', NOW - 5 * 60_000, i)), // at the threshold: no alert
    ...Array.from({ length: threshold + 50 }, (_, i) => letter('file-c', NOW - 2 * HOUR, i)), // outside the window
  ];
  const bulk = await es.bulk({ operations: docs.flatMap((d) => [{ create: { _index: index } }, d]), refresh: true });
  t.false(bulk.errors);
  const run = await runGroupedRule(es, params, new Date(), { index: [index] });
  if (run.deviation) t.log(run.deviation);
  t.deepEqual(
    run.groups.map((g) => [g.key, g.count]),
    [['syslog-a', threshold + 1]],
  );
  t.is(run.total, 2 * threshold + 1, 'documents in the window, before the threshold');
});
