// Nightly anomaly detection in the agent (domain.md §5, docs/anomalies.md): builds the job and
// its scheduler from the frozen config.
//
//   scheduler.ts ── when (timing.ts: run_after in agent.timezone, catch-up, retries)
//     └─ job.ts ── per day: reader.ts (store → DetectionInput) → processors/anomaly (detect,
//                  documents) → Elasticsearch (`index` op; stale ids deleted by stale.ts)
//                  → run document; job records in the store's meta (meta.ts)
//
// The pure statistics live in processors/anomaly; this folder only reads state, schedules and writes.

import type { Client } from '@elastic/elasticsearch';
import type { AgentConfig } from '../config/schema.js';
import type { AgentContext } from '../context.js';
import type { Associations } from '../associations/index.js';
import { loadDefinitions } from '../associations/loader.js';
import { LmdbAssocState } from '../associations/lmdb-state.js';
import { ElasticsearchOutput } from '../outputs/elasticsearch/index.js';
import type { DeliveryOptions } from '../pipeline/delivery.js';
import type { StateStore } from '../store/store.js';
import { AnomalyJob } from './job.js';
import { AnomalyMeta } from './meta.js';
import { DailyStatsReader, firstDayKey } from './reader.js';
import { AnomalyScheduler } from './scheduler.js';

export { anomaliesSchema, type AnomaliesConfig } from './config.js';
export { AnomalyJob, formatReport, formatSummary, type RunSummary, type Trigger } from './job.js';
export { AnomalyScheduler } from './scheduler.js';

export interface AnomalyJobOptions {
  delivery: DeliveryOptions;
  /** The running agent's association runtime (its definitions and state); loaded here otherwise. */
  associations?: Pick<Associations, 'loaded' | 'state'>;
}

/** The job over `store`, writing with `client` into the configured indices. */
export function createAnomalyJob(config: AgentConfig, ctx: AgentContext, store: StateStore, client: Client, opts: AnomalyJobOptions): AnomalyJob {
  const a = config.anomalies;
  const es = config.output.elasticsearch;
  const loaded = opts.associations?.loaded ?? loadDefinitions(config.associations);
  if (a.baseline_days > config.associations.retention_days) {
    ctx.logger.warn(
      `anomalies.baseline_days (${a.baseline_days}) exceeds associations.retention_days (${config.associations.retention_days}): ` +
        'daily statistics older than the retention are deleted, so item baselines will be shorter',
    );
  }
  return new AnomalyJob(a, {
    ctx,
    store,
    state: opts.associations?.state ?? new LmdbAssocState(store),
    definitions: loaded.definitions,
    loadErrors: loaded.errors,
    timeZone: config.agent.timezone,
    // Anomaly and run documents are replaced on re-runs: `index`, not `create`.
    anomalies: new ElasticsearchOutput({ ...es, index: a.index, concurrency: 1 }, ctx, client, { op: 'index', name: 'anomalies' }),
    runs: new ElasticsearchOutput({ ...es, index: a.runs_index, concurrency: 1 }, ctx, client, { op: 'index', name: 'anomaly-runs' }),
    client,
    delivery: opts.delivery,
  });
}

/**
 * The scheduled job inside a running agent, over the agent's association runtime; undefined when
 * anomalies are disabled or there are no associations (then there are no daily statistics).
 */
export function createAnomalies(
  config: AgentConfig,
  ctx: AgentContext,
  store: StateStore,
  client: Client,
  delivery: DeliveryOptions,
  associations: Pick<Associations, 'loaded' | 'state'> | undefined,
): AnomalyScheduler | undefined {
  if (!config.anomalies.enabled || !associations) return undefined;
  const job = createAnomalyJob(config, ctx, store, client, { delivery, associations });
  const meta = new AnomalyMeta(store);
  const reader = new DailyStatsReader(store, associations.state, config.anomalies.baseline_days);
  const metaDb = store.db<string>('meta');
  return new AnomalyScheduler(config.anomalies, config.agent.timezone, {
    ctx,
    runDay: (day, trigger) => job.runDay(day, trigger),
    lastDay: () => meta.lastDay(),
    markDone: (day) => meta.markDone(day),
    firstDataDay: () => {
      const days = associations.loaded.definitions.flatMap((d) => [reader.scanFirstDay(d.id), metaDb.get(firstDayKey(d.id)) as string | undefined]);
      return days.filter((d): d is string => d !== undefined).sort()[0];
    },
  });
}
