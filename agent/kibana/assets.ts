// Kibana assets as code: the saved objects (kibana/saved-objects/*.ndjson, Kibana's export format,
// one object a line) and the alert rules (kibana/rules/*.json, see rules.ts), loaded and checked
// before anything is sent to Kibana.
//
// Checked here, every problem reported at once with file and line: each line is a JSON object
// with a stable `smf-agent-…` id, a supported type and migration versions (without them Kibana
// migrates the object as if it were from 7.x, which can regenerate ids); every attribute Kibana
// stores as JSON in a string parses; every reference resolves to an object in the assets; every
// reference name the attributes point to (index, panels, controls) exists. Whether the fields an
// object names exist in the index mappings is checked by test/kibana/assets.test.ts.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KibanaError } from './errors.js';
import { parseRuleAsset, type RuleAsset } from './rules.js';

export interface SavedObjectReference {
  name: string;
  type: string;
  id: string;
}

export interface SavedObjectAsset {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  references: SavedObjectReference[];
  /** "saved-objects/<file>.ndjson:<line>", for messages. */
  source: string;
}

export interface KibanaAssets {
  dir: string;
  savedObjects: SavedObjectAsset[];
  /** The saved objects as sent to the import API: the files' lines, unchanged, one object a line. */
  ndjson: string;
  rules: RuleAsset[];
}

/** Attributes Kibana keeps as JSON inside a string, per saved-object type (dotted paths). */
export const JSON_STRING_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'index-pattern': ['fieldAttrs', 'fieldFormatMap', 'fields', 'runtimeFieldMap', 'sourceFilters', 'typeMeta'],
  search: ['kibanaSavedObjectMeta.searchSourceJSON'],
  visualization: ['visState', 'uiStateJSON', 'kibanaSavedObjectMeta.searchSourceJSON'],
  dashboard: ['panelsJSON', 'optionsJSON', 'kibanaSavedObjectMeta.searchSourceJSON', 'controlGroupInput.panelsJSON', 'controlGroupInput.ignoreParentSettingsJSON'],
  lens: [],
  tag: [],
});

const STABLE_ID = /^smf-agent-[a-z0-9-]+$/;
/** Control types whose data view is stored as the reference `controlGroup_<id>:optionsListDataView`. */
const DATA_CONTROLS = new Set(['optionsListControl', 'rangeSliderControl']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at a dotted attribute path, or undefined. */
export function attributeAt(attributes: Record<string, unknown>, path: string): unknown {
  let node: unknown = attributes;
  for (const key of path.split('.')) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** The parsed JSON of a JSON-in-string attribute; undefined when absent. Throws when it does not parse. */
export function jsonAttribute(obj: Pick<SavedObjectAsset, 'attributes'>, path: string): unknown {
  const raw = attributeAt(obj.attributes, path);
  return typeof raw === 'string' ? JSON.parse(raw) : undefined;
}

/** kibana/ beside the package root, whether we run from sources (tsx) or from dist/. */
export function resolveKibanaDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const root = here.includes('/dist/') ? here.slice(0, here.indexOf('/dist/')) : here.slice(0, here.indexOf('/agent/'));
  return join(root, 'kibana');
}

/** Loads and checks every asset; throws SMF_ERR_KIBANA_ASSETS listing every problem. */
export function loadKibanaAssets(dir = resolveKibanaDir()): KibanaAssets {
  const { assets, problems } = readKibanaAssets(dir);
  if (problems.length) {
    throw new KibanaError('SMF_ERR_KIBANA_ASSETS', `invalid Kibana assets in ${dir} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.join('\n  ')}`);
  }
  return assets;
}

/** Loads every asset and lists every problem, without throwing (tests report them one by one). */
export function readKibanaAssets(dir = resolveKibanaDir()): { assets: KibanaAssets; problems: string[] } {
  const problems: string[] = [];
  const savedObjects: SavedObjectAsset[] = [];
  const lines: string[] = [];
  for (const file of listFiles(join(dir, 'saved-objects'), '.ndjson', problems)) {
    const text = readFileSync(file, 'utf8');
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      const source = `${relative(dir, file)}:${i + 1}`;
      const obj = parseSavedObject(line, source, problems);
      if (obj) {
        savedObjects.push(obj);
        lines.push(line.trim());
      }
    });
  }
  if (savedObjects.length === 0) problems.push(`${join(dir, 'saved-objects')}: no saved objects found`);
  problems.push(...savedObjectSetProblems(savedObjects));

  const rules: RuleAsset[] = [];
  for (const file of listFiles(join(dir, 'rules'), '.json', problems)) {
    const name = relative(dir, file);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      problems.push(`${name}: not valid JSON (${(err as Error).message})`);
      continue;
    }
    const r = parseRuleAsset(raw, name);
    problems.push(...r.problems);
    if (r.asset) rules.push(r.asset);
  }
  const seen = new Map<string, string>();
  for (const r of rules) {
    const before = seen.get(r.id);
    if (before) problems.push(`${r.file}: rule id '${r.id}' is also used by ${before}`);
    seen.set(r.id, r.file);
  }
  return { assets: { dir, savedObjects, ndjson: lines.length ? `${lines.join('\n')}\n` : '', rules }, problems };
}

function listFiles(dir: string, ext: string, problems: string[]): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(ext))
      .sort()
      .map((f) => join(dir, f));
  } catch (err) {
    problems.push(`${dir}: cannot be read (${(err as Error).message})`);
    return [];
  }
}

function parseSavedObject(line: string, source: string, problems: string[]): SavedObjectAsset | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    problems.push(`${source}: not valid JSON (${(err as Error).message})`);
    return undefined;
  }
  const p = (msg: string) => problems.push(`${source}: ${msg}`);
  if (!isObject(raw)) {
    p('not a JSON object');
    return undefined;
  }
  const before = problems.length;
  if (typeof raw.id !== 'string' || !STABLE_ID.test(raw.id)) p(`id must be a stable id matching ${STABLE_ID} (got ${JSON.stringify(raw.id)})`);
  if (typeof raw.type !== 'string' || !(raw.type in JSON_STRING_ATTRIBUTES)) {
    p(`type ${JSON.stringify(raw.type)} is not one of ${Object.keys(JSON_STRING_ATTRIBUTES).join(', ')}`);
  }
  if (!isObject(raw.attributes)) p('attributes must be an object');
  if (typeof raw.coreMigrationVersion !== 'string' || typeof raw.typeMigrationVersion !== 'string') {
    p('coreMigrationVersion and typeMigrationVersion are required (without them Kibana migrates the object as a 7.x export)');
  }
  const refs = raw.references;
  if (!Array.isArray(refs) || !refs.every((r) => isObject(r) && typeof r.name === 'string' && typeof r.type === 'string' && typeof r.id === 'string')) {
    p('references must be an array of { name, type, id } strings');
  }
  if (problems.length > before) return undefined;
  const obj: SavedObjectAsset = {
    type: raw.type as string,
    id: raw.id as string,
    attributes: raw.attributes as Record<string, unknown>,
    references: (refs as SavedObjectReference[]).map((r) => ({ name: r.name, type: r.type, id: r.id })),
    source,
  };
  for (const path of JSON_STRING_ATTRIBUTES[obj.type] ?? []) {
    const value = attributeAt(obj.attributes, path);
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      p(`${path} must be a string holding JSON`);
      continue;
    }
    try {
      JSON.parse(value);
    } catch (err) {
      p(`${path} is not valid JSON (${(err as Error).message})`);
    }
  }
  return obj;
}

/** Problems across the set: duplicate ids, unresolved references, reference names the attributes need. */
export function savedObjectSetProblems(objects: readonly SavedObjectAsset[]): string[] {
  const out: string[] = [];
  const keys = new Map<string, string>();
  for (const o of objects) {
    const key = `${o.type}:${o.id}`;
    const before = keys.get(key);
    if (before) out.push(`${o.source}: ${key} is also defined at ${before}`);
    keys.set(key, o.source);
  }
  for (const o of objects) {
    for (const r of o.references) {
      if (!keys.has(`${r.type}:${r.id}`)) out.push(`${o.source}: reference '${r.name}' points to ${r.type}:${r.id}, which is not in the assets`);
    }
    for (const name of requiredReferenceNames(o, out)) {
      if (!o.references.some((r) => r.name === name.name && (name.type === undefined || r.type === name.type))) {
        out.push(`${o.source}: ${name.why} needs a reference named '${name.name}'${name.type ? ` of type ${name.type}` : ''}`);
      }
    }
  }
  return out;
}

interface NeededReference {
  name: string;
  type: string | undefined;
  why: string;
}

/** Reference names the attributes point to, as Kibana resolves them when the object is opened. */
function requiredReferenceNames(o: SavedObjectAsset, problems: string[]): NeededReference[] {
  const out: NeededReference[] = [];
  const parse = (path: string): unknown => {
    try {
      return jsonAttribute(o, path);
    } catch {
      return undefined; // reported by parseSavedObject
    }
  };
  const searchSource = parse('kibanaSavedObjectMeta.searchSourceJSON');
  if (isObject(searchSource)) {
    if (typeof searchSource.indexRefName === 'string') out.push({ name: searchSource.indexRefName, type: 'index-pattern', why: 'searchSourceJSON.indexRefName' });
    const filters = Array.isArray(searchSource.filter) ? searchSource.filter : [];
    filters.forEach((f, i) => {
      const ref = isObject(f) && isObject(f.meta) ? f.meta.indexRefName : undefined;
      if (typeof ref === 'string') out.push({ name: ref, type: 'index-pattern', why: `searchSourceJSON.filter[${i}]` });
    });
  }
  if (typeof o.attributes.savedSearchRefName === 'string') out.push({ name: o.attributes.savedSearchRefName, type: 'search', why: 'savedSearchRefName' });
  if (o.type === 'dashboard') {
    const panels = parse('panelsJSON');
    if (panels !== undefined && !Array.isArray(panels)) problems.push(`${o.source}: panelsJSON must be an array of panels`);
    for (const [i, panel] of (Array.isArray(panels) ? panels : []).entries()) {
      if (!isObject(panel) || typeof panel.panelIndex !== 'string' || typeof panel.type !== 'string') {
        problems.push(`${o.source}: panelsJSON[${i}] needs a string panelIndex and type`);
        continue;
      }
      if (typeof panel.panelRefName === 'string') {
        out.push({ name: `${panel.panelIndex}:${panel.panelRefName}`, type: panel.type, why: `panel '${panel.panelIndex}'` });
      }
    }
    const controls = parse('controlGroupInput.panelsJSON');
    if (controls !== undefined && !isObject(controls)) problems.push(`${o.source}: controlGroupInput.panelsJSON must be an object of controls`);
    for (const [id, control] of Object.entries(isObject(controls) ? controls : {})) {
      if (!isObject(control) || !isObject(control.explicitInput) || control.explicitInput.id !== id) {
        problems.push(`${o.source}: control '${id}' needs explicitInput.id = '${id}'`);
        continue;
      }
      if (DATA_CONTROLS.has(control.type as string) && control.explicitInput.dataViewId === undefined) {
        out.push({ name: `controlGroup_${id}:optionsListDataView`, type: 'index-pattern', why: `control '${id}'` });
      }
    }
  }
  return out;
}
