// Association state on the store's `assoc` sub-database, for use inside a store transaction.
// Key namespaces: "pair\0…", "daily\0…", "sum\0<def>", and "dirty\0pair\0…" markers naming
// pairs whose Elasticsearch document is out of date (value: the commit sequence that marked it).

import type { Database } from 'lmdb';
import type { AssocStateAccess, DailyItemStats, PairState, SummaryState } from '../../processors/associations/index.js';
import type { StateStore } from '../store/store.js';

export const PAIR = 'pair\u0000';
export const DAILY = 'daily\u0000';
export const SUM = 'sum\u0000';
export const DIRTY = 'dirty\u0000';

export class LmdbAssocState implements AssocStateAccess {
  readonly db: Database<unknown, string>;

  constructor(store: StateStore) {
    this.db = store.db<string>('assoc');
  }

  getPair(key: string): PairState | undefined {
    return this.db.get(PAIR + key) as PairState | undefined;
  }
  putPair(key: string, value: PairState): void {
    this.db.put(PAIR + key, value);
  }
  getSummary(def: string): SummaryState | undefined {
    return this.db.get(SUM + def) as SummaryState | undefined;
  }
  putSummary(def: string, value: SummaryState): void {
    this.db.put(SUM + def, value);
  }
  getDaily(key: string): DailyItemStats | undefined {
    return this.db.get(DAILY + key) as DailyItemStats | undefined;
  }
  putDaily(key: string, value: DailyItemStats): void {
    this.db.put(DAILY + key, value);
  }

  /** Every entry under a namespace prefix, in key order (prefix stripped). */
  *range<T>(prefix: string): Generator<[string, T]> {
    // Every namespace ends with NUL, so the same namespace with \u0001 is the first key after it.
    for (const { key, value } of this.db.getRange({ start: prefix, end: `${prefix.slice(0, -1)}\u0001` })) {
      yield [key.slice(prefix.length), value as T];
    }
  }
}
