// Every field a Kibana asset names, with what it is used for and the index pattern it is read
// from, so the tests can check each against the index mappings.

import { jsonAttribute, type KibanaAssets, type SavedObjectAsset } from '../../agent/kibana/assets.js';
import type { RuleAsset } from '../../agent/kibana/rules.js';

/** display: shown as a column or label; filter: queried; aggregate: sorted, aggregated, grouped or a control; time: a time field. */
export type FieldUse = 'display' | 'filter' | 'aggregate' | 'time';

export interface FieldRef {
  field: string;
  use: FieldUse;
  /** The index pattern the field is read from (data view title or rule index). */
  pattern: string;
  where: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function fieldRefs(assets: KibanaAssets): FieldRef[] {
  const byKey = new Map(assets.savedObjects.map((o) => [`${o.type}:${o.id}`, o]));
  const titleOf = (dataViewId: string | undefined): string | undefined => {
    const dv = dataViewId === undefined ? undefined : byKey.get(`index-pattern:${dataViewId}`);
    return dv ? (dv.attributes.title as string) : undefined;
  };
  const out: FieldRef[] = [];
  for (const o of assets.savedObjects) out.push(...savedObjectFields(o, titleOf));
  for (const r of assets.rules) out.push(...ruleFields(r));
  return out;
}

function savedObjectFields(o: SavedObjectAsset, titleOf: (id: string | undefined) => string | undefined): FieldRef[] {
  const out: FieldRef[] = [];
  const where = `${o.type}:${o.id}`;
  const refId = (name: string) => o.references.find((r) => r.name === name)?.id;
  const add = (pattern: string | undefined, field: string, use: FieldUse, what: string) => {
    if (pattern === undefined) throw new Error(`${where}: ${what} (${field}) has no data view`);
    out.push({ field, use, pattern, where: `${where} ${what}` });
  };
  if (o.type === 'index-pattern') {
    const title = o.attributes.title as string;
    if (typeof o.attributes.timeFieldName === 'string') add(title, o.attributes.timeFieldName, 'time', 'timeFieldName');
    for (const f of Object.keys(jsonAttribute(o, 'fieldAttrs') as object)) add(title, f, 'display', 'fieldAttrs');
    for (const f of Object.keys(jsonAttribute(o, 'fieldFormatMap') as object)) add(title, f, 'display', 'fieldFormatMap');
    return out;
  }
  const searchSource = jsonAttribute(o, 'kibanaSavedObjectMeta.searchSourceJSON');
  const pattern = isObject(searchSource) && typeof searchSource.indexRefName === 'string' ? titleOf(refId(searchSource.indexRefName)) : undefined;
  if (isObject(searchSource)) {
    const query = isObject(searchSource.query) ? searchSource.query.query : undefined;
    if (typeof query === 'string') for (const m of query.matchAll(/([A-Za-z_@][\w.@]*)\s*:/g)) add(pattern, m[1]!, 'filter', 'query');
    for (const f of Array.isArray(searchSource.filter) ? searchSource.filter : []) {
      const key = isObject(f) && isObject(f.meta) ? f.meta.key : undefined;
      if (typeof key === 'string') add(pattern, key, 'filter', 'filter');
    }
  }
  if (o.type === 'search') {
    for (const c of o.attributes.columns as string[]) add(pattern, c, 'display', 'column');
    for (const s of o.attributes.sort as [string, string][]) add(pattern, s[0], 'aggregate', 'sort');
  }
  if (o.type === 'visualization') {
    const vis = jsonAttribute(o, 'visState') as { aggs: { params?: { field?: string } }[] };
    for (const a of vis.aggs) if (a.params?.field) add(pattern, a.params.field, 'aggregate', 'aggregation');
  }
  if (o.type === 'dashboard') {
    const controls = (jsonAttribute(o, 'controlGroupInput.panelsJSON') ?? {}) as Record<string, { explicitInput: { fieldName?: string; dataViewId?: string } }>;
    for (const [id, c] of Object.entries(controls)) {
      const dv = c.explicitInput.dataViewId ?? refId(`controlGroup_${id}:optionsListDataView`);
      if (c.explicitInput.fieldName) add(titleOf(dv), c.explicitInput.fieldName, 'aggregate', `control '${id}'`);
    }
  }
  return out;
}

/** Field-naming keys of leaf queries: { term: { <field>: … } } and friends; exists names it in `field`. */
const FIELD_KEYED = new Set(['term', 'terms', 'match', 'match_phrase', 'prefix', 'wildcard', 'range', 'regexp', 'fuzzy']);

export function dslFields(node: unknown): string[] {
  const out: string[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!isObject(n)) return;
    for (const [k, v] of Object.entries(n)) {
      if (FIELD_KEYED.has(k) && isObject(v)) out.push(...Object.keys(v).filter((f) => f !== 'boost' && f !== '_name'));
      else if (k === 'exists' && isObject(v) && typeof v.field === 'string') out.push(v.field);
      else visit(v);
    }
  };
  visit(node);
  return out;
}

function ruleFields(r: RuleAsset): FieldRef[] {
  const p = r.rule.params as { index: string[]; timeField: string; esQuery: string; termField?: string | string[]; aggField?: string };
  const out: FieldRef[] = [];
  for (const pattern of p.index) {
    const add = (field: string, use: FieldUse, what: string) => out.push({ field, use, pattern, where: `rule ${r.id} ${what}` });
    add(p.timeField, 'time', 'timeField');
    for (const f of dslFields(JSON.parse(p.esQuery))) add(f, 'filter', 'esQuery');
    for (const f of p.termField === undefined ? [] : [p.termField].flat()) add(f, 'aggregate', 'termField');
    if (p.aggField) add(p.aggField, 'aggregate', 'aggField');
    const message = r.actionTemplate?.params.message;
    if (typeof message === 'string') for (const m of message.matchAll(/\{\{[#^/]?_source\.([\w.@]+)\}\}/g)) add(m[1]!, 'display', 'action_template');
  }
  return out;
}
