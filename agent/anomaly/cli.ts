// `smf-agent anomalies --config <file> --date YYYY-MM-DD`: runs the nightly job for one day, by
// hand, over the agent's store (a re-run replaces the day's documents and removes stale ones).
//
// The store lock keeps this off a store a running agent holds: two writers of the job's records
// (attempts, id lists) would race. Stop the agent, or run against a copy of its data_dir.

import { isDay } from '../../processors/anomaly/index.js';
import type { AgentConfig } from '../config/schema.js';
import { systemClock, type AgentContext } from '../context.js';
import { isSmfError, SmfError } from '../errors.js';
import { createClient } from '../outputs/elasticsearch/client.js';
import { settingsOf } from '../outputs/elasticsearch/index.js';
import { isEmptyStoreDir, StateStore } from '../store/store.js';
import type { Logger } from '../telemetry/logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import { createAnomalyJob } from './index.js';
import type { RunSummary } from './job.js';
import { localDay } from './timing.js';

export async function runAnomaliesCommand(config: AgentConfig, date: string, logger: Logger): Promise<RunSummary> {
  if (!isDay(date)) throw new SmfError('SMF_ERR_USAGE', `--date '${date}' is not a calendar date (YYYY-MM-DD)`);
  if (!config.associations.enabled) {
    throw new SmfError('SMF_ERR_USAGE', 'associations are disabled in this configuration (associations.enabled: false): there is nothing to analyse');
  }
  const today = localDay(systemClock.now(), config.agent.timezone);
  if (date > today) throw new SmfError('SMF_ERR_USAGE', `--date ${date} is in the future (today is ${today} in ${config.agent.timezone})`);
  if (date === today) logger.warn(`anomalies: ${date} is today and not over yet; its counts are partial`);
  const dir = config.agent.data_dir;
  // Opening an empty directory would create a new, empty store and analyse nothing.
  if (isEmptyStoreDir(dir)) {
    throw new SmfError('SMF_ERR_STORE_MISSING', `no state store in ${dir}: the anomaly job analyses the association state an agent has built there`, {
      hint: "use the agent's configuration (agent.data_dir)",
    });
  }
  let store: StateStore;
  try {
    store = StateStore.open(dir);
  } catch (err) {
    if (!isSmfError(err, 'SMF_ERR_STORE_LOCKED')) throw err;
    throw new SmfError('SMF_ERR_STORE_LOCKED', `${err.message}: an agent is running on this store`, {
      cause: err,
      hint: 'stop the agent first, or copy its data_dir and run against the copy (a config whose agent.data_dir points at it)',
    });
  }
  const abort = new AbortController();
  const ctx: AgentContext = { logger, metrics: createMetrics(), clock: systemClock, signal: abort.signal };
  const es = config.output.elasticsearch;
  const client = createClient(settingsOf(es));
  try {
    const job = createAnomalyJob(config, ctx, store, client, { delivery: { retryInitialMs: es.retry_initial_ms, retryMaxMs: es.retry_max_ms } });
    return await job.runDay(date, 'manual');
  } finally {
    abort.abort();
    await client.close();
    await store.close();
  }
}
