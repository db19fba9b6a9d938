// One learned session-cache entry and its persisted form.
//
// An entry is keyed by (key kind, system, value), e.g. job name PAYROLL on SYSA, and holds what
// was learned about the other four fields: per field the latest value, when it was last learned
// or confirmed, and when it was last contradicted (ambiguity). All times are event times (epoch ms
// of @timestamp), never the wall clock, so a replay reproduces the same state.
//
// Persisted form (`StoredEntry`): a plain, JSON- and msgpack-serialisable object per key, written
// by the runtime to the LMDB sub-database `enrich` together with the input positions.
//   key   "<kind>\0<system>\0<value>"   kind: "jobid" | "term" | "job"; system "" when host.name is absent
//   value { seq, fields: { "<field path>": { value, learned_at, ambiguous_at? } } }
// `seq` is the learning order (larger = learned more recently); restoring sorts by it so eviction
// after a restart picks exactly the entries an uninterrupted run would have picked.

import { SmfError } from '../../agent/errors.js';

/** Field slots. Key kinds reuse the slot of the field they are (job name, job id, terminal). */
export const USER = 0;
export const IP = 1;
export const JOB = 2;
export const JOB_ID = 3;
export const TERMINAL = 4;
export const SLOTS = 5;

export const SLOT_PATHS = ['user.name', 'source.ip', 'process.name', 'zos.job_id', 'zos.terminal'] as const;
export type SlotPath = (typeof SLOT_PATHS)[number];

/** Key kinds in lookup order: the most specific first. */
export const KEY_ORDER = [JOB_ID, TERMINAL, JOB] as const;
export type KeySlot = (typeof KEY_ORDER)[number];

/** Persisted key prefix and enrichment.sources name, per key slot (undefined for non-key slots). */
const PREFIX: readonly (string | undefined)[] = [undefined, undefined, 'job', 'jobid', 'term'];
export const SOURCE_NAME: readonly (string | undefined)[] = [undefined, undefined, 'session:job_name', 'session:job_id', 'session:terminal'];

/** "Never": older than any event time, and still a finite number (JSON has no -Infinity; it is never persisted). */
export const NEVER = -Number.MAX_VALUE;

export interface StoredField {
  value: string;
  /** Event time the value was last learned or confirmed. */
  learned_at: number;
  /** Event time a different value was last learned while this one was fresh; absent when never. */
  ambiguous_at?: number;
}

export interface StoredEntry {
  seq: number;
  fields: Partial<Record<SlotPath, StoredField>>;
}

export class Entry {
  /** Learning-order list (head = most recently learned), maintained by the cache. */
  prev: Entry | undefined = undefined;
  next: Entry | undefined = undefined;
  seq = 0;
  /** Latest learned_at over the fields: the entry has expired once this is older than the TTL. */
  seen = NEVER;
  readonly v: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  readonly t: number[] = [NEVER, NEVER, NEVER, NEVER, NEVER];
  readonly a: number[] = [NEVER, NEVER, NEVER, NEVER, NEVER];

  constructor(
    readonly key: string,
    readonly kind: KeySlot,
    readonly system: string,
    readonly value: string,
  ) {}

  updateSeen(): void {
    let s = NEVER;
    for (let f = 0; f < SLOTS; f++) if (this.v[f] !== undefined && (this.t[f] as number) > s) s = this.t[f] as number;
    this.seen = s;
  }
}

export function entryKey(kind: KeySlot, system: string, value: string): string {
  return `${PREFIX[kind] as string}\0${system}\0${value}`;
}

/** A detached, plain copy of the entry (what takeChanges hands to the store). */
export function snapshot(e: Entry): StoredEntry {
  const fields: Partial<Record<SlotPath, StoredField>> = {};
  for (let f = 0; f < SLOTS; f++) {
    const value = e.v[f];
    if (value === undefined) continue;
    const a = e.a[f] as number;
    fields[SLOT_PATHS[f] as SlotPath] = a === NEVER ? { value, learned_at: e.t[f] as number } : { value, learned_at: e.t[f] as number, ambiguous_at: a };
  }
  return { seq: e.seq, fields };
}

/** Rebuilds an entry from the store. Throws SMF_ERR_STORE_CORRUPT naming the key and the problem. */
export function restore(key: string, stored: unknown): Entry {
  const bad = (problem: string): never => {
    throw new SmfError('SMF_ERR_STORE_CORRUPT', `enrichment cache entry ${JSON.stringify(key)} in the store is invalid: ${problem}`, {
      hint: 'the enrich sub-database was written by another program or version; restore a backup of the data directory',
    });
  };
  if (typeof key !== 'string') bad('the key is not a string');
  const s1 = key.indexOf('\0');
  const s2 = s1 < 0 ? -1 : key.indexOf('\0', s1 + 1);
  if (s2 < 0) bad('the key is not "<kind>\\0<system>\\0<value>"');
  const kind = PREFIX.indexOf(key.slice(0, s1));
  if (kind < 0) bad(`unknown key kind ${JSON.stringify(key.slice(0, s1))}`);
  const value = key.slice(s2 + 1);
  if (value === '') bad('empty key value');
  if (typeof stored !== 'object' || stored === null) bad('not an object');
  const { seq, fields } = stored as { seq?: unknown; fields?: unknown };
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) bad(`seq ${JSON.stringify(seq)} is not a non-negative integer`);
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) bad('fields is not an object');
  const e = new Entry(key, kind as KeySlot, key.slice(s1 + 1, s2), value);
  e.seq = seq as number;
  for (const [path, field] of Object.entries(fields as Record<string, unknown>)) {
    const f = (SLOT_PATHS as readonly string[]).indexOf(path);
    if (f < 0 || f === kind) bad(`unexpected field ${JSON.stringify(path)}`);
    const { value: v, learned_at: t, ambiguous_at: a } = (field ?? {}) as Partial<StoredField>;
    if (typeof v !== 'string' || v === '') bad(`${path}.value is not a non-empty string`);
    if (typeof t !== 'number' || !Number.isFinite(t)) bad(`${path}.learned_at is not a number`);
    if (a !== undefined && (typeof a !== 'number' || !Number.isFinite(a))) bad(`${path}.ambiguous_at is not a number`);
    e.v[f] = v;
    e.t[f] = t as number;
    e.a[f] = a ?? NEVER;
  }
  e.updateSeen();
  return e;
}
