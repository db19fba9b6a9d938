// The nightly anomaly job for one day: per loaded, enabled association definition,
//   store (reader.ts) ──► detect ──► anomalyDocuments ──► `index` op into anomalies.index
// then stale documents of earlier runs of the day are deleted by id, and one run document goes
// to anomalies.runs_index. Writes go through deliver(), so 429/5xx/unreachable are retried
// (until the agent stops); refused documents are reported, not retried.
//
// Re-running a day replaces its documents (deterministic ids). Stale ids are tracked per day in
// the store (meta.ts), crash-safe: before writing, the day's list becomes old ∪ new; after the
// stale ones are deleted, it becomes new. A crash in between leaves a superset, which the next
// run of the day cleans up.
//
// runDay never throws: a definition that fails is an error in the run document (status partial
// or failed); a shutdown during the run ends it as failed with `aborted` set. Runs are serialised.

import { setImmediate as yieldNow } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import {
  anomalyDocuments,
  detect,
  runDocument,
  type AnomalyKind,
  type DetectionResult,
  type RunStatus,
} from '../../processors/anomaly/index.js';
import type { CompiledDefinition, DefinitionError } from '../../processors/associations/index.js';
import type { LmdbAssocState } from '../associations/lmdb-state.js';
import type { AgentContext } from '../context.js';
import { describeError } from '../errors.js';
import { AbortedDelivery, deliver, type DeliveryOptions } from '../pipeline/delivery.js';
import type { PipelineEvent } from '../pipeline/event.js';
import type { Output } from '../pipeline/outcome.js';
import type { StateStore } from '../store/store.js';
import { settingsFor, type AnomaliesConfig } from './config.js';
import { AnomalyMeta, type IdsByDefinition } from './meta.js';
import { DailyStatsReader } from './reader.js';
import { deleteByIds } from './stale.js';

export type Trigger = 'schedule' | 'catch_up' | 'manual';

export interface JobDeps {
  ctx: AgentContext;
  store: StateStore;
  state: LmdbAssocState;
  /** Every loaded definition (disabled ones are skipped) and the ones that failed to load. */
  definitions: readonly CompiledDefinition[];
  loadErrors: readonly DefinitionError[];
  timeZone: string;
  anomalies: Output; // `index` op into config.index
  runs: Output; // `index` op into config.runs_index
  client: Client; // bulk deletes of stale anomaly documents
  delivery: DeliveryOptions;
}

export interface RunSummary {
  day: string;
  attempt: number;
  trigger: Trigger;
  status: RunStatus;
  /** The agent stopped during the run: nothing is final, the day must run again. */
  aborted: boolean;
  anomalies: Record<AnomalyKind, number> & { total: number };
  insufficientBaseline: string[];
  learning: string[];
  definitions: { analysed: number; failed: number };
  written: number;
  staleDeleted: number;
  errors: { definitionId: string; message: string }[];
  durationMs: number;
}

export class AnomalyJob {
  private readonly meta: AnomalyMeta;
  private readonly reader: DailyStatsReader;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: AnomaliesConfig,
    private readonly d: JobDeps,
  ) {
    this.meta = new AnomalyMeta(d.store);
    this.reader = new DailyStatsReader(d.store, d.state, config.baseline_days);
    const known = new Set(d.definitions.map((def) => def.id));
    for (const id of Object.keys(config.definitions)) {
      if (!known.has(id)) d.ctx.logger.warn(`anomalies.definitions.${id}: no association definition with this id is loaded; its settings are unused`);
    }
  }

  /** Analyses `day` (YYYY-MM-DD); waits for a run in progress first. Never rejects. */
  runDay(day: string, trigger: Trigger): Promise<RunSummary> {
    const run = this.lock.then(() => this.run(day, trigger));
    this.lock = run.catch(() => {});
    return run;
  }

  private async run(day: string, trigger: Trigger): Promise<RunSummary> {
    const { ctx } = this.d;
    const startedAt = ctx.clock.now();
    const s = emptySummary(day, trigger);
    try {
      s.attempt = await this.meta.nextAttempt(day);
      const results: DetectionResult[] = [];
      const docsByDef = new Map<string, { id: string; document: object }[]>();
      const firstDays = new Map<string, string>();
      const itemCounts = new Map<string, number>();
      const errors = s.errors;
      errors.push(...groupLoadErrors(this.d.loadErrors));
      for (const def of this.d.definitions) {
        if (!def.enabled) continue;
        try {
          const info = { id: def.id, name: def.name, field1Label: def.field1.label, field2Label: def.field2.label };
          const { input, scannedFirstDay } = this.reader.read(info, day);
          if (scannedFirstDay !== undefined) firstDays.set(def.id, scannedFirstDay);
          itemCounts.set(def.id, input.items.length);
          const result = detect(input, settingsFor(this.config, def.id));
          results.push(result);
          docsByDef.set(def.id, anomalyDocuments(result, { createdAt: ctx.clock.now(), timeZone: this.d.timeZone }));
        } catch (err) {
          errors.push({ definitionId: def.id, message: `analysis failed: ${describeError(err)}` });
        }
        await yieldNow(); // reads and statistics are synchronous: let the pipeline run between definitions
      }

      const previous = this.meta.ids(day);
      const produced: IdsByDefinition = {};
      const superset: IdsByDefinition = {};
      for (const [def, docs] of docsByDef) {
        produced[def] = docs.map((x) => x.id);
        superset[def] = [...new Set([...(previous[def] ?? []), ...produced[def]])];
      }
      await this.meta.saveIds(day, superset, firstDays);

      const events = [...docsByDef].flatMap(([def, docs]) => docs.map((x) => syntheticEvent(x.id, x.document, def, startedAt)));
      const delivered = await deliver(this.d.anomalies, events, this.d.delivery, ctx);
      s.written = delivered.delivered + delivered.duplicates;
      for (const [def, letters] of groupBy(delivered.deadLetters, (l) => l.line.source.input)) {
        const first = letters[0]!;
        errors.push({ definitionId: def, message: `${letters.length} anomaly documents refused by Elasticsearch (${first.code}: ${first.reason})` });
      }

      s.staleDeleted = await this.removeStale(day, previous, produced, itemCounts, errors);
      await this.meta.saveIds(day, produced);

      const finishedAt = ctx.clock.now();
      const parameters = { baseline_days: this.config.baseline_days, time_zone: this.d.timeZone, settings: this.config.settings, definitions: this.config.definitions };
      const run = runDocument({ day, attempt: s.attempt, trigger, startedAt, finishedAt, results, errors, parameters }, finishedAt);
      const runResult = await deliver(this.d.runs, [syntheticEvent(run.id, run.document, 'run', startedAt)], this.d.delivery, ctx);
      for (const l of runResult.deadLetters) ctx.logger.error(`anomaly run document for ${day} refused by Elasticsearch (${l.code}): ${l.reason}`);
      Object.assign(s, {
        status: run.document.run.status,
        anomalies: run.document.run.anomalies,
        insufficientBaseline: run.document.run.insufficient_baseline,
        learning: run.document.run.learning,
        definitions: run.document.run.definitions,
      });
      await this.meta.prune(day).catch((err) => ctx.logger.warn(`anomalies: pruning old job records failed: ${describeError(err)}`));
    } catch (err) {
      s.status = 'failed';
      s.aborted = err instanceof AbortedDelivery || ctx.signal.aborted;
      s.errors.push({ definitionId: '(run)', message: describeError(err) });
    }
    s.durationMs = Math.max(0, ctx.clock.now() - startedAt);
    this.log(s);
    return s;
  }

  /**
   * Deletes the ids earlier runs of `day` wrote that this run did not produce, per analysed
   * definition, and adjusts `produced` (the record to keep) for what must stay: the earlier
   * documents of a definition without any statistics for the day (expired by retention, or a
   * store copy without them: they cannot be re-checked), and ids whose deletion was refused (a
   * later run tries again). Returns the number deleted.
   */
  private async removeStale(
    day: string,
    previous: IdsByDefinition,
    produced: IdsByDefinition,
    itemCounts: ReadonlyMap<string, number>,
    errors: RunSummary['errors'],
  ): Promise<number> {
    const owner = new Map<string, string>(); // stale id → definition
    for (const [def, ids] of Object.entries(produced)) {
      const before = previous[def] ?? [];
      if (before.length > 0 && itemCounts.get(def) === 0) {
        this.d.ctx.logger.warn(`anomalies ${day}: no daily statistics for ${def}; keeping its ${before.length} earlier anomaly documents`);
        produced[def] = before;
        continue;
      }
      const keep = new Set(ids);
      for (const id of before) if (!keep.has(id)) owner.set(id, def);
    }
    const removed = await deleteByIds(this.d.client, this.config.index, [...owner.keys()], this.d.delivery, this.d.ctx);
    for (const [def, refused] of groupBy(removed.refused, (r) => owner.get(r.id)!)) {
      errors.push({ definitionId: def, message: `${refused.length} stale anomaly documents could not be deleted (${refused[0]!.reason})` });
      produced[def] = [...produced[def]!, ...refused.map((r) => r.id)];
    }
    return removed.deleted;
  }

  private log(s: RunSummary): void {
    const line = formatSummary(s);
    if (s.aborted) this.d.ctx.logger.warn(`${line}: interrupted by shutdown, the day runs again`);
    else if (s.status === 'success') this.d.ctx.logger.info(line);
    else this.d.ctx.logger.error(`${line}; errors: ${s.errors.map((e) => `${e.definitionId}: ${e.message}`).join('; ')}`);
  }
}

/** One line: what a person reading the log or the CLI output wants to know about a run. */
export function formatSummary(s: RunSummary): string {
  const kinds = (['association_count', 'association_activity', 'new_associations'] as const).map((k) => `${k} ${s.anomalies[k]}`).join(', ');
  return (
    `anomaly run ${s.day} (attempt ${s.attempt}, ${s.trigger}): ${s.status}, ${s.anomalies.total} anomalies (${kinds}) ` +
    `from ${s.definitions.analysed} definitions (${s.definitions.failed} failed), ${s.insufficientBaseline.length} insufficient baselines, ` +
    `${s.learning.length} learning, ${s.written} documents written, ${s.staleDeleted} stale deleted, ${s.durationMs} ms`
  );
}

/** The summary line, then one line per error and the detectors without a verdict, by definition (CLI output). */
export function formatReport(s: RunSummary): string {
  const lines = [formatSummary(s), ...s.errors.map((e) => `  error: ${e.definitionId}: ${e.message}`)];
  const byDef = groupBy(s.insufficientBaseline, (key) => key.split('/')[0]!);
  for (const [def, keys] of byDef) lines.push(`  insufficient baseline: ${def} (${keys.map((k) => k.split('/').slice(1).join('/')).join(', ')})`);
  return lines.join('\n');
}

function emptySummary(day: string, trigger: Trigger): RunSummary {
  return {
    day,
    attempt: 0,
    trigger,
    status: 'failed',
    aborted: false,
    anomalies: { association_count: 0, association_activity: 0, new_associations: 0, total: 0 },
    insufficientBaseline: [],
    learning: [],
    definitions: { analysed: 0, failed: 0 },
    written: 0,
    staleDeleted: 0,
    errors: [],
    durationMs: 0,
  };
}

/** Definitions that failed to load count as failed in every run: one error per definition id. */
function groupLoadErrors(errors: readonly DefinitionError[]): { definitionId: string; message: string }[] {
  return [...groupBy(errors, (e) => e.id)].map(([id, list]) => ({ definitionId: id, message: `not loaded: ${list.map((e) => e.message).join('; ')}` }));
}

function groupBy<T>(items: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}

/** Documents travel as pipeline events; `source.input` carries the definition id for error reports. */
function syntheticEvent(id: string, doc: object, input: string, now: number): PipelineEvent {
  return {
    id,
    doc: doc as PipelineEvent['doc'],
    json: JSON.stringify(doc),
    line: { text: '', bytes: 0, receivedAt: now, source: { input, offset: 0, end: 0 } },
  };
}
