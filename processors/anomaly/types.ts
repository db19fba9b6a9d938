// Input and output types of the nightly anomaly detection core.
//
// These are this module's own types: the association counting engine (processors/associations)
// is adapted to them by the caller, not the other way round. Everything here is plain data, so a
// day can be analysed from live state, from a backfill, or from a test table alike.

export type AnomalyKind = 'association_count' | 'association_activity' | 'new_associations';
/** The two scoring modes of the count kinds. `new_associations` has no mode. */
export type AnomalyMode = 'compatible' | 'robust';
export type CountKind = Exclude<AnomalyKind, 'new_associations'>;
export type Severity = 'disabled' | 'low' | 'medium' | 'high' | 'critical';
export type ActiveSeverity = Exclude<Severity, 'disabled'>;

/** A Field 2 value with its message count on the analysed day. */
export interface ValueCount {
  value: string;
  count: number;
}

/** One Field 1 item's counts on one day. Counts are non-negative integers. */
export interface ItemCounts {
  item: string; // the Field 1 value
  distinct: number; // distinct Field 2 values associated with the item that day
  messages: number; // associated messages that day
}

/** One Field 1 item on the analysed day, with the evidence the documents show. */
export interface ItemDay extends ItemCounts {
  /** Field 2 values first associated with this item on the analysed day (may be bounded by the caller). */
  newValues: readonly ValueCount[];
  /** Total number of new values when `newValues` was bounded by the caller; defaults to `newValues.length`. */
  newValuesTotal?: number;
  /** The item's top Field 2 values by count that day (bounded by the caller, any order). */
  top: readonly ValueCount[];
}

/** One earlier day's per-item counts, as the state stood at the end of that day. */
export interface HistoryDay {
  day: string; // YYYY-MM-DD
  items: readonly ItemCounts[];
}

export interface DefinitionInfo {
  id: string;
  name: string;
  field1Label: string;
  field2Label: string;
}

/**
 * Everything needed to analyse one (definition, day).
 * `history` should hold only days before `day` (no look-ahead); days on or after `day` are ignored
 * and counted in `DetectionResult.ignoredHistoryDays`, so a caller bug cannot leak the future in.
 */
export interface DetectionInput {
  definition: DefinitionInfo;
  day: string; // YYYY-MM-DD, the analysed day in the configured time zone
  items: readonly ItemDay[];
  history: readonly HistoryDay[];
  /** The definition's first day with data (YYYY-MM-DD); undefined when it has none before today. */
  firstSeenDay: string | undefined;
}

/** Statistics of the raw values a score was computed against (population or the item's history). */
export interface BaselineStats {
  n: number;
  mean: number;
  stddev: number; // population standard deviation (see stats.ts)
  median: number;
  mad: number; // raw median absolute deviation, unscaled
}

/** Robust scale of log1p-transformed values: `scale = max(mad, minScale)`. */
export interface LogScale {
  median: number;
  mad: number;
  scale: number;
}

export interface Thresholds {
  k?: number;
  marginalPct?: number;
  robustThreshold?: number;
  learningDays?: number;
  minNewValues?: number;
}

/** The item's own history, when robust mode used it to confirm a population verdict. */
export interface HistoryCheck {
  days: number; // active days in the baseline window
  windowDays: number;
  baselineDays: 'all' | 'same-kind';
  stats: BaselineStats;
  log1p: LogScale;
  score: number; // modified z of today's value against the item's history
}

/** One anomaly: one item, one kind, one mode, one day. Turned into a document by documents.ts. */
export interface Finding {
  kind: AnomalyKind;
  mode: AnomalyMode | undefined; // undefined for new_associations
  severity: ActiveSeverity;
  item: string;
  observed: number; // distinct, messages, or number of new values
  score: number | undefined; // z (compatible) or modified z (robust); undefined for new_associations
  pctOverMean: number | undefined;
  baseline: (BaselineStats & { log1p?: LogScale }) | undefined;
  history: HistoryCheck | undefined;
  thresholds: Thresholds;
  topValues: ValueCount[];
  newValues: ValueCount[];
  newValuesTotal: number;
}

/** What happened to one detector (kind × mode) for one definition and day. */
export type DetectorOutcome =
  | { kind: AnomalyKind; mode: AnomalyMode | undefined; status: 'disabled' }
  | { kind: AnomalyKind; mode: AnomalyMode | undefined; status: 'evaluated'; population: number; findings: number }
  | { kind: AnomalyKind; mode: AnomalyMode | undefined; status: 'insufficient_baseline'; population: number; required: number }
  | { kind: AnomalyKind; mode: AnomalyMode | undefined; status: 'learning'; daysOfData: number; required: number };

export interface DetectionResult {
  definition: DefinitionInfo;
  day: string;
  findings: Finding[];
  outcomes: DetectorOutcome[];
  /** Items left out: duplicate item keys (first kept) or counts that are not non-negative finite numbers. */
  skippedItems: number;
  ignoredHistoryDays: number;
}
