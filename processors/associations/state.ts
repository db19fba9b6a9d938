// Association state: the records the engine keeps, their keys, and the access interface the
// runtime implements (an LMDB transaction, committed atomically with input positions) and tests
// implement with Maps (MemoryAssocState below).
//
// Times are epoch milliseconds (compact in the store, converted to ISO only in documents.ts).
// Days are local-day labels "YYYY-MM-DD" in the configured zone (calendar.ts).
//
// Keys are strings whose parts are joined with NUL, so that an ordered store can range-scan them:
//   pairKey(def, v1, v2)       def \0 v1 \0 v2      all v2 of (def, v1) are adjacent
//   dailyKey(def, day, v1)     def \0 day \0 v1     one day of one definition is a contiguous range
//   summary                    def
// The store adds its own namespace prefix ("pair\0", "daily\0", "sum\0"). Values never contain NUL
// (extract.ts replaces it), definition ids are slugs, so keys are unambiguous.

/** Per (definition, value 1, value 2). */
export interface PairState {
  def: string;
  v1: string;
  v2: string;
  /** Earliest and latest event time observed for the pair. */
  firstSeen: number;
  lastSeen: number;
  /** The latest local day on which the pair was observed, and its message count on that day. */
  day: string;
  todayCount: number;
  historyCount: number;
  /**
   * Bit k set ⇔ the pair was observed on day `day − k` (k = 0…31). Lets a late observation for an
   * older day tell exactly whether the pair was already counted as distinct on that day.
   */
  recentDays: number;
}

/** Per definition: the columns of the Associations tab. */
export interface SummaryState {
  def: string;
  /** The definition's current day: the latest local day observed (never later than the day of `now`). */
  day: string;
  /** Latest event time of an associated message. */
  lastMessage: number;
  /** Distinct pairs observed on `day` (exact: pairs whose PairState.day === day). */
  uniqueToday: number;
  /** Pairs ever created (cumulative, "since creation"; a pair dropped by retention and seen again counts again). */
  uniqueHistory: number;
  /** Messages on `day`. */
  messagesToday: number;
  /** Messages ever (cumulative; not reduced by retention). */
  messagesHistory: number;
  /** Pairs and their messages removed by retention (so live pairs = uniqueHistory − droppedPairs). */
  droppedPairs: number;
  droppedMessages: number;
}

/** Bounds of the evidence lists in DailyItemStats. */
export const TOP_VALUES = 10;
export const NEW_VALUES = 10;

/**
 * Per (definition, day, value 1): what the nightly anomaly job needs for one Field 1 item on one
 * day (domain.md §5), kept up to date by applyObservations.
 */
export interface DailyItemStats {
  def: string;
  day: string;
  v1: string;
  /** Messages associated with v1 on this day. Exact. */
  messages: number;
  /** Distinct v2 associated with v1 on this day. Exact unless `approximate`. */
  distinct: number;
  /** Pairs (v1, v2) created on this day, i.e. never seen before (or since retention dropped them). */
  newPairs: number;
  /**
   * The first NEW_VALUES new v2 values, in arrival order, each with its exact message count on
   * this day. `newPairs` is the unbounded total.
   */
  newValues: [string, number][];
  /**
   * Up to TOP_VALUES [v2, count] entries, highest count first (ties: v2 ascending). Counts are the
   * pair's exact count on this day when recorded on that day; late observations add to entries
   * already listed but do not enter the list. Evidence, not a census.
   */
  top: [string, number][];
  /**
   * True when an observation arrived for this day more than 31 days behind the pair's latest day
   * (only backfill of old logs does that): `distinct` may then undercount.
   */
  approximate: boolean;
}

export function pairKey(def: string, v1: string, v2: string): string {
  return `${def}\0${v1}\0${v2}`;
}

export function dailyKey(def: string, day: string, v1: string): string {
  return `${def}\0${day}\0${v1}`;
}

/** Inverse of dailyKey / pairKey: the NUL-separated parts. */
export function splitKey(key: string): string[] {
  return key.split('\0');
}

/**
 * Storage seen by the engine. Contract: values returned by `get*` are never mutated by the
 * engine (it copies before changing), and a value handed to `put*` is not touched again by the
 * engine, so the store may keep or serialise it. All calls of one applyObservations run happen
 * inside the caller's transaction; the engine neither commits nor deletes.
 */
export interface AssocStateAccess {
  getPair(key: string): PairState | undefined;
  putPair(key: string, value: PairState): void;
  getSummary(def: string): SummaryState | undefined;
  putSummary(def: string, value: SummaryState): void;
  getDaily(key: string): DailyItemStats | undefined;
  putDaily(key: string, value: DailyItemStats): void;
}

/** Map-backed state for tests, backfill dry runs and benchmarks. */
export class MemoryAssocState implements AssocStateAccess {
  readonly pairs = new Map<string, PairState>();
  readonly summaries = new Map<string, SummaryState>();
  readonly daily = new Map<string, DailyItemStats>();

  getPair(key: string): PairState | undefined {
    return this.pairs.get(key);
  }
  putPair(key: string, value: PairState): void {
    this.pairs.set(key, value);
  }
  getSummary(def: string): SummaryState | undefined {
    return this.summaries.get(def);
  }
  putSummary(def: string, value: SummaryState): void {
    this.summaries.set(def, value);
  }
  getDaily(key: string): DailyItemStats | undefined {
    return this.daily.get(key);
  }
  putDaily(key: string, value: DailyItemStats): void {
    this.daily.set(key, value);
  }
}

// Reading Today lazily: counts kept for an older day read as zero once that day is over.

/** The pair's message count on `today` (the local day of the reader's clock). */
export function pairCountToday(pair: PairState, today: string): number {
  return pair.day === today ? pair.todayCount : 0;
}

/** The definition's Today columns as of `today`. */
export function summaryToday(summary: SummaryState, today: string): { unique: number; messages: number } {
  return summary.day === today ? { unique: summary.uniqueToday, messages: summary.messagesToday } : { unique: 0, messages: 0 };
}
