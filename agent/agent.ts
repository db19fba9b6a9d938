// The running agent: builds every component from the frozen config and owns the lifecycle.
// Start order: store → output → pipeline → inputs. Stop in reverse, so each stage drains into a
// consumer that still runs: inputs stop reading, the pipeline finishes (or, after the shutdown
// timeout, abandons) what it holds, then output and store close. stop() is idempotent.

import type { AgentConfig } from './config/schema.js';
import { systemClock, type AgentContext, type Clock } from './context.js';
import { describeError, SmfError } from './errors.js';
import { createInput } from './inputs/index.js';
import type { Input } from './inputs/input.js';
import { DeadLetterWriter } from './outputs/deadletter.js';
import { ElasticsearchOutput } from './outputs/elasticsearch/index.js';
import { createLineProcessor } from './pipeline/processor.js';
import { Pipeline, type LineProcessor } from './pipeline/pipeline.js';
import { StateStore } from './store/store.js';
import { createAssociations, type Associations } from './associations/index.js';
import { createAnomalies } from './anomaly/index.js';
import type { StatefulStage } from './pipeline/stage.js';
import { MonitoringServer } from './telemetry/http.js';
import { EnrichmentStage } from './enrich/stage.js';
import type { Logger } from './telemetry/logger.js';
import { createMetrics, type Metrics } from './telemetry/metrics.js';

export interface RunningAgent {
  readonly ctx: AgentContext;
  readonly pipeline: Pipeline;
  /** The agent's state store (read-only use from outside: committed positions, association state). */
  readonly store: StateStore;
  /** Present when associations are enabled. */
  readonly associations: Associations | undefined;
  /** Resolves with the exit code once the agent has stopped (by stop() or a fatal error). */
  readonly done: Promise<number>;
  stop(reason?: string): Promise<number>;
}

export async function startAgent(config: AgentConfig, opts: { logger: Logger; resetState?: boolean; clock?: Clock; metrics?: Metrics }): Promise<RunningAgent> {
  const abort = new AbortController();
  const ctx: AgentContext = { logger: opts.logger, metrics: opts.metrics ?? createMetrics(), clock: opts.clock ?? systemClock, signal: abort.signal };
  const store = StateStore.open(config.agent.data_dir, { reset: opts.resetState ?? false });
  const es = config.output.elasticsearch;
  const output = new ElasticsearchOutput(es, ctx);
  const delivery = { retryInitialMs: es.retry_initial_ms, retryMaxMs: es.retry_max_ms };
  try {
    await probeElasticsearch(output, ctx.logger);
  } catch (err) {
    await output.close();
    await store.close();
    throw err;
  }
  const dlOutput = config.dead_letter.index ? new ElasticsearchOutput({ ...es, index: config.dead_letter.index, concurrency: 1 }, ctx, output.client, { name: 'dead-letter' }) : undefined;
  const deadLetters = new DeadLetterWriter(ctx, { ...(config.dead_letter.file ? { file: config.dead_letter.file } : {}), ...(dlOutput ? { output: dlOutput } : {}), delivery });

  let enrichment: EnrichmentStage;
  try {
    enrichment = new EnrichmentStage(config.enrichment, ctx, store);
  } catch (err) {
    await output.close();
    await store.close();
    throw err;
  }
  const inputs = new Map<string, Input>();
  const processors = new Map<string, LineProcessor>();
  for (const ic of config.inputs) {
    inputs.set(ic.name, createInput(ic, ctx, store));
    processors.set(ic.name, createLineProcessor(ic, config, ctx, enrichment.enrich));
  }
  // Enrichment first: association observations read the enriched documents.
  const stages: StatefulStage[] = [enrichment];
  const associations = createAssociations(config, ctx, store, output.client, delivery);
  if (associations) stages.push(associations.stage);
  const anomalies = createAnomalies(config, ctx, store, output.client, delivery, associations);
  let fatal: unknown;
  let stopping: Promise<number> | undefined;
  const pipeline = new Pipeline(ctx, config.pipeline, delivery, {
    store,
    output,
    deadLetters,
    processors,
    inputs,
    stages,
    onFatal: (err) => {
      fatal = err;
      void stop('fatal pipeline error');
    },
  });
  pipeline.start();
  enrichment.start();
  associations?.indexer.start();
  anomalies?.start(); // catches up missed days in the background, then runs nightly
  for (const input of inputs.values()) input.start(pipeline.sink);
  ctx.logger.info(`agent started: ${inputs.size} input(s), store ${store.dir} (agent id ${store.info.agentId})`);
  const startedAt = ctx.clock.now();
  const monitoring = config.monitoring.enabled
    ? new MonitoringServer(ctx.metrics.registry, {
        health: () => ({
          ok: stopping === undefined && fatal === undefined,
          details: { uptime_s: Math.round((ctx.clock.now() - startedAt) / 1000), queue_events: pipeline.queue.size, ...pipeline.stats },
        }),
      })
    : undefined;
  // A taken port must not stop the shipping of security events: log it and run without monitoring.
  await monitoring?.start(config.monitoring.host, config.monitoring.port).then(
    (port) => ctx.logger.info(`monitoring on http://${config.monitoring.host}:${port}/metrics and /health`),
    (err: unknown) => ctx.logger.error(`monitoring endpoint not started on ${config.monitoring.host}:${config.monitoring.port}: ${describeError(err)}`),
  );

  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));

  function stop(reason = 'stop requested'): Promise<number> {
    stopping ??= (async () => {
      ctx.logger.info(`stopping: ${reason}`);
      const timer = setTimeout(() => {
        ctx.logger.warn(`shutdown timeout (${config.agent.shutdown_timeout_ms} ms): abandoning undelivered batches; they will be re-read on restart`);
        abort.abort();
      }, config.agent.shutdown_timeout_ms);
      await Promise.all([...inputs.values()].map((i) => i.stop()));
      await pipeline.drain();
      await anomalies?.stop(); // waits for a running day (aborted by the shutdown timeout)
      await associations?.indexer.stop();
      clearTimeout(timer);
      abort.abort();
      enrichment.stop();
      await monitoring?.stop();
      await deadLetters.close();
      await output.close();
      await store.close();
      const s = pipeline.stats;
      ctx.logger.info(`stopped: ${s.events} lines, ${s.delivered} indexed, ${s.duplicates} duplicates, ${s.deadLettered} dead-lettered`);
      const code = fatal ? 1 : 0;
      resolveDone(code);
      return code;
    })();
    return stopping;
  }
  return { ctx, pipeline, store, associations, done, stop };
}

/**
 * A startup check. Wrong credentials or an untrusted certificate are configuration errors: fail
 * fast with a clear message. An unreachable cluster is not: log it, start, and let delivery wait.
 */
async function probeElasticsearch(output: ElasticsearchOutput, logger: Logger): Promise<void> {
  try {
    await output.client.cluster.health({ timeout: '5s' }, { requestTimeout: 10_000 });
  } catch (err) {
    const e = err as { name?: string; meta?: { statusCode?: number }; message?: string };
    const hosts = output.client.connectionPool.connections.map((c) => c.url.origin).join(', ');
    if (e.meta?.statusCode === 401 || e.meta?.statusCode === 403) {
      throw new SmfError('SMF_ERR_ES_AUTH', `Elasticsearch at ${hosts} refused the credentials (HTTP ${e.meta.statusCode})`, {
        hint: 'check output.elasticsearch.username/password or api_key',
      });
    }
    if (/certificate|self[- ]signed|CERT_|unable to verify/i.test(e.message ?? '')) {
      throw new SmfError('SMF_ERR_ES_TLS', `TLS certificate of Elasticsearch at ${hosts} could not be verified: ${describeError(err)}`, {
        hint: 'set output.elasticsearch.ca_cert to the CA that signed the server certificate',
      });
    }
    logger.warn(`Elasticsearch at ${hosts} is not reachable yet (${describeError(err)}); events will wait in the pipeline`);
  }
}

