// Anomaly documents: one per finding, explaining itself (observed value, baseline, thresholds,
// score, evidence, one readable sentence), with an `_id` derived from what the finding is about
// so re-running a day overwrites its documents instead of adding copies.
//
// Times: `@timestamp` is the *start* of the analysed day in the configured time zone, so Kibana
// files the anomaly under the day it describes (the end instant is the next day's midnight and
// would land it on the following day). `event.created` is when the document was built; alert
// rules select on it, because documents are written hours after the day they describe.
// Mapped by mappings/anomalies.json (index template for smf-anomalies*, `dynamic: strict`).

import { createHash } from 'node:crypto';

import { dayStart } from '../time/zone.js';
import type { AnomalyKind, AnomalyMode, DefinitionInfo, DetectionResult, Finding, Severity, ValueCount } from './types.js';

/** Numeric `event.severity`, on the 0–100 risk-score scale of Kibana detection rules. */
export const SEVERITY_SCORE: Readonly<Record<Exclude<Severity, 'disabled'>, number>> = Object.freeze({
  low: 21,
  medium: 47,
  high: 73,
  critical: 99,
});

interface Baseline {
  n: number;
  mean: number;
  stddev: number;
  median: number;
  mad: number;
  log1p?: { median: number; mad: number; scale: number };
}

export interface AnomalyDocument {
  '@timestamp': string;
  message: string;
  event: {
    kind: 'alert';
    module: 'smf';
    dataset: 'smf.anomaly';
    category: ['intrusion_detection'];
    type: ['indicator'];
    created: string;
    severity: number;
  };
  anomaly: {
    kind: AnomalyKind;
    mode?: AnomalyMode; // absent for new_associations
    day: string;
    severity: Exclude<Severity, 'disabled'>;
    observed: number;
    score?: number;
    pct_over_mean?: number;
    baseline?: Baseline; // the day's population, raw values (log1p scale for robust mode)
    history?: Baseline & { days: number; window_days: number; baseline_days: 'all' | 'same-kind'; score: number };
    thresholds: {
      k?: number;
      marginal_pct?: number;
      robust_threshold?: number;
      learning_days?: number;
      min_new_values?: number;
    };
  };
  association: {
    definition: { id: string; name: string };
    field1: { label: string; value: string };
    field2: { label: string };
  };
  evidence: { top_values: ValueCount[]; new_values: ValueCount[]; new_values_total: number };
}

export interface DocumentContext {
  /** Epoch ms of writing (the agent's injected clock): becomes `event.created`. */
  createdAt: number;
  /** IANA zone of the local day, as configured for associations. */
  timeZone: string;
}

/** Deterministic `_id` of an anomaly: same definition, day, kind, mode and item → same id. */
export function anomalyId(definitionId: string, day: string, kind: AnomalyKind, mode: AnomalyMode | undefined, item: string): string {
  return hashId(['smf-anomaly/1', definitionId, day, kind, mode ?? '', item]);
}

/** base64url SHA-256 of a JSON array: no separator inside a value can make two keys collide. */
export function hashId(parts: readonly (string | number)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/** Every finding of a detection result as `{ id, document }`, in the result's order. */
export function anomalyDocuments(result: DetectionResult, ctx: DocumentContext): { id: string; document: AnomalyDocument }[] {
  const timestamp = dayStart(result.day, ctx.timeZone);
  const created = new Date(ctx.createdAt).toISOString();
  return result.findings.map((f) => ({
    id: anomalyId(result.definition.id, result.day, f.kind, f.mode, f.item),
    document: anomalyDocument(f, result.definition, result.day, timestamp, created),
  }));
}

function anomalyDocument(f: Finding, def: DefinitionInfo, day: string, timestamp: string, created: string): AnomalyDocument {
  const t = f.thresholds;
  return {
    '@timestamp': timestamp,
    message: describeFinding(f, def, day),
    event: {
      kind: 'alert',
      module: 'smf',
      dataset: 'smf.anomaly',
      category: ['intrusion_detection'],
      type: ['indicator'],
      created,
      severity: SEVERITY_SCORE[f.severity],
    },
    anomaly: {
      kind: f.kind,
      ...(f.mode === undefined ? {} : { mode: f.mode }),
      day,
      severity: f.severity,
      observed: f.observed,
      ...(f.score === undefined ? {} : { score: f.score }),
      ...(f.pctOverMean === undefined ? {} : { pct_over_mean: f.pctOverMean }),
      ...(f.baseline === undefined ? {} : { baseline: { ...f.baseline } }),
      ...(f.history === undefined
        ? {}
        : {
            history: {
              ...f.history.stats,
              log1p: f.history.log1p,
              days: f.history.days,
              window_days: f.history.windowDays,
              baseline_days: f.history.baselineDays,
              score: f.history.score,
            },
          }),
      thresholds: {
        ...(t.k === undefined ? {} : { k: t.k }),
        ...(t.marginalPct === undefined ? {} : { marginal_pct: t.marginalPct }),
        ...(t.robustThreshold === undefined ? {} : { robust_threshold: t.robustThreshold }),
        ...(t.learningDays === undefined ? {} : { learning_days: t.learningDays }),
        ...(t.minNewValues === undefined ? {} : { min_new_values: t.minNewValues }),
      },
    },
    association: {
      definition: { id: def.id, name: def.name },
      field1: { label: def.field1Label, value: f.item },
      field2: { label: def.field2Label },
    },
    evidence: { top_values: f.topValues, new_values: f.newValues, new_values_total: f.newValuesTotal },
  };
}

const MESSAGE_VALUES = 5; // new values named in the sentence; the document lists more

/** One sentence a reader understands without the rest of the document. */
export function describeFinding(f: Finding, def: DefinitionInfo, day: string): string {
  const who = `${def.name}: ${def.field1Label} ${f.item}`;
  if (f.kind === 'new_associations') {
    const shown = f.newValues.slice(0, MESSAGE_VALUES).map((v) => v.value);
    const more = f.newValuesTotal - shown.length;
    const list = shown.length === 0 ? '' : `: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
    return `${who} was associated with ${f.newValuesTotal} new ${def.field2Label} ${plural(f.newValuesTotal, 'value')} on ${day}${list}.`;
  }
  const what =
    f.kind === 'association_count'
      ? `had ${num(f.observed)} distinct ${def.field2Label} ${plural(f.observed, 'value')}`
      : `had ${num(f.observed)} associated ${plural(f.observed, 'message')}`;
  const b = f.baseline;
  if (!b) return `${who} ${what} on ${day}.`;
  if (f.mode === 'compatible') {
    return (
      `${who} ${what} on ${day}, ${num(f.score ?? 0)} standard deviations above the mean of ${num(b.mean)} ` +
      `across ${b.n} items and ${num(f.pctOverMean ?? 0)}% over it (thresholds ${num(f.thresholds.k ?? 0)}σ and ${num(f.thresholds.marginalPct ?? 0)}%).`
    );
  }
  const vsMedian = b.median > 0 ? `${num(f.observed / b.median)}× the median of ${num(b.median)}` : `against a median of ${num(b.median)}`;
  const own = f.history
    ? `; ${num(f.history.score)} against its own median of ${num(f.history.stats.median)} over ${f.history.days} active days`
    : '';
  return `${who} ${what} on ${day}, ${vsMedian} across ${b.n} items (robust score ${num(f.score ?? 0)} > ${num(f.thresholds.robustThreshold ?? 0)}${own}).`;
}

/** Integers as they are, other numbers to two decimals: deterministic, locale-free. */
function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(2)));
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
