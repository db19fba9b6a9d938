// Feeds for the end-to-end benchmark, built before anything is timed:
//   feed.log      exactly N simulated lines of one wire format (processors/simulate, written with
//                 the simulator CLI's writeLines), 14 days ending yesterday so every event is
//                 inside the association retention; the volume is set through events per day, so
//                 doubling N doubles the activity of the same population;
//   docs.tsv      the agent's own documents for those lines, "<_id>\t<JSON>" per line: the same
//                 line processor (parse → normalize → enrich) and the same deterministic ids, so
//                 the raw-bulk ceiling indexes exactly what the agent would;
//   pino.jsonl    the lines as pino-elasticsearch needs them (JSON objects): JSON lines as they
//                 are, any other line wrapped as {"message": line}.

import { createReadStream, mkdirSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeLines } from '../../agent/cli/simulate.js';
import { parseConfig } from '../../agent/config/load.js';
import type { AgentConfig } from '../../agent/config/schema.js';
import type { RawLine } from '../../agent/pipeline/event.js';
import { createLineProcessor } from '../../agent/pipeline/processor.js';
import { silentLogger } from '../../agent/telemetry/logger.js';
import { createEnricher } from '../../processors/enrich/index.js';
import { simulate, type ConcreteFormat, type SimLine } from '../../processors/simulate/index.js';

export const FEED_DAYS = 14;

export interface FeedOptions {
  format: ConcreteFormat;
  lines: number;
  users: number;
  seed: number;
  timezone: string;
  /** The agent configuration the feed will be shipped with (decoding keys of its one input). */
  config: AgentConfig;
}

export interface Feed {
  format: ConcreteFormat;
  dir: string;
  path: string; // feed.log
  docsPath: string; // docs.tsv
  pinoPath: string; // pino.jsonl
  lines: number;
  bytes: number;
  /** Lines the agent's processor refused (dead letters): they never reach the events index. */
  rejected: number;
  docBytes: number;
  /** What pino-elasticsearch was given: the lines as they are, or wrapped. */
  pinoInput: 'json lines as they are' | 'each line wrapped as {"message": line}';
  eventsPerDay: number;
  start: string;
}

/** The first `n` items of an iterable. */
function* take<T>(items: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  let i = 0;
  for (const x of items) {
    yield x;
    if (++i >= n) return;
  }
}

function localDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Writes feed.log with exactly `o.lines` lines into `dir`, then docs.tsv and pino.jsonl beside it. */
export async function makeFeed(dir: string, o: FeedOptions): Promise<Feed> {
  mkdirSync(dir, { recursive: true });
  const start = localDate(Date.now() - (FEED_DAYS + 1) * 86_400_000);
  const path = join(dir, 'feed.log');
  // Weekends are quieter than the weekday target: ask for more than needed and cut at N.
  let eventsPerDay = Math.ceil(o.lines / 8);
  let lines = 0;
  for (let attempt = 0; attempt < 4 && lines < o.lines; attempt++, eventsPerDay = Math.ceil(eventsPerDay * 1.6)) {
    const sim = simulate({ seed: o.seed, start, days: FEED_DAYS, users: o.users, format: o.format, timezone: o.timezone, eventsPerDay, incidents: [] });
    lines = writeLines(take<SimLine>(sim, o.lines), () => path).lines;
  }
  if (lines < o.lines) throw new Error(`the simulator gave only ${lines} ${o.format} lines, ${o.lines} asked`);

  const docsPath = join(dir, 'docs.tsv');
  const pinoPath = join(dir, 'pino.jsonl');
  const built = await buildDocuments(path, docsPath, pinoPath, o);
  return {
    format: o.format,
    dir,
    path,
    docsPath,
    pinoPath,
    lines,
    bytes: statSync(path).size,
    rejected: built.rejected,
    docBytes: built.docBytes,
    pinoInput: o.format === 'json' ? 'json lines as they are' : 'each line wrapped as {"message": line}',
    eventsPerDay,
    start,
  };
}

/** The agent's documents for the feed (same processor, ids and enrichment order as the agent's). */
async function buildDocuments(path: string, docsPath: string, pinoPath: string, o: FeedOptions): Promise<{ rejected: number; docBytes: number }> {
  const input = o.config.inputs[0]!;
  const enricher = createEnricher(o.config.enrichment);
  const processor = createLineProcessor(input, o.config, { logger: silentLogger() }, (doc) => enricher.enrich(doc));
  const docs = createWriteStream(docsPath);
  const pino = createWriteStream(pinoPath);
  const write = async (stream: NodeJS.WritableStream, text: string) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  let offset = 0;
  let rejected = 0;
  let docBytes = 0;
  let n = 0;
  const batch = o.config.pipeline.batch_max_events;
  const receivedAt = Date.now();
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    const bytes = Buffer.byteLength(text) + 1;
    // The identity stands for the file fingerprint the agent computes: ids are just as deterministic.
    const raw: RawLine = { text, bytes, receivedAt, source: { input: input.name, identity: `bench-${o.format}`, path, offset, end: offset + bytes } };
    offset += bytes;
    const r = processor.process(raw);
    if ('event' in r && r.event) {
      docBytes += r.event.json.length;
      await write(docs, `${r.event.id}\t${r.event.json}\n`);
    } else if ('deadLetter' in r) {
      rejected++;
    }
    await write(pino, o.format === 'json' ? `${text}\n` : `${JSON.stringify({ message: text })}\n`);
    if (++n % batch === 0) enricher.takeChanges(); // the agent hands the cache changes to its store per batch
  }
  docs.end();
  pino.end();
  await Promise.all([once(docs, 'close'), once(pino, 'close')]);
  return { rejected, docBytes };
}

/** Connection keys as ${ENV} references (the file holds no secret), for the variables that are set. */
function credentialRefs(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const refs: Record<string, string> = {};
  if (env.ES_API_KEY) refs.api_key = '${ES_API_KEY}';
  else if (env.ES_USERNAME) Object.assign(refs, { username: '${ES_USERNAME}', password: '${ES_PASSWORD:-}' });
  if (env.ES_CA_CERT) refs.ca_cert = '${ES_CA_CERT}';
  return refs;
}

/** The agent configuration shared by the document build and the agent runs (JSON is YAML). */
export function agentConfigText(o: {
  dataDir: string;
  inputGlob: string;
  timezone: string;
  index: string;
  associations: boolean;
  associationsIndex: string;
  definitionsIndex: string;
  monitoringPort: number;
  deadLetterFile: string;
  /** Overrides of pipeline keys (an experiment); the shipped defaults otherwise. */
  pipeline?: Record<string, number>;
}): string {
  return JSON.stringify(
    {
      agent: { name: 'bench', data_dir: o.dataDir, timezone: o.timezone },
      // Shipped defaults otherwise: format auto (detected per line), profile auto, poll 250 ms.
      inputs: [{ type: 'file', name: 'feed', paths: [o.inputGlob], timezone: o.timezone }],
      ...(o.pipeline && Object.keys(o.pipeline).length ? { pipeline: o.pipeline } : {}),
      output: { elasticsearch: { hosts: ['${ES_URL}'], ...credentialRefs(), index: o.index } },
      dead_letter: { index: '', file: o.deadLetterFile },
      associations: { enabled: o.associations, index: o.associationsIndex, definitions_index: o.definitionsIndex },
      // The nightly job is measured in bench/detection.ts; here it would only catch up missed days mid-run.
      anomalies: { enabled: false },
      monitoring: { enabled: true, host: '127.0.0.1', port: o.monitoringPort },
      logging: { level: 'warn' },
    },
    null,
    2,
  );
}

/** Parses the agent configuration text the way the agent will (ES_* from the environment). */
export function benchConfig(text: string): AgentConfig {
  return parseConfig(text, { source: 'bench/e2e', env: { ES_URL: 'http://127.0.0.1:9200', ...process.env } });
}

export function writeText(path: string, text: string): void {
  writeFileSync(path, text);
}
