// The effective mapping of smf-events-* as Elasticsearch would compose it from mappings/, and a
// checker that tells whether a document fits it: every leaf mapped, with a compatible value.
// Pure (no Elasticsearch); the real-node test checks the same files against a live cluster.

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAPPINGS_DIR = fileURLToPath(new URL('../../mappings/', import.meta.url));

export interface FieldMapping {
  type?: string;
  dynamic?: boolean | string;
  properties?: Record<string, FieldMapping>;
  [param: string]: unknown;
}

export interface TemplateBody {
  index_patterns?: string[];
  composed_of?: string[];
  priority?: number;
  data_stream?: unknown;
  _meta?: { description?: string };
  template?: { settings?: unknown; mappings?: FieldMapping & { dynamic_templates?: Record<string, { path_match?: string; mapping: FieldMapping }>[] } };
}

export function loadTemplate(name: string): TemplateBody {
  return JSON.parse(readFileSync(join(MAPPINGS_DIR, `${name}.json`), 'utf8')) as TemplateBody;
}

export interface EffectiveMapping {
  root: FieldMapping;
  /** [glob on the dotted path, mapping] from dynamic_templates. */
  dynamicTemplates: [RegExp, FieldMapping][];
}

/** Components in composed_of order, then the index template's own mappings, merged as Elasticsearch does. */
export function effectiveMapping(indexTemplate: string): EffectiveMapping {
  const index = loadTemplate(indexTemplate);
  const sources = [...(index.composed_of ?? []).map((c) => loadTemplate(c)), index];
  const root: FieldMapping = { properties: {} };
  const dynamicTemplates: [RegExp, FieldMapping][] = [];
  for (const source of sources) {
    const { dynamic_templates: templates = [], ...mappings } = source.template?.mappings ?? {};
    merge(root, mappings);
    for (const entry of templates) {
      for (const t of Object.values(entry)) {
        if (t.path_match !== undefined) dynamicTemplates.push([globToRegExp(t.path_match), t.mapping]);
      }
    }
  }
  return { root, dynamicTemplates };
}

function merge(target: FieldMapping, source: FieldMapping): void {
  for (const [key, value] of Object.entries(source)) {
    if (key === 'properties') {
      const props = (target.properties ??= {});
      for (const [name, field] of Object.entries(value as Record<string, FieldMapping>)) {
        if (props[name] === undefined) props[name] = structuredClone(field);
        else merge(props[name], field);
      }
    } else {
      target[key] = value;
    }
  }
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** The mapping of a dotted leaf path, or undefined when Elasticsearch would not index it. */
export function lookup(mapping: EffectiveMapping, path: string): FieldMapping | undefined {
  let node: FieldMapping | undefined = mapping.root;
  for (const part of path.split('.')) {
    node = node?.properties?.[part];
    if (node === undefined) break;
  }
  if (node !== undefined) return node;
  return mapping.dynamicTemplates.find(([re]) => re.test(path))?.[1];
}

const TEXT_TYPES = new Set(['keyword', 'constant_keyword', 'wildcard', 'text', 'match_only_text']);
const INTEGER_RANGES: Record<string, [number, number]> = {
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  integer: [-(2 ** 31), 2 ** 31 - 1],
  short: [-32768, 32767],
  byte: [-128, 127],
};
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Why a leaf value does not fit its mapping, or undefined when it fits. */
export function incompatibility(field: FieldMapping, value: unknown): string | undefined {
  const type = field.type ?? 'object';
  if (type === 'object' || type === 'nested') return `is mapped as ${type}, got a ${typeof value}`;
  if (TEXT_TYPES.has(type)) return typeof value === 'string' ? undefined : `is ${type}, got ${typeof value}`;
  if (type === 'ip') return typeof value === 'string' && isIP(value) !== 0 ? undefined : `is ip, got ${JSON.stringify(value)}`;
  if (type === 'date') return typeof value === 'string' && ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : `is date, got ${JSON.stringify(value)}`;
  if (type === 'boolean') return typeof value === 'boolean' ? undefined : `is boolean, got ${typeof value}`;
  const range = INTEGER_RANGES[type];
  if (range !== undefined) {
    return typeof value === 'number' && Number.isInteger(value) && value >= range[0] && value <= range[1] ? undefined : `is ${type}, got ${JSON.stringify(value)}`;
  }
  if (type === 'double' || type === 'float' || type === 'scaled_float') return typeof value === 'number' ? undefined : `is ${type}, got ${typeof value}`;
  return `has type ${type}, which this check does not know`;
}

/** Every problem of a document against the mapping: unmapped leaves, objects where leaves are mapped, incompatible values. */
export function documentProblems(mapping: EffectiveMapping, doc: unknown): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, path);
      return;
    }
    if (value !== null && typeof value === 'object') {
      const field = path === '' ? mapping.root : lookup(mapping, path);
      if (path !== '' && field !== undefined && field.type !== undefined && field.type !== 'object') problems.push(`${path} is mapped as ${field.type}, got an object`);
      for (const [key, child] of Object.entries(value)) walk(child, path === '' ? key : `${path}.${key}`);
      return;
    }
    const field = lookup(mapping, path);
    if (field === undefined) problems.push(`${path} is not mapped`);
    else {
      const why = incompatibility(field, value);
      if (why !== undefined) problems.push(`${path} ${why}`);
    }
  };
  walk(doc, '');
  return problems;
}
