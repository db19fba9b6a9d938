// Turns a validated `from` / `filter` spec into per-event functions, once, at load time.
//
// Contract of the compiled functions: pure, synchronous, never throw, no allocation beyond the
// returned string (regex match arrays aside). Values are association text: an empty result is
// "absent" (the event does not associate). Sources never contain NUL (compileTextGetter replaces
// it) and narrowing or transforms cannot add one, so values are safe in NUL-separated keys.

import type { EventDoc } from '../schema/event.js';
import type { FilterSpec, FromSpec, Transform } from './definition-schema.js';
import { compileGetter, compileTextGetter, isEventPath } from './event-paths.js';
import type { CompiledPatternList } from './patterns.js';

export type ValueFn = (event: EventDoc) => string | undefined;
export type Predicate = (event: EventDoc) => boolean;

/** A problem found while compiling, relative to the spec object that was compiled. */
export interface Issue {
  path: (string | number)[];
  message: string;
}

type Result<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

function pathIssue(path: string, at: (string | number)[]): Issue | undefined {
  if (isEventPath(path)) return undefined;
  return { path: at, message: `'${path}' is not a field of the event schema (EventDoc)` };
}

/** "{host.name}/{zos.terminal}" → source function; "{{" and "}}" are literal braces. */
function compileTemplate(template: string): Result<ValueFn> {
  const parts: (string | ValueFn)[] = [];
  const issues: Issue[] = [];
  if (template.includes('\0')) issues.push({ path: ['template'], message: 'a template cannot contain NUL' });
  let lit = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template.charAt(i);
    if ((ch === '{' || ch === '}') && template.charAt(i + 1) === ch) {
      lit += ch;
      i++;
    } else if (ch === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) {
        issues.push({ path: ['template'], message: `unclosed '{' at position ${i + 1}` });
        break;
      }
      const path = template.slice(i + 1, end).trim();
      const bad = pathIssue(path, ['template']);
      if (bad) issues.push(bad);
      if (lit !== '') parts.push(lit);
      lit = '';
      parts.push(compileTextGetter(path));
      i = end;
    } else if (ch === '}') {
      issues.push({ path: ['template'], message: `unmatched '}' at position ${i + 1} (write '}}' for a literal brace)` });
    } else {
      lit += ch;
    }
  }
  if (lit !== '') parts.push(lit);
  if (!parts.some((p) => typeof p === 'function')) {
    issues.push({ path: ['template'], message: 'a template needs at least one {field.path} placeholder' });
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: (e) => {
      let out = '';
      for (const p of parts) {
        if (typeof p === 'string') out += p;
        else {
          const v = p(e);
          if (v === undefined) return undefined;
          out += v;
        }
      }
      return out;
    },
  };
}

function compileRegex(from: FromSpec & { regex: string }): Result<(s: string) => string | undefined> {
  let re: RegExp;
  try {
    re = new RegExp(from.regex, from.flags ?? '');
  } catch (err) {
    return { ok: false, issues: [{ path: ['regex'], message: `invalid regular expression /${from.regex}/: ${(err as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}` }] };
  }
  // Group count and names, read from a match of the empty alternative (always succeeds).
  const probe = new RegExp(`${from.regex}|`, from.flags ?? '').exec('');
  const groupCount = probe === null ? 0 : probe.length - 1;
  const names = Object.keys(probe?.groups ?? {});
  const group = from.group ?? (groupCount >= 1 ? 1 : 0);
  if (typeof group === 'number' && group > groupCount) {
    return { ok: false, issues: [{ path: ['group'], message: `group ${group} does not exist: /${from.regex}/ has ${groupCount} capture group(s)` }] };
  }
  if (typeof group === 'string' && !names.includes(group)) {
    return { ok: false, issues: [{ path: ['group'], message: `no named group '${group}' in /${from.regex}/${names.length ? ` (named groups: ${names.join(', ')})` : ''}` }] };
  }
  if (typeof group === 'number') return { ok: true, value: (s) => re.exec(s)?.[group] };
  return { ok: true, value: (s) => re.exec(s)?.groups?.[group] };
}

/** The index-th field of s split by sep (negative: from the end), without building the array. Exported for tests. */
export function nthField(s: string, sep: string, index: number): string | undefined {
  if (index >= 0) {
    let start = 0;
    for (let n = 0; n < index; n++) {
      const at = s.indexOf(sep, start);
      if (at < 0) return undefined;
      start = at + sep.length;
    }
    const end = s.indexOf(sep, start);
    return end < 0 ? s.slice(start) : s.slice(start, end);
  }
  // Negative index: walk separators from the right; -1 is the last field.
  const sepBefore = (end: number): number => (end < sep.length ? -1 : s.lastIndexOf(sep, end - sep.length));
  let end = s.length;
  for (let n = -1; n > index; n--) {
    const at = sepBefore(end);
    if (at < 0) return undefined;
    end = at;
  }
  const at = sepBefore(end);
  return s.slice(at < 0 ? 0 : at + sep.length, end);
}

function applyTransform(t: Transform, s: string): string {
  return t === 'upper' ? s.toUpperCase() : t === 'lower' ? s.toLowerCase() : s.trim();
}

/** Compiles one `from` into a value function, or lists every problem with its key path. */
export function compileFrom(from: FromSpec): Result<ValueFn> {
  const issues: Issue[] = [];
  let source: ValueFn | undefined;
  if (from.path !== undefined) {
    const bad = pathIssue(from.path, ['path']);
    if (bad) issues.push(bad);
    else source = compileTextGetter(from.path);
  } else if (from.template !== undefined) {
    const t = compileTemplate(from.template);
    if (t.ok) source = t.value;
    else issues.push(...t.issues);
  }
  let narrow: ((s: string) => string | undefined) | undefined;
  if (from.regex !== undefined) {
    const r = compileRegex({ ...from, regex: from.regex });
    if (r.ok) narrow = r.value;
    else issues.push(...r.issues);
  } else if (from.columns !== undefined) {
    const [start, end] = from.columns;
    narrow = (s) => (s.length < start ? undefined : s.slice(start - 1, end).replace(/ +$/, ''));
  } else if (from.split !== undefined) {
    const { separator, index } = from.split;
    narrow = (s) => nthField(s, separator, index);
  }
  if (issues.length > 0 || source === undefined) return { ok: false, issues };
  const transforms: Transform[] = from.transform === undefined ? [] : Array.isArray(from.transform) ? from.transform : [from.transform];
  const src = source;
  // The common case, a plain path, is the generated getter itself: no wrapper call per event.
  if (narrow === undefined && transforms.length === 0) return { ok: true, value: src };
  return {
    ok: true,
    value: (e) => {
      let v = src(e);
      if (v === undefined) return undefined;
      if (narrow !== undefined) {
        v = narrow(v);
        if (v === undefined) return undefined;
      }
      for (const t of transforms) v = applyTransform(t, v);
      return v === '' ? undefined : v;
    },
  };
}

export interface CompiledFilter {
  /** Cheap criteria (data set, SMF type, category): run before any value is extracted. */
  pre: Predicate | undefined;
  /** Pattern-list criteria (regular expressions): run only when both values are present. */
  post: Predicate | undefined;
}

function all(preds: Predicate[]): Predicate | undefined {
  if (preds.length === 0) return undefined;
  if (preds.length === 1) return preds[0];
  return (e) => preds.every((p) => p(e));
}

/** Compiles a filter; `lists` are the named pattern lists known to the caller. */
export function compileFilter(filter: FilterSpec | undefined, lists: ReadonlyMap<string, CompiledPatternList>): Result<CompiledFilter> {
  if (filter === undefined) return { ok: true, value: { pre: undefined, post: undefined } };
  const pre: Predicate[] = [];
  const post: Predicate[] = [];
  const issues: Issue[] = [];
  if (filter.datasets) {
    const set = new Set(filter.datasets);
    pre.push((e) => set.has(e.event.dataset));
  }
  if (filter.types) {
    const types = new Set<number>();
    const subtypes = new Set<number>();
    for (const t of filter.types) {
      if (typeof t === 'number') types.add(t);
      else if (!t.includes('-')) types.add(Number(t));
      else subtypes.add(Number(t.slice(0, t.indexOf('-'))) * 100_000 + Number(t.slice(t.indexOf('-') + 1)));
    }
    pre.push((e) => {
      const t = e.smf.type;
      if (t === undefined) return false;
      if (types.has(t)) return true;
      const st = e.smf.subtype;
      return st !== undefined && subtypes.has(t * 100_000 + st);
    });
  }
  if (filter.categories) {
    const set = new Set(filter.categories);
    pre.push((e) => e.event.category?.some((c) => set.has(c)) ?? false);
  }
  const patterns = filter.patterns === undefined ? [] : Array.isArray(filter.patterns) ? filter.patterns : [filter.patterns];
  patterns.forEach((p, i) => {
    const at = Array.isArray(filter.patterns) ? ['patterns', i] : ['patterns'];
    const bad = pathIssue(p.path, [...at, 'path']);
    const list = lists.get(p.list);
    if (bad) issues.push(bad);
    if (list === undefined) {
      const known = [...lists.keys()].sort();
      issues.push({ path: [...at, 'list'], message: `unknown pattern list '${p.list}' (known lists: ${known.length ? known.join(', ') : 'none'})` });
    }
    if (bad || list === undefined) return;
    const get = compileGetter(p.path);
    post.push((e) => {
      const v = get(e);
      return typeof v === 'string' && list.test(v);
    });
  });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { pre: all(pre), post: all(post) } };
}
