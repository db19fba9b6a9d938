// End to end, file → Elasticsearch, against the shippers a user would pick instead, on the same
// node in the same run (needs ES_URL; `npm run bench` starts the local node):
//
//   for each format (leef, json, rfc3164): a simulated feed of N lines (bench/e2e/feeds.ts), then
//   `runs` rounds, each round timing in turn:
//     ceiling         the agent's own documents, pre-built, bulk-indexed with the official client
//                     as the agent's output sends them (bench/e2e/ceiling.ts)
//     agent           the real CLI on the feed file, associations on (bench/e2e/agent.ts)
//     agent-no-assoc  the same with associations off
//     pino            pino-elasticsearch's CLI fed the same lines (bench/e2e/pino.ts)
//     rsyslog         rsyslogd imfile → omelasticsearch (bench/e2e/rsyslog.ts), skipped with the
//                     reason when it is not installed and cannot be
//   Interleaving the shippers inside each round spreads the machine's drift over all of them;
//   each figure is the median over rounds, and ratios are to the ceiling of the same run.
//   Then one more agent run under `node --cpu-prof`, summarised (bench/e2e/profile.ts).
//   With growth: the same comparison at N, 2N and 4N lines of one format.
//
//   tsx bench/e2e.ts '<json E2EOptions>'   prints the result as JSON (last line); bench/run.ts uses it.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentConfig } from '../agent/config/schema.js';
import { installTemplates } from '../agent/outputs/elasticsearch/templates.js';
import type { ConcreteFormat } from '../processors/simulate/index.js';
import { agentCli, profileIn, runAgent, type AgentRuntime } from './e2e/agent.js';
import { buildBodies, runCeiling } from './e2e/ceiling.js';
import { connect, type Es } from './e2e/es.js';
import { agentConfigText, benchConfig, makeFeed, type Feed } from './e2e/feeds.js';
import { runPino } from './e2e/pino.js';
import { median } from './e2e/proc.js';
import { summarizeProfile, type ProfileSummary } from './e2e/profile.js';
import { ensureRsyslog, runRsyslog } from './e2e/rsyslog.js';
import type { ShipperName, ShipperRun } from './e2e/types.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const SHIPPERS: readonly ShipperName[] = ['ceiling', 'agent', 'agent-no-assoc', 'pino', 'rsyslog'];

export interface E2EOptions {
  formats: ConcreteFormat[];
  lines: number;
  runs: number;
  users: number;
  seed: number;
  timezone: string;
  shippers: ShipperName[];
  /** How the agent is started (bench/e2e/agent.ts agentCli): compiled as shipped, or through tsx. */
  agentRuntime: AgentRuntime;
  /** Extra node flags for every agent run (an experiment, e.g. --max-old-space-size=128); default none. */
  agentNodeFlags?: string[];
  /** Overrides of the agent's pipeline keys for every agent run (an experiment, e.g. { max_in_flight_batches: 2 }). */
  agentPipeline?: Record<string, number>;
  /** Format whose agent run is profiled; none: no profile. */
  profile: ConcreteFormat | 'none';
  growth?: { format: ConcreteFormat; lines: number; runs: number };
}

export interface ShipperSummary {
  runs: ShipperRun[];
  medianSeconds: number;
  medianLinesPerSecond: number;
  /** Median lines/s ÷ the ceiling's median lines/s, same format, same run. */
  ratioToCeiling?: number;
  shipperCpuMsPer1kLines: number;
  esCpuMsPer1kLines: number;
  /** Documents missing (or extra, negative) at the end, worst run. */
  lost: number;
  rss?: { idleBeforeMb?: number; loadPeakMb?: number; loadMedianMb?: number; loadPeakAnonMb?: number; idleAfterMb?: number };
  startupSeconds?: number;
}

export interface FeedInfo {
  format: ConcreteFormat;
  lines: number;
  bytes: number;
  docBytes: number;
  rejected: number;
  pinoInput: Feed['pinoInput'];
  eventsPerDay: number;
  start: string;
  users: number;
}

export interface FormatResult {
  feed: FeedInfo;
  shippers: Partial<Record<ShipperName, ShipperSummary>>;
}

export interface E2EResult {
  options: E2EOptions;
  elasticsearch: { version: string; url: string };
  versions: { pinoElasticsearch: string; rsyslog?: string; elasticsearchClient: string };
  agentDefaults: { bulkMaxEvents: number; bulkMaxBytes: number; concurrency: number; batchMaxEvents: number; queueMaxEvents: number; queueMaxBytes: number; maxInFlightBatches: number };
  skipped: Partial<Record<ShipperName, string>>;
  formats: FormatResult[];
  profile?: { format: ConcreteFormat; linesPerSecond: number; summary: ProfileSummary };
  growth?: { format: ConcreteFormat; sizes: { lines: number; shippers: Partial<Record<ShipperName, ShipperSummary>> }[] };
  seconds: number;
}

const packageVersion = (name: string): string => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function summarize(runs: ShipperRun[], ceiling?: ShipperSummary): ShipperSummary {
  const per1k = (f: (r: ShipperRun) => number) => Math.round(median(runs.map((r) => (1000 * f(r)) / r.lines)) * 10) / 10;
  const m = (f: (r: ShipperRun) => number | undefined) => {
    const xs = runs.map(f).filter((x): x is number => x !== undefined);
    return xs.length ? Math.round(median(xs) * 10) / 10 : undefined;
  };
  const rss: NonNullable<ShipperSummary['rss']> = {};
  const set = (k: keyof typeof rss, v: number | undefined) => v !== undefined && (rss[k] = v);
  set('idleBeforeMb', m((r) => r.rss?.idleBefore?.medianMb));
  set('loadPeakMb', m((r) => r.rss?.load?.peakMb));
  set('loadMedianMb', m((r) => r.rss?.load?.medianMb));
  set('loadPeakAnonMb', m((r) => r.rss?.load?.peakAnonMb));
  set('idleAfterMb', m((r) => r.rss?.idleAfter?.medianMb));
  const medianLinesPerSecond = Math.round(median(runs.map((r) => r.linesPerSecond)));
  const startup = m((r) => r.startupSeconds);
  return {
    runs,
    medianSeconds: r3(median(runs.map((r) => r.seconds))),
    medianLinesPerSecond,
    ...(ceiling ? { ratioToCeiling: r3(medianLinesPerSecond / ceiling.medianLinesPerSecond) } : {}),
    shipperCpuMsPer1kLines: per1k((r) => r.shipperCpuMs),
    esCpuMsPer1kLines: per1k((r) => r.esCpuMs),
    lost: runs.reduce((worst, r) => (Math.abs(r.lines - r.indexed) > Math.abs(worst) ? r.lines - r.indexed : worst), 0),
    ...(Object.keys(rss).length ? { rss } : {}),
    ...(startup !== undefined ? { startupSeconds: startup } : {}),
  };
}

interface Context {
  es: Es;
  o: E2EOptions;
  base: string;
  runTag: string;
  defaults: E2EResult['agentDefaults'];
  skipped: E2EResult['skipped'];
  log: (s: string) => void;
  seq: number;
  cli: readonly string[];
  /** The agent configuration of the runs (the document build uses its input and enrichment). */
  config: AgentConfig;
}

/** `runs` interleaved rounds of every shipper on one feed; summaries with ratios to the ceiling. */
async function compare(c: Context, feed: Feed, shippers: readonly ShipperName[], runs: number): Promise<Partial<Record<ShipperName, ShipperSummary>>> {
  const got = new Map<ShipperName, ShipperRun[]>();
  const active = shippers.filter((s) => c.skipped[s] === undefined);
  const ceilingIndex = `smf-events-bench-${c.runTag}-${feed.format}-${feed.lines}-ceiling`;
  const ceiling = active.includes('ceiling') ? await buildBodies(feed.docsPath, ceilingIndex, { bulk_max_events: c.defaults.bulkMaxEvents, bulk_max_bytes: c.defaults.bulkMaxBytes }) : undefined;
  const env = { ...process.env, ...(process.env.ES_URL ? {} : { ES_URL: c.es.url.toString() }) };
  for (let r = 1; r <= runs; r++) {
    for (const s of active.filter((x) => c.skipped[x] === undefined)) {
      const tag = `${c.runTag}-${feed.format}-${feed.lines}-${s}-${r}`;
      const dir = join(c.base, `run-${++c.seq}`);
      mkdirSync(dir, { recursive: true });
      let run: ShipperRun;
      try {
        switch (s) {
          case 'ceiling':
            try {
              run = await runCeiling(c.es.client, ceilingIndex, ceiling!.bodies, ceiling!.docs, c.defaults.concurrency);
            } finally {
              await c.es.client.indices.delete({ index: ceilingIndex, ignore_unavailable: true }).catch(() => {});
            }
            break;
          case 'agent':
          case 'agent-no-assoc':
            run = await runAgent(c.es.client, { root: ROOT, cli: c.cli, nodeFlags: c.o.agentNodeFlags ?? [], pipeline: c.o.agentPipeline ?? {}, dir, feed, tag, timezone: c.o.timezone, associations: s === 'agent', idleAfter: r === 1, env, log: c.log });
            break;
          case 'pino':
            run = await runPino(c.es, { root: ROOT, feed, tag, flushBytes: c.defaults.bulkMaxBytes });
            break;
          case 'rsyslog':
            run = await runRsyslog(c.es, { dir, feed, tag, batch: c.defaults.bulkMaxEvents, workers: c.defaults.concurrency });
            break;
        }
      } catch (err) {
        // One shipper failing does not void the others' figures: it is reported and left out from here on.
        c.skipped[s] = `failed in round ${r} on ${feed.format}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 600);
        c.log(`e2e: ${s} ${c.skipped[s]}`);
        continue;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const list = got.get(s) ?? [];
      list.push(run);
      got.set(s, list);
      const rss = run.rss?.load ? `, RSS peak ${run.rss.load.peakMb} MB` : '';
      c.log(`e2e ${feed.format} ${feed.lines} lines, round ${r}/${runs}: ${s} ${Math.round(run.linesPerSecond)} lines/s in ${run.seconds.toFixed(1)} s (CPU ${Math.round(run.shipperCpuMs)} ms, Elasticsearch ${Math.round(run.esCpuMs)} ms${rss})${run.indexed === run.lines ? '' : `, ${run.indexed} of ${run.lines} indexed!`}`);
    }
  }
  const out: Partial<Record<ShipperName, ShipperSummary>> = {};
  const ceilingRuns = got.get('ceiling');
  const ceilingSummary = ceilingRuns ? summarize(ceilingRuns) : undefined;
  for (const s of active) {
    const runsOf = got.get(s);
    if (runsOf) out[s] = s === 'ceiling' ? ceilingSummary! : summarize(runsOf, ceilingSummary);
  }
  return out;
}

async function feedFor(c: Context, format: ConcreteFormat, lines: number): Promise<Feed> {
  const t0 = performance.now();
  const feed = await makeFeed(join(c.base, `feed-${format}-${lines}`), { format, lines, users: c.o.users, seed: c.o.seed, timezone: c.o.timezone, config: c.config });
  c.log(`e2e feed ${format}: ${feed.lines} lines, ${(feed.bytes / 1e6).toFixed(1)} MB (${Math.round(feed.bytes / feed.lines)} B/line; agent documents ${Math.round(feed.docBytes / feed.lines)} B), ${feed.rejected} rejected, built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return feed;
}

const info = (f: Feed, users: number): FeedInfo => ({ format: f.format, lines: f.lines, bytes: f.bytes, docBytes: f.docBytes, rejected: f.rejected, pinoInput: f.pinoInput, eventsPerDay: f.eventsPerDay, start: f.start, users });

export async function runE2E(o: E2EOptions, log: (s: string) => void): Promise<E2EResult> {
  const started = performance.now();
  const es = await connect();
  await installTemplates(es.client);
  // The runs' configuration with placeholder paths: its defaults and decoding keys are what matter here.
  const config = benchConfig(agentConfigText({ dataDir: '/x', inputGlob: '/x/*.log', timezone: o.timezone, index: 'x', associations: true, associationsIndex: 'x', definitionsIndex: 'y', monitoringPort: 0, deadLetterFile: '/x/dl' }));
  const out = config.output.elasticsearch;
  const p = config.pipeline;
  const defaults = {
    bulkMaxEvents: out.bulk_max_events,
    bulkMaxBytes: out.bulk_max_bytes,
    concurrency: out.concurrency,
    batchMaxEvents: p.batch_max_events,
    queueMaxEvents: p.queue_max_events,
    queueMaxBytes: p.queue_max_bytes,
    maxInFlightBatches: p.max_in_flight_batches,
  };
  const base = mkdtempSync(join(tmpdir(), 'smf-bench-e2e-'));
  let cli: string[];
  try {
    cli = agentCli(ROOT, o.agentRuntime, join(base, 'build'), log);
  } catch (err) {
    rmSync(base, { recursive: true, force: true });
    throw err;
  }
  const c: Context = { es, o, base, runTag: Date.now().toString(36), defaults, skipped: {}, log, seq: 0, cli, config };
  const versions: E2EResult['versions'] = {
    pinoElasticsearch: packageVersion('pino-elasticsearch'),
    elasticsearchClient: packageVersion('@elastic/elasticsearch'),
  };
  if (o.shippers.includes('rsyslog')) {
    const r = ensureRsyslog(join(base, 'rsyslog-probe'), log);
    if (r.ok) versions.rsyslog = r.version;
    else {
      c.skipped.rsyslog = r.reason;
      log(`e2e: rsyslog comparison skipped: ${r.reason}`);
    }
  }
  const result: E2EResult = {
    options: o,
    elasticsearch: { version: es.version, url: es.url.origin },
    versions,
    agentDefaults: defaults,
    skipped: c.skipped,
    formats: [],
    seconds: 0,
  };
  try {
    for (const format of o.formats) {
      const feed = await feedFor(c, format, o.lines);
      result.formats.push({ feed: info(feed, o.users), shippers: await compare(c, feed, o.shippers, o.runs) });
      if (o.profile === format) result.profile = await profileRun(c, feed);
      rmSync(feed.dir, { recursive: true, force: true });
    }
    if (o.growth) {
      const g = o.growth;
      result.growth = { format: g.format, sizes: [] };
      for (const k of [1, 2, 4]) {
        const feed = await feedFor(c, g.format, g.lines * k);
        result.growth.sizes.push({ lines: feed.lines, shippers: await compare(c, feed, o.shippers.filter((s) => s !== 'agent-no-assoc'), g.runs) });
        rmSync(feed.dir, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
    await es.client.close();
  }
  result.seconds = Math.round((performance.now() - started) / 1000);
  return result;
}

/** One more agent run under --cpu-prof (not in the medians: profiling slows it a little). */
async function profileRun(c: Context, feed: Feed): Promise<E2EResult['profile']> {
  const dir = join(c.base, `profile-${feed.format}`);
  const profDir = join(dir, 'prof');
  mkdirSync(profDir, { recursive: true });
  c.log(`e2e ${feed.format}: one more agent run under --cpu-prof …`);
  const env = { ...process.env, ...(process.env.ES_URL ? {} : { ES_URL: c.es.url.toString() }) };
  const run = await runAgent(c.es.client, { root: ROOT, cli: c.cli, nodeFlags: c.o.agentNodeFlags ?? [], pipeline: c.o.agentPipeline ?? {}, dir, feed, tag: `${c.runTag}-${feed.format}-profile`, timezone: c.o.timezone, associations: true, idleAfter: false, cpuProfileDir: profDir, env, log: c.log });
  const path = profileIn(profDir);
  if (!path) throw new Error('the profiled agent run left no .cpuprofile');
  const summary = summarizeProfile(path, run.windowUs?.from, run.windowUs?.to);
  rmSync(dir, { recursive: true, force: true });
  c.log(`e2e profile: ${Math.round(run.linesPerSecond)} lines/s, idle ${(100 * summary.idleShare).toFixed(0)} %, top: ${summary.areas.slice(0, 4).map((a) => `${a.area} ${(100 * a.share).toFixed(0)} %`).join(', ')}`);
  return { format: feed.format, linesPerSecond: Math.round(run.linesPerSecond), summary };
}

// Child-process entry: `tsx bench/e2e.ts '<json E2EOptions>'` prints the result as JSON (last line).
if (process.argv[1]?.endsWith('e2e.ts') && process.argv[2]) {
  runE2E(JSON.parse(process.argv[2]) as E2EOptions, (s) => console.error(`[bench] ${s}`)).then(
    (r) => console.log(JSON.stringify(r)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
