// Loading association definitions: YAML text → validated, compiled definitions, or errors.
//
// Error policy (domain.md §4, the manual's "Definition 'X' is corrupted", done better): a definition
// that cannot be loaded yields one DefinitionError per problem, each naming the file, the
// definition id (or the file's stem when no id can be read), the key path and the line; every
// other definition still loads. Nothing here throws on bad input and nothing does I/O: the
// runtime reads the files and the pattern lists and hands over their text.

import { LineCounter, parseDocument, type Document } from 'yaml';
import { DefinitionSchema, FilterSchema, FromSchema, type AssociationDefinition } from './definition-schema.js';
import { compileFilter, compileFrom, type Issue, type Predicate, type ValueFn } from './extract.js';
import { compilePatternList, type CompiledPatternList } from './patterns.js';

export interface DefinitionSource {
  /** File name as shown to the user (e.g. "config/associations/userid-dsn.yaml"). */
  name: string;
  text: string;
}

/** Named pattern lists: list name → masks (see patterns.ts; parsePatternList reads a list file). */
export type PatternLists = Readonly<Record<string, readonly string[]>>;

/**
 * A definition ready to run. The four functions are pure and are called by `observe` in this
 * order: `pre` (cheap filters, may be absent), `value1` and `value2` (the rarer one first, see
 * `value2First`), `post` (pattern lists, may be absent). Immutable; safe to share between pipelines.
 */
export interface CompiledDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly enabled: boolean;
  /** The file it came from. */
  readonly source: string;
  readonly field1: { readonly label: string };
  readonly field2: { readonly label: string };
  /** The definition as loaded, defaults applied (deeply frozen). */
  readonly spec: AssociationDefinition;
  readonly pre: Predicate | undefined;
  readonly value1: ValueFn;
  readonly value2: ValueFn;
  /**
   * Extract value 2 before value 1: true when field 1 reads a field almost every event carries
   * (user.name, host.name …) and field 2 does not, so most events are rejected with one read.
   */
  readonly value2First: boolean;
  readonly post: Predicate | undefined;
}

/** Fields present on most events: a poor first test of whether a definition applies. */
const COMMON_PATHS = new Set(['user.name', 'host.name', 'process.name', '@timestamp', 'event.dataset', 'smf.type', 'message']);
const isCommon = (from: { path?: string | undefined }): boolean => from.path !== undefined && COMMON_PATHS.has(from.path);

export interface DefinitionError {
  readonly code: 'SMF_ERR_DEFINITION';
  readonly source: string;
  /** The definition's id, or the file stem (with "[i]" for the i-th entry of a list) when no id could be read. */
  readonly id: string;
  /** Key path inside the definition ("field1.from.regex", "filter.patterns[0].list"); "" for the whole file. */
  readonly key: string;
  /** 1-based line in the source, when known. */
  readonly line: number | undefined;
  readonly problem: string;
  /** The full sentence to log and to show in the definition's summary document. */
  readonly message: string;
}

export interface LoadedDefinitions {
  definitions: CompiledDefinition[];
  errors: DefinitionError[];
}

function stemOf(name: string): string {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  return base.replace(/\.(ya?ml)$/i, '');
}

export function formatKey(path: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

function makeError(source: string, id: string, key: string, line: number | undefined, problem: string): DefinitionError {
  const where = line === undefined ? source : `${source}:${line}`;
  const message = `Association definition '${id}' (${where}) cannot be loaded: ${key === '' ? '' : `${key}: `}${problem}`;
  return { code: 'SMF_ERR_DEFINITION', source, id, key, line, problem, message };
}

/** Line of the node at `path`, or of its nearest ancestor that exists. */
function lineOf(doc: Document, counter: LineCounter, path: (string | number)[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let v = raw;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Schema errors → issues: the key path points at the offending key; missing keys and bad values are named. */
function schemaIssues(raw: unknown, error: { issues: readonly { code: string; path: readonly PropertyKey[]; message: string; keys?: readonly string[] }[] }): Issue[] {
  const out: Issue[] = [];
  for (const i of error.issues) {
    const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
    const value = valueAt(raw, path);
    if (i.code === 'unrecognized_keys' && i.keys) {
      for (const k of i.keys) out.push({ path: [...path, k], message: `unknown key '${k}'` });
    } else if (i.code === 'invalid_type' && value === undefined) {
      out.push({ path, message: 'required key is missing' });
    } else if (i.code === 'invalid_type' && path.length === 0) {
      out.push({ path, message: `expected a definition (a mapping with id, name, field1, field2), got ${show(value)}` });
    } else {
      out.push({ path, message: i.code === 'custom' || value === undefined || typeof value === 'object' ? i.message : `${i.message} (got ${show(value)})` });
    }
  }
  return out;
}

function prefixed(at: (string | number)[], result: { ok: true } | { ok: false; issues: Issue[] }): Issue[] {
  return result.ok ? [] : result.issues.map((i) => ({ path: [...at, ...i.path], message: i.message }));
}

function compileOne(raw: unknown, lists: ReadonlyMap<string, CompiledPatternList>, source: string): { def: CompiledDefinition } | { issues: Issue[] } {
  const parsed = DefinitionSchema.safeParse(raw);
  if (!parsed.success) {
    // Report every problem at once: parts that are well-formed on their own are still compiled,
    // so an unknown list or a bad regex shows up next to a schema error elsewhere.
    const issues = schemaIssues(raw, parsed.error);
    for (const f of ['field1', 'field2'] as const) {
      const from = FromSchema.safeParse(valueAt(raw, [f, 'from']));
      if (from.success) issues.push(...prefixed([f, 'from'], compileFrom(from.data)));
    }
    const filter = FilterSchema.safeParse(valueAt(raw, ['filter']));
    if (filter.success && filter.data !== undefined) issues.push(...prefixed(['filter'], compileFilter(filter.data, lists)));
    return { issues };
  }
  const spec = deepFreeze(parsed.data);
  const v1 = compileFrom(spec.field1.from);
  const v2 = compileFrom(spec.field2.from);
  const filter = compileFilter(spec.filter, lists);
  if (!v1.ok || !v2.ok || !filter.ok) {
    return { issues: [...prefixed(['field1', 'from'], v1), ...prefixed(['field2', 'from'], v2), ...prefixed(['filter'], filter)] };
  }
  return {
    def: Object.freeze({
      id: spec.id,
      name: spec.name,
      description: spec.description,
      enabled: spec.enabled,
      source,
      field1: Object.freeze({ label: spec.field1.label }),
      field2: Object.freeze({ label: spec.field2.label }),
      spec,
      pre: filter.value.pre,
      value1: v1.value,
      value2: v2.value,
      value2First: isCommon(spec.field1.from) && !isCommon(spec.field2.from),
      post: filter.value.post,
    }),
  };
}

/**
 * Parses and compiles definitions. Each source holds one definition (a YAML mapping) or several
 * (a YAML sequence of mappings). Definitions come back in source order; when two share an id the
 * first one loaded wins and the later one is an error, so callers should pass sources in a
 * stable order (sorted file names). Every list is compiled once and shared.
 */
export function parseDefinitions(sources: readonly DefinitionSource[], lists: PatternLists): LoadedDefinitions {
  const compiledLists = new Map<string, CompiledPatternList>();
  for (const [name, patterns] of Object.entries(lists)) compiledLists.set(name, compilePatternList(name, patterns));

  const definitions: CompiledDefinition[] = [];
  const errors: DefinitionError[] = [];
  const seen = new Map<string, string>(); // id → source of the definition that holds it

  for (const { name: source, text } of sources) {
    const counter = new LineCounter();
    const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
    const stem = stemOf(source);
    if (doc.errors.length > 0) {
      // The partial document often still has the id, which names the definition better than the file.
      const partialId = doc.contents !== null && 'get' in doc.contents ? doc.get('id') : undefined;
      const id = typeof partialId === 'string' && partialId !== '' ? partialId : stem;
      for (const e of doc.errors) {
        const problem = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
        errors.push(makeError(source, id, '', counter.linePos(e.pos[0]).line, `not valid YAML: ${problem}`));
      }
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      // Alias expansion limits ("billion laughs") and other conversion failures.
      errors.push(makeError(source, stem, '', undefined, `not valid YAML: ${(err as Error).message}`));
      continue;
    }
    if (value === null || value === undefined) {
      errors.push(makeError(source, stem, '', undefined, 'the file is empty: expected a definition (a mapping) or a list of definitions'));
      continue;
    }
    const entries: { raw: unknown; at: (string | number)[]; fallbackId: string }[] = Array.isArray(value)
      ? value.map((raw, i) => ({ raw, at: [i], fallbackId: `${stem}[${i}]` }))
      : [{ raw: value, at: [], fallbackId: stem }];

    for (const { raw, at, fallbackId } of entries) {
      const rawId = (raw as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'string' && rawId !== '' ? rawId : fallbackId;
      const result = compileOne(raw, compiledLists, source);
      if ('issues' in result) {
        for (const i of result.issues) {
          errors.push(makeError(source, id, formatKey(i.path), lineOf(doc, counter, [...at, ...i.path]), i.message));
        }
        continue;
      }
      const first = seen.get(result.def.id);
      if (first !== undefined) {
        errors.push(makeError(source, id, 'id', lineOf(doc, counter, [...at, 'id']), `duplicate id '${id}': already defined in ${first}`));
        continue;
      }
      seen.set(result.def.id, source);
      definitions.push(result.def);
    }
  }
  return { definitions, errors };
}
