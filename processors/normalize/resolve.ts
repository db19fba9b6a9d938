// Field resolution: which value of a record carries each meaning.
//
// A FieldIndex is built once per profile when the normalizer is created: a map from lowercase
// source name to the meanings it carries and the name's rank in each meaning's alias list. Per
// event, one pass over the record's keys looks each key up (through a bounded cache keyed by the
// exact spelling, so lower-casing happens once per distinct key, not per event) and keeps, per
// meaning, the value of the best-ranked name present. Blank strings and non-finite numbers count
// as absent, so the next alias can win. Sources, in order (first wins a tie): the record's fields,
// CEF custom fields under their labels (cs1Label=Jobname cs1=PAYROLL), RFC 5424 SD-PARAMs.

import type { ParsedRecord } from '../schema/record.js';
import type { AliasMap, FixedColumnRule } from './aliases.js';
import { MEANINGS, foundOf, ordinalOf, type FieldValue, type Found, type Meaning } from './meanings.js';

interface Entry {
  meaning: Meaning;
  ordinal: number;
  rank: number;
  fixed: FixedColumnRule | undefined;
}

type Visitor = (entries: readonly Entry[], key: string, raw: unknown) => void;

/** Distinct key spellings remembered per index; beyond this, keys are looked up uncached (arbitrary JSON cannot grow memory). */
const EXACT_CACHE_LIMIT = 4096;
const NO_RANK = 0x7fffffff;

/** CEF custom extension keys whose meaning is named by a sibling `<key>Label` field. */
const CEF_LABELLED_KEYS: readonly (readonly [string, string])[] = [
  ...[1, 2, 3, 4, 5, 6].map((n) => `cs${n}`),
  ...[1, 2, 3].map((n) => `cn${n}`),
  ...[1, 2, 3, 4].map((n) => `cfp${n}`),
  'flexString1',
  'flexString2',
  'flexNumber1',
  'flexNumber2',
  'flexDate1',
  'deviceCustomDate1',
  'deviceCustomDate2',
].map((key) => [key, `${key}Label`] as const);

const WHITESPACE = /\s+/g;

export class FieldIndex {
  private readonly byLower = new Map<string, Entry[]>();
  private readonly byExact = new Map<string, Entry[] | null>();
  // Per-resolve scratch. resolve() is synchronous and never re-entered, so one set per index is safe.
  private readonly ranks = new Int32Array(MEANINGS.length);
  private values: (FieldValue | undefined)[] = [];
  private readonly take: Visitor = (entries, _key, raw) => {
    const ranks = this.ranks;
    for (const entry of entries) {
      if (ranks[entry.ordinal]! <= entry.rank) continue;
      const value = entry.fixed === undefined ? clean(raw) : fixedColumns(raw, entry.fixed);
      if (value === undefined) continue;
      this.values[entry.ordinal] = value;
      ranks[entry.ordinal] = entry.rank;
    }
  };

  constructor(aliases: AliasMap, fixedColumns: readonly FixedColumnRule[]) {
    for (const [meaning, names] of Object.entries(aliases) as [Meaning, readonly string[]][]) {
      const ordinal = ordinalOf(meaning);
      names.forEach((name, rank) => {
        const lower = name.toLowerCase();
        const fixed = fixedColumns.find((r) => r.meaning === meaning && r.field.toLowerCase() === lower);
        const list = this.byLower.get(lower);
        const entry: Entry = { meaning, ordinal, rank, fixed };
        if (list === undefined) this.byLower.set(lower, [entry]);
        else if (!list.some((e) => e.ordinal === ordinal)) list.push(entry);
      });
    }
  }

  /** Every meaning found in a record. */
  resolve(record: ParsedRecord): Found {
    this.values = new Array<FieldValue | undefined>(MEANINGS.length).fill(undefined);
    this.ranks.fill(NO_RANK);
    this.visit(record, this.take);
    return foundOf(this.values);
  }

  /** The source field name a meaning was read from (slow: for messages that name a bad value). */
  sourceOf(record: ParsedRecord, meaning: Meaning): string | undefined {
    let best = NO_RANK;
    let name: string | undefined;
    this.visit(record, (entries, key, raw) => {
      for (const e of entries) {
        if (e.meaning !== meaning || e.rank >= best) continue;
        if ((e.fixed === undefined ? clean(raw) : fixedColumns(raw, e.fixed)) === undefined) continue;
        best = e.rank;
        name = key;
      }
    });
    return name;
  }

  private visit(record: ParsedRecord, visitor: Visitor): void {
    const fields = record.fields;
    for (const key in fields) {
      const entries = this.lookup(key);
      if (entries !== null) visitor(entries, key, fields[key]);
    }
    if (record.format === 'cef') {
      for (const [key, labelKey] of CEF_LABELLED_KEYS) {
        const label = fields[labelKey];
        if (typeof label !== 'string' || fields[key] === undefined) continue;
        const entries = this.byLower.get(label.replace(WHITESPACE, '').toLowerCase());
        if (entries !== undefined) visitor(entries, key, fields[key]);
      }
    }
    const sd = record.envelope?.structuredData;
    if (sd === undefined || sd === null || typeof sd !== 'object') return;
    for (const id in sd) {
      const params = sd[id];
      if (params === undefined || params === null || typeof params !== 'object') continue;
      for (const key in params) {
        const entries = this.lookup(key);
        if (entries !== null) visitor(entries, key, params[key]);
      }
    }
  }

  private lookup(key: string): Entry[] | null {
    const cached = this.byExact.get(key);
    if (cached !== undefined) return cached;
    const lower = key.toLowerCase();
    let entries = this.byLower.get(lower);
    if (entries === undefined) {
      const dot = lower.lastIndexOf('.');
      if (dot >= 0) entries = this.byLower.get(lower.slice(dot + 1));
    }
    const found = entries ?? null;
    if (this.byExact.size < EXACT_CACHE_LIMIT) this.byExact.set(key, found);
    return found;
  }
}

function clean(raw: unknown): FieldValue | undefined {
  switch (typeof raw) {
    case 'string': {
      const t = raw.trim();
      return t === '' ? undefined : t;
    }
    case 'number':
      return Number.isFinite(raw) ? raw : undefined;
    case 'boolean':
      return raw;
    default:
      return undefined;
  }
}

function fixedColumns(raw: unknown, rule: FixedColumnRule): string | undefined {
  if (typeof raw !== 'string') return undefined;
  if (raw.length > rule.start) {
    const t = raw.slice(rule.start, rule.start + rule.length).trim();
    return t === '' ? undefined : t;
  }
  const t = raw.trim();
  return t !== '' && t.length <= rule.length ? t : undefined;
}
