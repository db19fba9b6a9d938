// The nightly job's own records in the store's `meta` sub-database. Every write is one store
// transaction (StateStore.commit), so a crash leaves either the old or the new record.
//
//   anomaly:last_day            YYYY-MM-DD   newest day the scheduler completed (success or partial)
//   anomaly:attempt\0<day>      number       runs of the day so far; incremented before each run
//   anomaly:ids\0<day>          { <def id>: [anomaly _id, …] }   documents the day's runs may have written
//   anomaly:first\0<def>        YYYY-MM-DD   first day with daily statistics (reader.ts)
//
// Records of days older than META_RETENTION_DAYS are pruned: by then the association state that
// could re-create the day is long gone (associations.retention_days).

import type { Database } from 'lmdb';
import { addDays } from '../../processors/anomaly/index.js';
import type { StateStore } from '../store/store.js';
import { firstDayKey } from './reader.js';

export const LAST_DAY_KEY = 'anomaly:last_day';
const ATTEMPT = 'anomaly:attempt\u0000';
const IDS = 'anomaly:ids\u0000';
export const META_RETENTION_DAYS = 400;

export type IdsByDefinition = Record<string, string[]>;

export class AnomalyMeta {
  private readonly db: Database<unknown, string>;

  constructor(private readonly store: StateStore) {
    this.db = store.db<string>('meta');
  }

  lastDay(): string | undefined {
    return this.db.get(LAST_DAY_KEY) as string | undefined;
  }

  /** Moves anomaly:last_day forward only: a late re-run of an older day never moves it back. */
  async markDone(day: string): Promise<void> {
    await this.store.commit(() => {
      const prev = this.db.get(LAST_DAY_KEY) as string | undefined;
      if (prev === undefined || day > prev) this.db.put(LAST_DAY_KEY, day);
    });
  }

  /** Increments and returns the day's attempt number (1 for the first run), durably, before the run. */
  async nextAttempt(day: string): Promise<number> {
    let attempt = 0;
    await this.store.commit(() => {
      attempt = ((this.db.get(ATTEMPT + day) as number | undefined) ?? 0) + 1;
      this.db.put(ATTEMPT + day, attempt);
    });
    return attempt;
  }

  ids(day: string): IdsByDefinition {
    return (this.db.get(IDS + day) as IdsByDefinition | undefined) ?? {};
  }

  /**
   * Replaces the id lists of the given definitions for `day` (other definitions' lists are kept)
   * and records first days that are earlier than the stored ones.
   */
  async saveIds(day: string, ids: IdsByDefinition, firstDays: ReadonlyMap<string, string> = new Map()): Promise<void> {
    await this.store.commit(() => {
      const merged = { ...this.ids(day), ...ids };
      this.db.put(IDS + day, merged);
      for (const [def, first] of firstDays) {
        const stored = this.db.get(firstDayKey(def)) as string | undefined;
        if (stored === undefined || first < stored) this.db.put(firstDayKey(def), first);
      }
    });
  }

  /** Removes attempt and id records of days before `today` − META_RETENTION_DAYS. */
  async prune(today: string): Promise<number> {
    const cutoff = addDays(today, -META_RETENTION_DAYS);
    if (cutoff === undefined) return 0;
    const old: string[] = [];
    for (const prefix of [ATTEMPT, IDS]) {
      for (const key of this.db.getKeys({ start: prefix, end: prefix + cutoff })) old.push(key);
    }
    if (old.length > 0) await this.store.commit(() => old.forEach((k) => this.db.remove(k)));
    return old.length;
  }
}
