// Offline checks of the Kibana assets (kibana/): they load, every JSON-in-string attribute parses,
// every reference resolves, every field they name is mapped by the index templates in mappings/
// (with a type that suits its use), the attributes are those Kibana 8.19 accepts, and the rules are
// valid create-rule bodies for the es-query rule type, severity-aware and selecting on event.created.

import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';

import { attributeAt, JSON_STRING_ATTRIBUTES, readKibanaAssets, resolveKibanaDir, type SavedObjectAsset } from '../../agent/kibana/assets.js';
import { CREATE_RULE_KEYS, esQueryParamProblems } from '../../agent/kibana/rules.js';
import { SEVERITY_SCORE } from '../../processors/anomaly/documents.js';
import { dslFields, fieldRefs } from './fields.js';
import { AGGREGATABLE, fieldsOf, globToRegExp, sampleIndex, templateFor } from './mappings.js';

const DIR = resolveKibanaDir();
const { assets, problems } = readKibanaAssets(DIR);
const objects = assets.savedObjects;
const byId = (type: string, id: string): SavedObjectAsset => {
  const o = objects.find((x) => x.type === type && x.id === id);
  if (!o) throw new Error(`no ${type}:${id} in the assets`);
  return o;
};
const json = <T>(o: SavedObjectAsset, path: string): T => JSON.parse(attributeAt(o.attributes, path) as string) as T;
const dataViewOf = (o: SavedObjectAsset): SavedObjectAsset => {
  const ref = o.references.find((r) => r.name === 'kibanaSavedObjectMeta.searchSourceJSON.index');
  return byId('index-pattern', ref!.id);
};
const dashboards = () => objects.filter((o) => o.type === 'dashboard');
const controlsOf = (d: SavedObjectAsset) =>
  Object.entries(attributeAt(d.attributes, 'controlGroupInput.panelsJSON') === undefined ? {} : json<Record<string, { explicitInput: { fieldName: string } }>>(d, 'controlGroupInput.panelsJSON')).map(([id, c]) => ({
    field: c.explicitInput.fieldName,
    dataView: d.references.find((r) => r.name === `controlGroup_${id}:optionsListDataView`)?.id,
  }));
const panelsOf = (d: SavedObjectAsset) =>
  json<{ panelIndex: string; panelRefName: string; type: string }[]>(d, 'panelsJSON').map((p) => {
    const ref = d.references.find((r) => r.name === `${p.panelIndex}:${p.panelRefName}`);
    return { ...p, target: ref ? byId(ref.type, ref.id) : undefined };
  });
const anomalyRules = () => assets.rules.filter((r) => r.id.startsWith('smf-agent-anomaly-'));

test('the assets load without a single problem', (t) => {
  t.deepEqual(problems, []);
  t.true(objects.length > 0);
  t.true(assets.rules.length > 0);
});

test('every NDJSON line is one saved object in the 8.x export format', (t) => {
  let lines = 0;
  for (const file of readdirSync(join(DIR, 'saved-objects')).filter((f) => f.endsWith('.ndjson'))) {
    for (const line of readFileSync(join(DIR, 'saved-objects', file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines++;
      const o = JSON.parse(line) as Record<string, unknown>;
      t.is(typeof o.id, 'string', `${file}: ${line.slice(0, 80)}`);
      t.regex(o.id as string, /^smf-agent-/);
      t.is(typeof o.type, 'string');
      t.is(typeof o.attributes, 'object');
      t.true(Array.isArray(o.references));
      t.is(o.coreMigrationVersion, '8.8.0', `${String(o.id)}: coreMigrationVersion`);
      t.regex(o.typeMigrationVersion as string, /^\d+\.\d+\.\d+$/, `${String(o.id)}: typeMigrationVersion`);
    }
  }
  t.is(lines, objects.length);
  t.is(assets.ndjson.trim().split('\n').length, objects.length, 'the import body has one object a line');
});

test('every attribute stored as JSON in a string parses', (t) => {
  let checked = 0;
  const walk = (node: unknown, path: string, o: SavedObjectAsset) => {
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      const p = path ? `${path}.${k}` : k;
      if (/JSON$/.test(k) || (JSON_STRING_ATTRIBUTES[o.type] ?? []).includes(p)) {
        t.is(typeof v, 'string', `${o.id}: ${p} is a string`);
        t.notThrows(() => JSON.parse(v as string), `${o.id}: ${p} parses`);
        checked++;
      } else walk(v, p, o);
    }
  };
  for (const o of objects) walk(o.attributes, '', o);
  t.true(checked >= objects.length, `checked ${checked} JSON attributes`);
});

test('every reference resolves to an object in the assets', (t) => {
  for (const o of objects) {
    for (const r of o.references) t.truthy(objects.find((x) => x.type === r.type && x.id === r.id), `${o.id}: ${r.name} → ${r.type}:${r.id}`);
  }
});

test('every dashboard panel and control points to an existing object through a named reference', (t) => {
  for (const d of dashboards()) {
    for (const p of panelsOf(d)) {
      t.truthy(p.target, `${d.id}: panel ${p.panelIndex}`);
      t.is(p.target?.type, p.type, `${d.id}: panel ${p.panelIndex} type`);
    }
    for (const c of controlsOf(d)) t.truthy(c.dataView, `${d.id}: control on ${c.field} has a data view reference`);
  }
});

test('every field an asset names is mapped by the index template of its pattern, with a type that suits its use', (t) => {
  const refs = fieldRefs(assets);
  t.true(refs.length > 100, `${refs.length} field references`);
  for (const r of refs) {
    const index = sampleIndex(r.pattern);
    t.truthy(templateFor(index), `${r.where}: no index template applies to ${r.pattern}`);
    const f = fieldsOf(index).get(r.field);
    if (!f) {
      t.fail(`${r.where}: field ${r.field} is not mapped for ${r.pattern}`);
      continue;
    }
    if (r.use === 'aggregate') t.true(AGGREGATABLE.has(f.type), `${r.where}: ${r.field} is ${f.type}, not aggregatable`);
    if (r.use === 'time') t.is(f.type, 'date', `${r.where}: ${r.field} is the time field`);
    if (r.use === 'filter') t.true(f.index && f.type !== 'object', `${r.where}: ${r.field} is searchable`);
  }
});

test('data views: one per index family, each with the time field its analyst needs', (t) => {
  const views = Object.fromEntries(objects.filter((o) => o.type === 'index-pattern').map((o) => [o.attributes.title as string, o.attributes.timeFieldName]));
  t.deepEqual(views, {
    'smf-events-*': '@timestamp',
    'smf-associations-*': '@timestamp', // = last seen
    'smf-association-definitions-*': undefined, // one row per definition, whatever its age
    'smf-anomalies*': '@timestamp', // = the day analysed; rules use event.created
    'smf-anomaly-runs*': '@timestamp',
    'smf-deadletter-*': '@timestamp',
  });
  // The patterns do not overlap: definition rows are not association pairs, runs are not anomalies.
  t.false(globToRegExp('smf-associations-*').test('smf-association-definitions-default'));
  t.false(globToRegExp('smf-anomalies*').test('smf-anomaly-runs-default'));
});

test('the four dashboards are there', (t) => {
  t.deepEqual(dashboards().map((d) => d.attributes.title).sort(), [
    'smf-agent: Anomalies',
    'smf-agent: Association browser',
    'smf-agent: Associations overview',
    'smf-agent: Investigation timeline',
  ]);
});

test('Associations overview: the Associations tab columns, load errors, run status', (t) => {
  const d = byId('dashboard', 'smf-agent-dashboard-associations-overview');
  const searches = panelsOf(d).filter((p) => p.type === 'search').map((p) => p.target!);
  const table = searches.find((s) => s.id === 'smf-agent-search-association-definitions')!;
  t.is(dataViewOf(table).attributes.title, 'smf-association-definitions-*');
  for (const c of [
    'association.definition.name',
    'association.last_message',
    'association.unique.today',
    'association.unique.history',
    'association.messages.today',
    'association.messages.history',
    'association.status',
    'association.error',
  ]) {
    t.true((table.attributes.columns as string[]).includes(c), c);
  }
  const errors = searches.find((s) => s.id === 'smf-agent-search-association-definition-errors')!;
  t.is(json<{ query: { query: string } }>(errors, 'kibanaSavedObjectMeta.searchSourceJSON').query.query, 'association.status : "error"');
  t.truthy(searches.find((s) => s.id === 'smf-agent-search-anomaly-runs'));
});

test('Association browser: controls on definition, Field 1 and Field 2; pairs by Field 1 and by Field 2 with counts and first/last seen', (t) => {
  const d = byId('dashboard', 'smf-agent-dashboard-association-browser');
  t.deepEqual(
    controlsOf(d).map((c) => [c.field, c.dataView]),
    [
      ['association.definition.name', 'smf-agent-dv-associations'],
      ['association.field1.value', 'smf-agent-dv-associations'],
      ['association.field2.value', 'smf-agent-dv-associations'],
    ],
  );
  const searches = panelsOf(d).filter((p) => p.type === 'search').map((p) => p.target!);
  t.deepEqual(
    searches.map((s) => (s.attributes.sort as string[][])[0]![0]),
    ['association.field1.value', 'association.field2.value'],
  );
  for (const s of searches) {
    for (const c of ['association.count.today', 'association.count.history', 'association.first_seen', 'association.last_seen']) {
      t.true((s.attributes.columns as string[]).includes(c), `${s.id}: ${c}`);
    }
  }
});

test('Investigation timeline: every event of one user, IP or job in time order, with what enrichment filled in', (t) => {
  const d = byId('dashboard', 'smf-agent-dashboard-investigation-timeline');
  t.deepEqual(
    controlsOf(d).map((c) => [c.field, c.dataView]),
    [
      ['user.name', 'smf-agent-dv-events'],
      ['source.ip', 'smf-agent-dv-events'],
      ['process.name', 'smf-agent-dv-events'],
    ],
  );
  const s = byId('search', 'smf-agent-search-investigation-timeline');
  t.is(dataViewOf(s).attributes.title, 'smf-events-*');
  t.deepEqual(s.attributes.columns, [
    '@timestamp',
    'event.dataset',
    'user.name',
    'source.ip',
    'process.name',
    'zos.terminal',
    'zos.dsn',
    'event.action',
    'event.outcome',
    'enrichment.fields',
  ]);
  t.deepEqual(s.attributes.sort, [['@timestamp', 'asc']]);
  t.true(panelsOf(d).some((p) => p.target?.id === s.id));
});

test('Anomalies: day, kind, severity, item, score, observed against the baseline, evidence', (t) => {
  const d = byId('dashboard', 'smf-agent-dashboard-anomalies');
  const s = panelsOf(d).find((p) => p.type === 'search')!.target!;
  t.is(dataViewOf(s).attributes.title, 'smf-anomalies*');
  for (const c of [
    'anomaly.day',
    'anomaly.kind',
    'anomaly.severity',
    'association.field1.value',
    'anomaly.score',
    'anomaly.observed',
    'anomaly.baseline.median',
    'anomaly.baseline.mean',
    'evidence.top_values.value',
    'evidence.new_values.value',
    'event.created',
  ]) {
    t.true((s.attributes.columns as string[]).includes(c), c);
  }
  t.deepEqual(
    controlsOf(d).map((c) => c.field),
    ['anomaly.severity', 'anomaly.kind', 'association.definition.name', 'association.field1.value'],
  );
});

// Kibana validates attributes on import against the type's schema and refuses unknown keys
// (dashboard: model version 2's schema; search: the flat schema of model versions 1–5).
const DASHBOARD_KEYS = ['title', 'description', 'kibanaSavedObjectMeta', 'timeRestore', 'timeFrom', 'timeTo', 'refreshInterval', 'controlGroupInput', 'panelsJSON', 'optionsJSON', 'hits', 'version'];
const CONTROL_GROUP_KEYS = ['panelsJSON', 'controlStyle', 'chainingSystem', 'ignoreParentSettingsJSON', 'showApplySelections'];
const SEARCH_KEYS = [
  'title',
  'description',
  'columns',
  'sort',
  'grid',
  'rowHeight',
  'rowsPerPage',
  'hideChart',
  'breakdownField',
  'kibanaSavedObjectMeta',
  'isTextBasedQuery',
  'usesAdHocDataView',
  'timeRestore',
  'timeRange',
  'refreshInterval',
  'viewMode',
  'hideAggregatedPreview',
  'hits',
  'version',
  'sampleSize',
  'headerRowHeight',
  'density',
];

test('dashboards and saved searches use only attributes the 8.19 schemas accept', (t) => {
  for (const d of dashboards()) {
    for (const k of Object.keys(d.attributes)) t.true(DASHBOARD_KEYS.includes(k), `${d.id}: ${k}`);
    for (const k of Object.keys((d.attributes.controlGroupInput as object | undefined) ?? {})) t.true(CONTROL_GROUP_KEYS.includes(k), `${d.id}: controlGroupInput.${k}`);
  }
  for (const s of objects.filter((o) => o.type === 'search')) {
    for (const k of Object.keys(s.attributes)) t.true(SEARCH_KEYS.includes(k), `${s.id}: ${k}`);
    for (const [field, dir] of s.attributes.sort as [string, string][]) t.true(dir === 'asc' || dir === 'desc', `${s.id}: sort ${field}`);
  }
});

test('every rule is a create-rule body for the es-query rule type with query DSL params', (t) => {
  t.true(assets.rules.length >= 4);
  for (const r of assets.rules) {
    const body = r.rule as unknown as Record<string, unknown>;
    for (const key of ['name', 'rule_type_id', 'consumer', 'schedule', 'params', 'actions']) t.not(body[key], undefined, `${r.id}: ${key}`);
    for (const key of Object.keys(body)) t.true((CREATE_RULE_KEYS as readonly string[]).includes(key), `${r.id}: ${key} is a create-rule key`);
    t.is(r.rule.rule_type_id, '.es-query');
    t.regex(r.rule.schedule.interval, /^\d+[smhd]$/);
    t.deepEqual(r.rule.actions, [], `${r.id}: no connector by default`);
    const p = r.rule.params;
    t.is(p.searchType, 'esQuery');
    t.true(Array.isArray(p.index) && (p.index as string[]).length > 0);
    t.truthy((JSON.parse(p.esQuery as string) as { query?: unknown }).query, `${r.id}: esQuery has a query`);
    for (const key of ['timeField', 'timeWindowSize', 'timeWindowUnit', 'threshold', 'thresholdComparator', 'size']) t.not(p[key], undefined, `${r.id}: params.${key}`);
    t.deepEqual(esQueryParamProblems(p), [], r.id);
    t.is(r.actionTemplate?.group, 'query matched', `${r.id}: es-query's action group`);
  }
});

test('anomaly rules: one per severity, selecting on event.created, one alert per item', (t) => {
  const severities = anomalyRules().map((r) => {
    const p = r.rule.params;
    t.is(p.timeField, 'event.created', `${r.id}: anomaly documents are written hours after the day they describe`);
    t.deepEqual(p.index, ['smf-anomalies*']);
    t.is(templateFor(sampleIndex('smf-anomalies*'))?.name, 'anomalies');
    t.is(p.groupBy, 'top');
    t.is(p.termField, 'association.field1.value');
    t.is(p.thresholdComparator, '>');
    t.deepEqual(p.threshold, [0]);
    t.is(p.excludeHitsFromPreviousRun, false, 'grouped rules cannot exclude earlier hits; say so');
    const filters = dslFields(JSON.parse(p.esQuery as string));
    t.true(filters.includes('anomaly.severity'));
    const term = (JSON.parse(p.esQuery as string) as { query: { bool: { filter: { term?: Record<string, string> }[] } } }).query.bool.filter.find(
      (f) => f.term?.['anomaly.severity'],
    );
    return term!.term!['anomaly.severity']!;
  });
  t.deepEqual(severities.sort(), Object.keys(SEVERITY_SCORE).sort());
  t.is(anomalyRules().find((r) => r.id === 'smf-agent-anomaly-low')?.rule.enabled, false, 'new associations are many: opt in');
});

test('every rule looks back at least twice as far as it runs, so a late run leaves no gap', (t) => {
  const ms = (n: number, unit: string) => n * { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[unit as 's' | 'm' | 'h' | 'd'];
  for (const r of assets.rules) {
    const interval = /^(\d+)([smhd])$/.exec(r.rule.schedule.interval)!;
    const window = ms(r.rule.params.timeWindowSize as number, r.rule.params.timeWindowUnit as string);
    t.true(window >= 2 * ms(Number(interval[1]), interval[2]!), `${r.id}: window ${window} ms vs interval ${r.rule.schedule.interval}`);
  }
});

test('action message templates use only variables the es-query rule type provides', (t) => {
  const allowed = /^(context\.(title|message|group|date|value|conditions|link|hits|sourceFields)|rule\.(id|name|url|tags|spaceId|type)|kibanaBaseUrl|date|_source\.[\w.@]+)$/;
  for (const r of assets.rules) {
    const message = r.actionTemplate?.params.message;
    t.is(typeof message, 'string', r.id);
    const vars = [...(message as string).matchAll(/\{\{[#^/]?([^}]+)\}\}/g)].map((m) => m[1]!.trim());
    t.true(vars.includes('context.group'), `${r.id}: names the item`);
    for (const v of vars) t.regex(v, allowed, `${r.id}: {{${v}}}`);
    // _source.* only inside the hits section
    const outside = (message as string).replace(/\{\{#context\.hits\}\}[\s\S]*?\{\{\/context\.hits\}\}/g, '');
    t.notRegex(outside, /_source\./, `${r.id}: _source outside {{#context.hits}}`);
  }
});

// The validator itself: each kind of broken asset is reported with where and what.
const GOOD_DV = { id: 'smf-agent-dv', type: 'index-pattern', attributes: { title: 'x-*', fields: '[]' }, references: [], coreMigrationVersion: '8.8.0', typeMigrationVersion: '8.0.0' };
const search = (extra: Record<string, unknown> = {}) => ({
  id: 'smf-agent-s',
  type: 'search',
  attributes: { title: 's', columns: [], sort: [], kibanaSavedObjectMeta: { searchSourceJSON: '{"indexRefName":"kibanaSavedObjectMeta.searchSourceJSON.index"}' } },
  references: [{ name: 'kibanaSavedObjectMeta.searchSourceJSON.index', type: 'index-pattern', id: 'smf-agent-dv' }],
  coreMigrationVersion: '8.8.0',
  typeMigrationVersion: '10.5.0',
  ...extra,
});
const goodRule = JSON.parse(readFileSync(join(DIR, 'rules', 'anomaly-high.json'), 'utf8')) as { rule: { params: Record<string, unknown> } };
const withParams = (p: Record<string, unknown>) => ({ ...goodRule, rule: { ...goodRule.rule, params: { ...goodRule.rule.params, ...p } } });

const BROKEN: { name: string; objects?: unknown[]; rule?: unknown; expect: RegExp }[] = [
  { name: 'a JSON-in-string attribute that does not parse', objects: [{ ...GOOD_DV, attributes: { title: 'x', fields: '[' } }], expect: /fields is not valid JSON/ },
  { name: 'a reference to an object that is not in the assets', objects: [search()], expect: /points to index-pattern:smf-agent-dv, which is not in the assets/ },
  {
    name: 'an index reference name the search source needs but does not have',
    objects: [GOOD_DV, search({ references: [] })],
    expect: /searchSourceJSON.indexRefName needs a reference named 'kibanaSavedObjectMeta.searchSourceJSON.index'/,
  },
  { name: 'an id that is not stable', objects: [{ ...GOOD_DV, id: 'a1b2' }], expect: /id must be a stable id/ },
  { name: 'no migration versions', objects: [{ ...GOOD_DV, typeMigrationVersion: undefined }], expect: /typeMigrationVersion are required/ },
  {
    name: 'a dashboard panel without its reference',
    objects: [
      GOOD_DV,
      {
        ...GOOD_DV,
        id: 'smf-agent-d',
        type: 'dashboard',
        typeMigrationVersion: '8.9.0',
        attributes: { title: 'd', panelsJSON: '[{"panelIndex":"p1","type":"search","panelRefName":"panel_p1"}]' },
      },
    ],
    expect: /panel 'p1' needs a reference named 'p1:panel_p1' of type search/,
  },
  { name: 'an es-query parameter Kibana does not know', rule: withParams({ timeWindow: 5 }), expect: /params.timeWindow: unknown es-query parameter/ },
  { name: 'grouping without a group count', rule: withParams({ termSize: undefined }), expect: /termSize: required when groupBy is top/ },
  { name: 'a query DSL without "query"', rule: withParams({ esQuery: '{"bool":{}}' }), expect: /esQuery: must contain "query"/ },
  { name: 'a create-rule key Kibana does not accept', rule: { ...goodRule, rule: { ...goodRule.rule, id: 'x' } }, expect: /rule.id: not accepted by the create-rule API/ },
];

for (const c of BROKEN) {
  test(`the loader reports ${c.name}`, (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'smf-kibana-'));
    mkdirSync(join(dir, 'saved-objects'));
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'saved-objects', 'a.ndjson'), `${(c.objects ?? [GOOD_DV]).map((o) => JSON.stringify(o)).join('\n')}\n`);
    if (c.rule) writeFileSync(join(dir, 'rules', 'r.json'), JSON.stringify(c.rule));
    const got = readKibanaAssets(dir).problems;
    t.true(
      got.some((p) => c.expect.test(p)),
      got.join('\n'),
    );
  });
}
