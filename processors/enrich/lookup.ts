// Static lookup tables: text the runtime reads (CSV with a header row, or JSON lines) becomes a
// map from one event field's value to a few target fields. Pure: no I/O.
//
// Kinds (config.ts): `user` (user.name → user.full_name, labels.department; key column user_id,
// value columns full_name, department), `ip` (source.ip → source.domain; key column ip, value
// column domain) and `generic` (match, key_column, set: target → column). Preset kinds use the
// value columns the file has (at least one) and ignore other columns; a generic table must have
// every column it names.
//
// Keys are normalised as the normalizer writes the event field, so a table matches what is
// indexed: user ids, job names and job ids upper-cased, IP addresses in canonical form (an IPv4-
// mapped IPv6 key becomes IPv4), everything else trimmed. Empty cells (and JSON null) are absent.
// A duplicate key, a bad row or an invalid IP key is a problem naming the table and the line;
// tables are all-or-nothing (setTables in index.ts): one bad line refuses the table, so a
// truncated HR export cannot silently drop half the names.
//
// Applying: tables run in configured order after the session cache (so a filled user.name gets
// its full name), and, like every enrichment, never overwrite a field the record carried or an
// earlier table set. Each field set is listed in enrichment.fields, the table as "lookup:<name>".

import { canonicalIp } from '../normalize/ip.js';
import { splitRow } from '../parse/csv.js';
import type { EventDoc } from '../schema/event.js';
import type { LookupTableSpec, MatchField } from './config.js';
import { markField, markSource } from './marks.js';

export interface LookupTable {
  readonly name: string;
  readonly match: MatchField;
  /** Target field paths, in the order of each row's values. */
  readonly targets: readonly string[];
  readonly rows: ReadonlyMap<string, readonly (string | undefined)[]>;
}

export interface LookupProblem {
  readonly table: string;
  /** 1-based line of the text, when the problem is on one. */
  readonly line: number | undefined;
  readonly problem: string;
  readonly message: string;
}

interface Layout {
  match: MatchField;
  keyColumn: string;
  set: Readonly<Record<string, string>>;
  preset: boolean;
}

const PRESETS: Readonly<Record<'user' | 'ip', Layout>> = {
  user: { match: 'user.name', keyColumn: 'user_id', set: { 'user.full_name': 'full_name', 'labels.department': 'department' }, preset: true },
  ip: { match: 'source.ip', keyColumn: 'ip', set: { 'source.domain': 'domain' }, preset: true },
};

const MAX_PROBLEMS = 20;

/** Parses one table (its spec already validated). Returns the table, or every problem (at most 20, then a count). */
export function parseLookupTable(spec: LookupTableSpec, text: string): { table?: LookupTable; problems: LookupProblem[] } {
  const problems: LookupProblem[] = [];
  const problem = (line: number | undefined, what: string): void => {
    const where = line === undefined ? '' : ` line ${line}`;
    problems.push({ table: spec.name, line, problem: what, message: `lookup table '${spec.name}'${where}: ${what}` });
  };
  const kind = spec.kind ?? (spec.name as 'user' | 'ip');
  const layout: Layout = kind === 'generic' ? { match: spec.match as MatchField, keyColumn: spec.key_column as string, set: spec.set ?? {}, preset: false } : PRESETS[kind];
  const rows = new Map<string, (string | undefined)[]>();
  const firstLine = new Map<string, number>();
  let targets: string[] | undefined;
  let columns: string[] = []; // per target: its column
  let header: string[] | undefined; // CSV only

  // A byte order mark (spreadsheet exports) is not part of the first column's name.
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
  for (let i = 0; i < lines.length && problems.length <= MAX_PROBLEMS; i++) {
    const line = i + 1;
    const raw = (lines[i] as string).endsWith('\r') ? (lines[i] as string).slice(0, -1) : (lines[i] as string);
    if (raw.trim() === '') continue;
    let record: Record<string, unknown>;
    if (spec.format === 'csv') {
      const cells = splitRow(raw);
      if (typeof cells === 'string') {
        problem(line, cells);
        continue;
      }
      if (header === undefined) {
        header = cells.map((c) => c.trim());
        const chosen = chooseColumns(layout, header, (what) => problem(line, what));
        if (chosen === undefined) break;
        [targets, columns] = chosen;
        continue;
      }
      if (cells.length > header.length && cells.slice(header.length).some((c) => c.trim() !== '')) {
        problem(line, `${cells.length} cells but the header has ${header.length} columns`);
        continue;
      }
      record = {};
      header.forEach((name, c) => (record[name] = cells[c]));
    } else {
      const parsed = parseJsonLine(raw);
      if (typeof parsed === 'string') {
        problem(line, parsed);
        continue;
      }
      record = parsed;
      if (targets === undefined) [targets, columns] = [Object.keys(layout.set), Object.values(layout.set)];
    }
    const key = cell(record[layout.keyColumn]);
    if (typeof key !== 'string' || key === '') {
      problem(line, typeof key === 'object' ? `${layout.keyColumn} is not a string` : `no key in column ${layout.keyColumn}`);
      continue;
    }
    const normalized = normalizeKey(layout.match, key);
    if (normalized === undefined) {
      problem(line, `key ${JSON.stringify(key)} is not an IP address`);
      continue;
    }
    const first = firstLine.get(normalized);
    if (first !== undefined) {
      problem(line, `duplicate key ${JSON.stringify(normalized)} (first on line ${first})`);
      continue;
    }
    const values: (string | undefined)[] = [];
    for (const column of columns) {
      const v = cell(record[column]);
      if (typeof v === 'object') problem(line, `${column} is not a string`);
      values.push(typeof v === 'string' && v !== '' ? v : undefined);
    }
    firstLine.set(normalized, line);
    rows.set(normalized, values);
  }
  if (problems.length === 0 && targets === undefined) problem(undefined, spec.format === 'csv' ? 'empty: no header row' : 'empty');
  if (problems.length === 0 && spec.format === 'jsonl' && rows.size > 0) {
    // JSON lines have no header: a value column no row has is a misspelt name, not an empty column.
    columns.forEach((column, c) => {
      if (!layout.preset && ![...rows.values()].some((r) => r[c] !== undefined)) problem(undefined, `no row has column ${column} (for ${targets?.[c]})`);
    });
    if (layout.preset && ![...rows.values()].some((r) => r.some((v) => v !== undefined))) {
      problem(undefined, `no row has a value column (expected ${Object.values(layout.set).join(' or ')})`);
    }
  }
  if (problems.length > MAX_PROBLEMS) {
    problems.length = MAX_PROBLEMS;
    problem(undefined, 'more problems not listed');
  }
  if (problems.length > 0) return { problems };
  return { table: { name: spec.name, match: layout.match, targets: targets ?? [], rows }, problems };
}

/** [targets, their columns] the header supports, or undefined after reporting why none. */
function chooseColumns(layout: Layout, header: readonly string[], problem: (what: string) => void): [string[], string[]] | undefined {
  let ok = true;
  if (!header.includes(layout.keyColumn)) {
    problem(`no key column ${layout.keyColumn} in the header`);
    ok = false;
  }
  const targets: string[] = [];
  const columns: string[] = [];
  for (const [target, column] of Object.entries(layout.set)) {
    if (header.includes(column)) {
      targets.push(target);
      columns.push(column);
    } else if (!layout.preset) {
      problem(`no column ${column} (for ${target}) in the header`);
      ok = false;
    }
  }
  if (layout.preset && targets.length === 0) {
    problem(`no value column in the header (expected ${Object.values(layout.set).join(' or ')})`);
    ok = false;
  }
  return ok ? [targets, columns] : undefined;
}

function parseJsonLine(raw: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    return `not JSON (${(err as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  return value as Record<string, unknown>;
}

/** A cell as a trimmed string; undefined when absent; an object (the error marker) when it is not scalar. */
function cell(v: unknown): string | undefined | object {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return {};
}

function normalizeKey(match: MatchField, key: string): string | undefined {
  switch (match) {
    case 'source.ip':
    case 'destination.ip':
      return canonicalIp(key);
    case 'user.name':
    case 'process.name':
    case 'zos.job_id':
      return key.toUpperCase();
    default:
      return key;
  }
}

/** Applies every table to `doc` in order; `hits[i]` counts the documents table i added to. */
export function applyLookups(tables: readonly LookupTable[], doc: EventDoc, hits?: number[]): void {
  for (let i = 0; i < tables.length; i++) {
    const table = tables[i] as LookupTable;
    const key = matchValue(table.match, doc);
    if (key === undefined) continue;
    const row = table.rows.get(key);
    if (row === undefined) continue;
    let any = false;
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      const target = table.targets[c] as string;
      if (v !== undefined && setIfAbsent(doc, target, v)) {
        markField(doc, target);
        any = true;
      }
    }
    if (!any) continue;
    markSource(doc, `lookup:${table.name}`);
    if (hits !== undefined) hits[i] = (hits[i] ?? 0) + 1;
  }
}

function matchValue(match: MatchField, doc: EventDoc): string | undefined {
  switch (match) {
    case 'user.name':
      return doc.user?.name;
    case 'source.ip':
      return doc.source?.ip;
    case 'destination.ip':
      return doc.destination?.ip;
    case 'process.name':
      return doc.process?.name;
    case 'host.name':
      return doc.host.name;
    case 'zos.job_id':
      return doc.zos?.job_id;
    case 'zos.terminal':
      return doc.zos?.terminal;
    case 'zos.dsn':
      return doc.zos?.dsn;
  }
}

/** Sets a target (user.full_name, source.domain, labels.<name>) unless present; true when set. */
function setIfAbsent(doc: EventDoc, target: string, v: string): boolean {
  if (target === 'user.full_name') {
    const user = (doc.user ??= {});
    if (user.full_name !== undefined) return false;
    user.full_name = v;
    return true;
  }
  if (target === 'source.domain') {
    const source = (doc.source ??= {});
    if (source.domain !== undefined) return false;
    source.domain = v;
    return true;
  }
  const labels = (doc.labels ??= {});
  const name = target.slice(7); // "labels."
  if (labels[name] !== undefined) return false;
  labels[name] = v;
  return true;
}
