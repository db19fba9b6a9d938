// Reads what the detectors need for one (definition, day) from the association state in the
// store: the day's per-item statistics and the per-item counts of the days before it.
//
// No look-ahead: the store also holds the days after `day` (a catch-up after downtime analyses
// old days while newer ones are already counted). History is read with an exclusive upper bound
// at `day`, so those records are never seen; only `day` itself gives the items.
//
// Keys (agent/associations/lmdb-state.ts + processors/associations/state.ts):
//   assoc  "daily\0" + def \0 day \0 v1  → DailyItemStats      (one day of one definition is contiguous)
//   meta   "anomaly:first\0" + def       → YYYY-MM-DD          (first day with data, kept by the job)

import type { Database } from 'lmdb';
import { addDays, type DefinitionInfo, type DetectionInput, type HistoryDay, type ItemCounts, type ItemDay } from '../../processors/anomaly/index.js';
import type { DailyItemStats } from '../../processors/associations/index.js';
import { DAILY, type LmdbAssocState } from '../associations/lmdb-state.js';
import type { StateStore } from '../store/store.js';

/** meta key of a definition's first day with daily statistics (survives association retention). */
export const firstDayKey = (def: string): string => `anomaly:first\u0000${def}`;

const NUL = '\u0000';
/** The first key after every key that starts with `prefix` (all our prefixes end with NUL). */
const after = (prefix: string): string => `${prefix.slice(0, -1)}\u0001`;

/** DailyItemStats → the detectors' ItemDay (their own type; see processors/anomaly/types.ts). */
export function toItemDay(d: DailyItemStats): ItemDay {
  return {
    item: d.v1,
    distinct: d.distinct,
    messages: d.messages,
    newValues: d.newValues.map(([value, count]) => ({ value, count })),
    newValuesTotal: d.newPairs,
    top: d.top.map(([value, count]) => ({ value, count })),
  };
}

export interface ReadResult {
  input: DetectionInput;
  /**
   * The earliest day with daily statistics found by scanning (undefined: none). The job stores it
   * under firstDayKey when it is earlier than the stored one, so learning periods survive the
   * retention sweep of old daily records.
   */
  scannedFirstDay: string | undefined;
}

export class DailyStatsReader {
  private readonly assoc: Database<unknown, string>;
  private readonly meta: Database<unknown, string>;

  constructor(
    store: StateStore,
    state: LmdbAssocState,
    private readonly baselineDays: number,
  ) {
    this.assoc = state.db;
    this.meta = store.db<string>('meta');
  }

  /** Everything `detect` needs for `definition` on `day` (YYYY-MM-DD); synchronous LMDB reads. */
  read(definition: DefinitionInfo, day: string): ReadResult {
    const defPrefix = `${DAILY}${definition.id}${NUL}`;
    const dayPrefix = `${defPrefix}${day}${NUL}`;
    const items: ItemDay[] = [];
    for (const { value } of this.assoc.getRange({ start: dayPrefix, end: after(dayPrefix) })) items.push(toItemDay(value as DailyItemStats));

    const from = addDays(day, -this.baselineDays);
    if (from === undefined) throw new RangeError(`not a YYYY-MM-DD day: "${day}"`);
    // [from, day): `end` is exclusive in lmdb-js, and every key of `day` starts with `${day}\0`.
    const byDay = new Map<string, ItemCounts[]>();
    for (const { value } of this.assoc.getRange({ start: `${defPrefix}${from}${NUL}`, end: dayPrefix })) {
      const d = value as DailyItemStats;
      let list = byDay.get(d.day);
      if (list === undefined) byDay.set(d.day, (list = []));
      list.push({ item: d.v1, distinct: d.distinct, messages: d.messages });
    }
    const history: HistoryDay[] = [...byDay].map(([d, dayItems]) => ({ day: d, items: dayItems }));

    const scannedFirstDay = this.scanFirstDay(definition.id);
    const stored = this.meta.get(firstDayKey(definition.id)) as string | undefined;
    const first = [stored, scannedFirstDay].filter((d): d is string => d !== undefined).sort()[0];
    // A first day after the analysed day means "no data before it": the detector's learning rule
    // then counts no days of data, exactly as if the store had nothing yet.
    const firstSeenDay = first !== undefined && first <= day ? first : undefined;
    return { input: { definition, day, items, history, firstSeenDay }, scannedFirstDay };
  }

  /** Earliest day with daily statistics for the definition, from its first key (one cursor step). */
  scanFirstDay(def: string): string | undefined {
    const prefix = `${DAILY}${def}${NUL}`;
    for (const { key } of this.assoc.getRange({ start: prefix, end: after(prefix), limit: 1 })) {
      return key.slice(prefix.length).split(NUL)[0];
    }
    return undefined;
  }
}
