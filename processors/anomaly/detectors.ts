// The detectors for one (definition, day): a pure function from counts and settings to findings
// and per-detector outcomes. No clock, no I/O; documents.ts turns findings into documents.
//
// Detectors, each with its own severity (`disabled` means not evaluated at all):
//   association_count    × compatible | robust   on `distinct`
//   association_activity × compatible | robust   on `messages`
//   new_associations                             on `newValues`, after the learning period
// Population verdicts need at least `min_population` items (compatible also n > k² + 1, below
// which z > k is impossible); otherwise the outcome is `insufficient_baseline` and no finding.
//
// Contract: never throws and never yields NaN or ±Infinity for any counts; malformed items are
// skipped and counted. Only a malformed `input.day` (a caller bug) throws a RangeError.

import { countDetectorSettings, type AnomalySettings } from './config.js';
import { daysBetween, isDay } from '../time/zone.js';
import { historyCheck, isCount, isUsableCounts, logScale, metricOf, robustScore, selectHistory, type ItemHistory } from './robust.js';
import { describe } from './stats.js';
import type {
  AnomalyMode,
  BaselineStats,
  CountKind,
  DetectionInput,
  DetectionResult,
  DetectorOutcome,
  Finding,
  ItemDay,
  ValueCount,
} from './types.js';

const COUNT_KINDS: readonly CountKind[] = ['association_count', 'association_activity'];
const MODES: readonly AnomalyMode[] = ['compatible', 'robust'];

export function detect(input: DetectionInput, settings: AnomalySettings): DetectionResult {
  if (!isDay(input.day)) throw new RangeError(`anomaly detection: day must be YYYY-MM-DD, got "${String(input.day)}"`);
  const { items, skipped } = usableItems(input.items);
  const history = selectHistory(input.day, input.history, settings);
  const findings: Finding[] = [];
  const outcomes: DetectorOutcome[] = [];

  for (const kind of COUNT_KINDS) {
    const kindSettings = countDetectorSettings(settings, kind);
    const stats = describe(items.map((it) => metricOf(kind, it)));
    for (const mode of MODES) {
      const severity = kindSettings[mode].severity;
      if (severity === 'disabled') {
        outcomes.push({ kind, mode, status: 'disabled' });
        continue;
      }
      const required = requiredPopulation(settings, kind, mode);
      if (!stats || stats.n < required) {
        outcomes.push({ kind, mode, status: 'insufficient_baseline', population: items.length, required });
        continue;
      }
      const found =
        mode === 'compatible' ? compatible(kind, items, stats, settings) : robust(kind, items, stats, history, settings);
      for (const f of found) findings.push({ ...f, severity });
      outcomes.push({ kind, mode, status: 'evaluated', population: items.length, findings: found.length });
    }
  }

  const fresh = newAssociations(input, items, settings);
  outcomes.push(fresh.outcome);
  findings.push(...fresh.findings);
  return {
    definition: input.definition,
    day: input.day,
    findings,
    outcomes,
    skippedItems: skipped,
    ignoredHistoryDays: history.ignoredDays,
  };
}

/** Fewest items for a population verdict of this detector. */
export function requiredPopulation(settings: AnomalySettings, kind: CountKind, mode: AnomalyMode): number {
  if (mode === 'robust') return settings.min_population;
  // With population σ, max z = √(n−1): z > k needs n − 1 > k², i.e. n ≥ ⌊k²⌋ + 2 (11 for k = 3).
  const k = countDetectorSettings(settings, kind).compatible.k;
  return Math.max(settings.min_population, Math.floor(k * k) + 2);
}

type Draft = Omit<Finding, 'severity'>;

/**
 * The source product's test, both conditions required:
 *   x > mean + k·σ   and   x > mean·(1 + marginalPct/100)
 * over all items of the day, the item itself included, σ the population standard deviation.
 */
function compatible(kind: CountKind, items: readonly ItemDay[], stats: BaselineStats, settings: AnomalySettings): Draft[] {
  const { k, marginal_pct: marginalPct } = countDetectorSettings(settings, kind).compatible;
  const out: Draft[] = [];
  for (const it of items) {
    const x = metricOf(kind, it);
    if (!(x > stats.mean + k * stats.stddev && x > stats.mean * (1 + marginalPct / 100))) continue;
    out.push(
      draft(kind, 'compatible', it, settings, {
        // σ > 0 here: with σ = 0 every value equals the mean and the first condition fails.
        score: (x - stats.mean) / stats.stddev,
        baseline: stats,
        thresholds: { k, marginalPct },
      }),
    );
  }
  return sortFindings(out);
}

/** Population modified z on log1p > threshold, confirmed by the item's own history when it has enough. */
function robust(
  kind: CountKind,
  items: readonly ItemDay[],
  stats: BaselineStats,
  history: ItemHistory,
  settings: AnomalySettings,
): Draft[] {
  const { threshold } = countDetectorSettings(settings, kind).robust;
  const scale = logScale(
    items.map((it) => metricOf(kind, it)),
    settings.robust.min_scale,
  );
  if (!scale) return [];
  const out: Draft[] = [];
  for (const it of items) {
    const score = robustScore(metricOf(kind, it), scale);
    if (!(score > threshold)) continue;
    const own = historyCheck(kind, it, history, settings);
    if (own && !(own.score > threshold)) continue; // usual for this item: not reported
    out.push(
      draft(kind, 'robust', it, settings, {
        score,
        baseline: { ...stats, log1p: scale },
        history: own,
        thresholds: { robustThreshold: threshold },
      }),
    );
  }
  return sortFindings(out);
}

function newAssociations(
  input: DetectionInput,
  items: readonly ItemDay[],
  settings: AnomalySettings,
): { outcome: DetectorOutcome; findings: Finding[] } {
  const { severity, learning_days: learningDays, min_new_values: minNewValues } = settings.new_associations;
  const base = { kind: 'new_associations' as const, mode: undefined };
  if (severity === 'disabled') return { outcome: { ...base, status: 'disabled' }, findings: [] };
  // Days of data before the analysed day, the first-seen day included: the first `learningDays`
  // days of a definition are learning, reports start on firstSeenDay + learningDays.
  const since = input.firstSeenDay === undefined ? undefined : daysBetween(input.firstSeenDay, input.day);
  const daysOfData = Math.max(0, since ?? 0);
  if (daysOfData < learningDays) {
    return { outcome: { ...base, status: 'learning', daysOfData, required: learningDays }, findings: [] };
  }
  const findings: Finding[] = [];
  for (const it of items) {
    const d = draft('new_associations', undefined, it, settings, { thresholds: { learningDays, minNewValues } });
    if (d.newValuesTotal >= minNewValues) findings.push({ ...d, severity });
  }
  sortFindings(findings);
  return { outcome: { ...base, status: 'evaluated', population: items.length, findings: findings.length }, findings };
}

function draft(
  kind: Finding['kind'],
  mode: AnomalyMode | undefined,
  it: ItemDay,
  settings: AnomalySettings,
  parts: Partial<Pick<Draft, 'score' | 'baseline' | 'history'>> & Pick<Draft, 'thresholds'>,
): Draft {
  const fresh = usableValues(it.newValues);
  const given = it.newValuesTotal;
  // The caller may have bounded the list; the total it reports wins when it is larger.
  const freshTotal = Math.max(fresh.length, isCount(given) ? Math.floor(given) : 0);
  const observed = kind === 'new_associations' ? freshTotal : metricOf(kind, it);
  const mean = parts.baseline?.mean;
  return {
    kind,
    mode,
    item: it.item,
    observed,
    score: parts.score,
    // mean = 0 means every value is 0, so the item is not above it: 0 %, never a division by zero.
    pctOverMean: mean === undefined ? undefined : mean > 0 ? ((observed - mean) / mean) * 100 : 0,
    baseline: parts.baseline,
    history: parts.history,
    thresholds: parts.thresholds,
    topValues: usableValues(it.top).slice(0, settings.evidence.top_values),
    newValues: fresh.slice(0, settings.new_associations.max_values),
    newValuesTotal: freshTotal,
  };
}

/** Highest first, then by item, so output order is stable across runs. */
function sortFindings<T extends Draft>(list: T[]): T[] {
  return list.sort((a, b) => b.observed - a.observed || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
}

/** Values with a string and a usable count, highest count first, then by value. */
function usableValues(values: readonly ValueCount[] | undefined): ValueCount[] {
  if (!Array.isArray(values)) return [];
  return values
    .filter((v) => typeof v?.value === 'string' && isCount(v.count))
    .map((v) => ({ value: v.value, count: v.count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** Items whose counts are usable, the first of any duplicated item key kept. */
function usableItems(all: readonly ItemDay[]): { items: ItemDay[]; skipped: number } {
  const seen = new Set<string>();
  const items: ItemDay[] = [];
  for (const it of all) {
    if (!isUsableCounts(it) || seen.has(it.item)) continue;
    seen.add(it.item);
    items.push(it);
  }
  return { items, skipped: all.length - items.length };
}
