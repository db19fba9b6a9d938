// `smf-agent backfill`: association data from an external message log, saved against a given
// date (the source product's "association data from external message logs").
//
//   file → lines → the same per-line processing as a live input (parse → normalize) → the
//   association stage with every observation filed under `date` → committed to the agent's
//   store in batches → association documents written at the end.
//
// The agent's store is used, so the backfilled counts join the live History; the agent must not
// be running on the same store (the store lock refuses that). A file already backfilled for the
// same date is refused (it would count twice) unless `force` is given.

import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import { isDay } from '../processors/associations/index.js';
import { createEnricher } from '../processors/enrich/index.js';
import { createAssociations } from './associations/index.js';
import type { AgentConfig, InputConfig } from './config/schema.js';
import { inputSchema } from './config/schema.js';
import { systemClock, type AgentContext } from './context.js';
import { SmfError } from './errors.js';
import { createClient } from './outputs/elasticsearch/client.js';
import { settingsOf } from './outputs/elasticsearch/index.js';
import type { PipelineEvent, RawLine } from './pipeline/event.js';
import { createLineProcessor } from './pipeline/processor.js';
import { StateStore } from './store/store.js';
import type { Logger } from './telemetry/logger.js';
import { createMetrics } from './telemetry/metrics.js';

export interface BackfillOptions {
  file: string;
  date: string; // YYYY-MM-DD
  format?: string;
  profile?: string;
  timezone?: string;
  force?: boolean;
  batchLines?: number;
}

export interface BackfillResult {
  lines: number;
  events: number;
  rejected: number;
  observations: number;
  pairsIndexed: number;
  durationMs: number;
  rejectReasons: Record<string, number>;
}

export async function backfill(config: AgentConfig, o: BackfillOptions, logger: Logger, progress: 'bar' | 'log' = process.stderr.isTTY ? 'bar' : 'log'): Promise<BackfillResult> {
  const t0 = Date.now();
  if (!isDay(o.date)) throw new SmfError('SMF_ERR_USAGE', `--date '${o.date}' is not a calendar date (YYYY-MM-DD)`);
  let size: number;
  try {
    size = statSync(o.file).size;
  } catch (err) {
    throw new SmfError('SMF_ERR_INPUT', `cannot read backfill input '${o.file}': ${(err as Error).message}`, { cause: err });
  }
  const parsedInput = inputSchema.safeParse({
    type: 'file',
    name: 'backfill',
    paths: [o.file],
    ...(o.format ? { format: o.format } : {}),
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.timezone ? { timezone: o.timezone } : {}),
  });
  if (!parsedInput.success) {
    throw new SmfError('SMF_ERR_USAGE', `invalid backfill options: ${parsedInput.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}`);
  }
  const input: InputConfig = parsedInput.data;
  const abort = new AbortController();
  const ctx: AgentContext = { logger, metrics: createMetrics(), clock: systemClock, signal: abort.signal };
  const store = StateStore.open(config.agent.data_dir);
  const client = createClient(settingsOf(config.output.elasticsearch));
  try {
    const fingerprint = await fileHash(o.file);
    const markKey = `backfill\u0000${o.date}\u0000${fingerprint}`;
    const meta = store.db<string>('meta');
    if (meta.get(markKey) && !o.force) {
      throw new SmfError('SMF_ERR_USAGE', `${o.file} was already backfilled for ${o.date} (${JSON.stringify(meta.get(markKey))}); counting it again would double its associations`, {
        hint: 'pass --force to count it again',
      });
    }
    const delivery = { retryInitialMs: config.output.elasticsearch.retry_initial_ms, retryMaxMs: config.output.elasticsearch.retry_max_ms };
    const assoc = createAssociations(config, ctx, store, client, delivery, { day: o.date });
    if (!assoc) throw new SmfError('SMF_ERR_USAGE', 'associations are disabled in this configuration (associations.enabled: false)');
    // The log's own session and logon records teach a fresh enricher (not the live agent's cache).
    const enricher = createEnricher(config.enrichment);
    const processor = createLineProcessor(input, config, ctx, (doc) => enricher.enrich(doc));
    const result: BackfillResult = { lines: 0, events: 0, rejected: 0, observations: 0, pairsIndexed: 0, durationMs: 0, rejectReasons: {} };
    const bar = progress === 'bar' ? new cliProgress.SingleBar({ format: 'backfill {bar} {percentage}% | {value}/{total} bytes | {lines} lines', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
    bar?.start(size, 0, { lines: 0 });
    let lastLog = Date.now();
    let bytes = 0;
    let batch: PipelineEvent[] = [];
    const flush = async () => {
      const obs = assoc.stage.takeBatch(batch);
      result.observations += obs.length;
      await store.commit(() => assoc.stage.apply(obs));
      batch = [];
    };
    let offset = 0;
    for await (const text of readLines(o.file)) {
      const lineBytes = Buffer.byteLength(text) + 1;
      const line: RawLine = { text, bytes: lineBytes, receivedAt: Date.now(), source: { input: 'backfill', path: o.file, offset, end: offset + lineBytes } };
      offset += lineBytes;
      bytes += lineBytes;
      result.lines++;
      const r = processor.process(line);
      if ('event' in r) {
        result.events++;
        batch.push(r.event);
      } else if ('deadLetter' in r) {
        result.rejected++;
        result.rejectReasons[r.deadLetter.code] = (result.rejectReasons[r.deadLetter.code] ?? 0) + 1;
      }
      if (batch.length >= (o.batchLines ?? 5000)) await flush();
      if (bar) bar.update(bytes, { lines: result.lines });
      else if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        logger.info(`backfill progress: ${((100 * bytes) / Math.max(1, size)).toFixed(1)}% (${result.lines} lines, ${result.events} events)`);
      }
    }
    await flush();
    bar?.update(size, { lines: result.lines });
    bar?.stop();
    await store.commit(() => meta.put(markKey, { file: basename(o.file), lines: result.lines, at: new Date().toISOString() }));
    await assoc.indexer.flush();
    result.pairsIndexed = assoc.indexer.stats.pairsIndexed;
    result.durationMs = Date.now() - t0;
    return result;
  } finally {
    abort.abort();
    await client.close();
    await store.close();
  }
}

async function* readLines(file: string): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const parts = (rest + (chunk as string)).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) yield p.endsWith('\r') ? p.slice(0, -1) : p;
  }
  if (rest.length > 0) yield rest;
}

async function fileHash(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex').slice(0, 32);
}
