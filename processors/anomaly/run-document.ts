// The run document: one per analysed day and attempt, saying what the nightly job did: its
// parameters, the findings per kind, which detectors had too small a population or were still
// learning, which definitions failed, and how long it took. Indexed into smf-anomaly-runs*
// (mappings/anomaly-runs.json), apart from the anomalies so alert rules never match a run.
//
// Identity: `_id` = hash(day, attempt). The caller persists the attempt number per day and
// increments it before each new run of that day, so every run stays on record; a run that
// crashed before its attempt was saved reuses the number and replaces its partial document.
// `@timestamp` is the run's start (runs are looked up by when they ran); `run.day` is the day.

import { hashId } from './documents.js';
import type { AnomalyKind, AnomalyMode, DetectionResult } from './types.js';

export interface RunInput {
  day: string; // YYYY-MM-DD analysed
  attempt: number; // 1, 2, … per day; see the identity note above
  trigger: 'schedule' | 'catch_up' | 'manual';
  startedAt: number; // epoch ms
  finishedAt: number; // epoch ms
  results: readonly DetectionResult[];
  /** Definitions that could not be analysed (load or state errors); the others still were. */
  errors: readonly { definitionId: string; message: string }[];
  /** The effective settings (defaults and per-definition overrides), stored for the record, not indexed. */
  parameters: Record<string, unknown>;
}

export type RunStatus = 'success' | 'partial' | 'failed';

export interface RunOutcomeRow {
  definition_id: string;
  kind: AnomalyKind;
  mode?: AnomalyMode;
  status: 'disabled' | 'evaluated' | 'insufficient_baseline' | 'learning';
  population?: number;
  required?: number;
  findings?: number;
  days_of_data?: number;
}

export interface RunDocument {
  '@timestamp': string;
  message: string;
  event: {
    kind: 'event';
    module: 'smf';
    dataset: 'smf.anomaly_run';
    created: string;
    start: string;
    end: string;
    duration: number; // nanoseconds, as ECS defines it
    outcome: 'success' | 'failure';
  };
  run: {
    day: string;
    attempt: number;
    trigger: RunInput['trigger'];
    status: RunStatus;
    definitions: { analysed: number; failed: number };
    anomalies: Record<AnomalyKind, number> & { total: number };
    /** "<definition id>/<kind>/<mode>" of detectors that gave no verdict for lack of items. */
    insufficient_baseline: string[];
    /** "<definition id>/new_associations" of definitions still in their learning period. */
    learning: string[];
    outcomes: RunOutcomeRow[];
    errors: { definition_id: string; message: string }[];
    skipped_items: number;
    ignored_history_days: number;
    parameters: Record<string, unknown>;
  };
}

export function runId(day: string, attempt: number): string {
  return hashId(['smf-anomaly-run/1', day, attempt]);
}

/**
 * success: every definition analysed; partial: some failed; failed: none analysed while some
 * were configured. A day with no definitions at all is a success with nothing to report.
 */
export function runStatus(analysed: number, failed: number): RunStatus {
  if (failed === 0) return 'success';
  return analysed === 0 ? 'failed' : 'partial';
}

export function runDocument(input: RunInput, createdAt: number): { id: string; document: RunDocument } {
  const anomalies = { association_count: 0, association_activity: 0, new_associations: 0, total: 0 };
  const outcomes: RunOutcomeRow[] = [];
  const insufficient: string[] = [];
  const learning: string[] = [];
  let skipped = 0;
  let ignored = 0;
  for (const r of input.results) {
    skipped += r.skippedItems;
    ignored += r.ignoredHistoryDays;
    for (const f of r.findings) {
      anomalies[f.kind] += 1;
      anomalies.total += 1;
    }
    for (const o of r.outcomes) {
      const key = [r.definition.id, o.kind, ...(o.mode ? [o.mode] : [])].join('/');
      const row: RunOutcomeRow = { definition_id: r.definition.id, kind: o.kind, status: o.status };
      if (o.mode) row.mode = o.mode;
      if (o.status === 'evaluated') Object.assign(row, { population: o.population, findings: o.findings });
      if (o.status === 'insufficient_baseline') {
        Object.assign(row, { population: o.population, required: o.required });
        insufficient.push(key);
      }
      if (o.status === 'learning') {
        Object.assign(row, { days_of_data: o.daysOfData, required: o.required });
        learning.push(key);
      }
      outcomes.push(row);
    }
  }
  const status = runStatus(input.results.length, input.errors.length);
  const durationMs = Math.max(0, input.finishedAt - input.startedAt);
  const message =
    `Anomaly run for ${input.day} (attempt ${input.attempt}, ${input.trigger}): ${status}, ` +
    `${anomalies.total} anomalies from ${input.results.length} definitions` +
    (input.errors.length > 0 ? `, ${input.errors.length} failed` : '') +
    (insufficient.length > 0 ? `, ${insufficient.length} detectors with too few items` : '') +
    ` in ${durationMs} ms.`;
  const document: RunDocument = {
    '@timestamp': new Date(input.startedAt).toISOString(),
    message,
    event: {
      kind: 'event',
      module: 'smf',
      dataset: 'smf.anomaly_run',
      created: new Date(createdAt).toISOString(),
      start: new Date(input.startedAt).toISOString(),
      end: new Date(input.finishedAt).toISOString(),
      duration: durationMs * 1_000_000,
      outcome: status === 'success' ? 'success' : 'failure',
    },
    run: {
      day: input.day,
      attempt: input.attempt,
      trigger: input.trigger,
      status,
      definitions: { analysed: input.results.length, failed: input.errors.length },
      anomalies,
      insufficient_baseline: insufficient,
      learning,
      outcomes,
      errors: input.errors.map((e) => ({ definition_id: e.definitionId, message: e.message })),
      skipped_items: skipped,
      ignored_history_days: ignored,
      parameters: input.parameters,
    },
  };
  return { id: runId(input.day, input.attempt), document };
}
