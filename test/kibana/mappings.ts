// The mapped fields an index gets from the templates in mappings/: the index template with the
// highest priority whose index_patterns match the name, its component templates composed in order,
// then its own mappings. Multi-fields (user.name.text) count as fields.

import { loadTemplates, type TemplateFile } from '../../agent/outputs/elasticsearch/templates.js';

export interface MappedField {
  type: string; // "object" for an object without a type
  index: boolean; // false when the field is not searchable ("index": false)
}

/** Field types an aggregation, a sort, a control or a terms group-by can use. */
export const AGGREGATABLE = new Set(['keyword', 'long', 'integer', 'short', 'byte', 'double', 'float', 'date', 'date_nanos', 'ip', 'boolean']);

const templates = loadTemplates();

export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** A concrete index name a pattern would match ("smf-events-*" → "smf-events-probe"). */
export function sampleIndex(pattern: string): string {
  return pattern.replace(/\*/g, 'probe');
}

/** The index template that applies to an index name, or undefined. */
export function templateFor(index: string): TemplateFile | undefined {
  const matching = templates.filter((t) => t.kind === 'index' && (t.body.index_patterns as string[]).some((p) => globToRegExp(p).test(index)));
  return matching.sort((a, b) => Number(b.body.priority ?? 0) - Number(a.body.priority ?? 0))[0];
}

/** Every mapped field path of an index name, with its type. */
export function fieldsOf(index: string): Map<string, MappedField> {
  const tpl = templateFor(index);
  const out = new Map<string, MappedField>();
  if (!tpl) return out;
  const composed = ((tpl.body.composed_of as string[] | undefined) ?? []).map((name) => {
    const c = templates.find((t) => t.kind === 'component' && t.name === name);
    if (!c) throw new Error(`${tpl.name} composes unknown component template ${name}`);
    return c;
  });
  for (const t of [...composed, tpl]) {
    const mappings = (t.body.template as { mappings?: { properties?: Record<string, unknown> } } | undefined)?.mappings;
    walk(mappings?.properties ?? {}, '', out);
  }
  return out;
}

function walk(properties: Record<string, unknown>, prefix: string, out: Map<string, MappedField>): void {
  for (const [name, raw] of Object.entries(properties)) {
    const def = raw as { type?: string; properties?: Record<string, unknown>; fields?: Record<string, { type: string; index?: boolean }>; index?: boolean };
    const path = `${prefix}${name}`;
    out.set(path, { type: def.type ?? 'object', index: def.index !== false });
    if (def.properties) walk(def.properties, `${path}.`, out);
    for (const [sub, f] of Object.entries(def.fields ?? {})) out.set(`${path}.${sub}`, { type: f.type, index: f.index !== false });
  }
}
