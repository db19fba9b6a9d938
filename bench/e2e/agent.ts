// The agent, end to end: the real CLI (`smf-agent run`, compiled or through tsx: agentCli) as a child
// process on a fresh data_dir and fresh indices, its file input watching an empty directory. Once
// /health answers, the feed is hard-linked into that directory (atomic, no copy) and the clock
// starts; it stops when the agent's own metrics say every line has had its final outcome from the
// events output (smf_agent_events_published_total{output="elasticsearch"} + lines rejected).
// Resident memory is sampled from /proc all along: idle before the feed, under load, and idle
// again after the association flush interval.

import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, linkSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import { deleteIndices, esCpuMs, finalCount } from './es.js';
import { agentConfigText, type Feed } from './feeds.js';
import { cpuMs, freePort, pollUntil, RssSampler, summarizeRss } from './proc.js';
import type { ShipperRun } from './types.js';

export interface AgentRunOptions {
  root: string; // repository root (working directory)
  /** Node arguments that start the CLI: agentCli(). */
  cli: readonly string[];
  dir: string; // fresh directory for this run
  feed: Feed;
  tag: string; // unique, lowercase: part of every index name
  timezone: string;
  associations: boolean;
  /** Also measure idle memory after draining (waits for the association flush). */
  idleAfter: boolean;
  /** Overrides of the agent's pipeline keys, e.g. { max_in_flight_batches: 2 }. */
  pipeline?: Record<string, number>;
  /** Extra node flags for the agent, e.g. --max-old-space-size=128. */
  nodeFlags?: readonly string[];
  /** Write a V8 CPU profile of the agent into this directory. */
  cpuProfileDir?: string;
  env: NodeJS.ProcessEnv;
  log: (s: string) => void;
}

export type AgentRuntime = 'dist' | 'tsx';

/**
 * How the CLI is started. dist: compiled with the project's build settings (tsconfig.build.json)
 * into `buildDir`, beside links to package.json, node_modules, config and mappings — the layout
 * the package and the Docker image ship. tsx: from sources, as `npm run smf-agent` does; its module
 * loader runs in a thread of its own and adds about 40 MB of resident memory that a deployed
 * agent does not have.
 */
export function agentCli(root: string, runtime: AgentRuntime, buildDir: string, log: (s: string) => void): string[] {
  if (runtime === 'tsx') return ['--import', 'tsx', join(root, 'agent/cli/main.ts')];
  mkdirSync(buildDir, { recursive: true });
  const t0 = performance.now();
  const main = join(buildDir, 'dist/agent/cli/main.js');
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(buildDir, 'dist')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    // Type errors still emit JavaScript; only a build that produced nothing is fatal.
    if (!existsSync(main)) throw err;
    log(`tsc reported type errors; running the JavaScript it emitted anyway: ${String((err as { stdout?: Buffer }).stdout ?? '').slice(0, 500)}`);
  }
  for (const f of ['package.json', 'node_modules', 'config', 'mappings']) symlinkSync(join(root, f), join(buildDir, f));
  log(`agent compiled into ${buildDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return [main];
}

const ASSOCIATION_FLUSH_MS = 5000; // associations.flush_interval_ms default

/** Sum of a Prometheus counter's samples whose labels contain `labels` (text format). */
export function counterSum(text: string, name: string, labels = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (labels && !line.includes(labels)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  }
  return sum;
}

export async function runAgent(es: Client, o: AgentRunOptions): Promise<ShipperRun> {
  const inDir = join(o.dir, 'in');
  mkdirSync(inDir, { recursive: true });
  const port = await freePort();
  const index = `smf-events-bench-${o.tag}`;
  const associationsIndex = `smf-associations-bench-${o.tag}`;
  const definitionsIndex = `smf-association-definitions-bench-${o.tag}`;
  const configPath = join(o.dir, 'agent.yaml');
  writeFileSync(
    configPath,
    agentConfigText({
      dataDir: join(o.dir, 'data'),
      inputGlob: join(inDir, '*.log'),
      timezone: o.timezone,
      index,
      associations: o.associations,
      associationsIndex,
      definitionsIndex,
      monitoringPort: port,
      deadLetterFile: join(o.dir, 'dead-letter.jsonl'),
      ...(o.pipeline ? { pipeline: o.pipeline } : {}),
    }),
  );
  const nodeArgs = [...(o.nodeFlags ?? []), ...(o.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfileDir}`] : [])];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, ...o.cli, 'run', '--config', configPath], {
    cwd: o.root,
    env: o.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const pid = child.pid!;
  const sampler = new RssSampler(pid);
  const base = `http://127.0.0.1:${port}`;
  const notes: string[] = [];
  try {
    let gone = false;
    void exited.then(() => (gone = true));
    await pollUntil(
      'the agent to answer /health',
      async () => {
        if (gone) throw new Error(`the agent exited during start-up: ${stderr.slice(-2000)}`);
        return fetch(`${base}/health`).then((r) => (r.ok ? true : undefined), () => undefined);
      },
      120_000,
    );
    const startupSeconds = (performance.now() - spawnedAt) / 1000;
    const readyAt = sampler.elapsed();
    await sleep(1000);
    const idleBefore = summarizeRss(sampler.window(readyAt));

    const es0 = await esCpuMs(es);
    const cpu0 = cpuMs(pid);
    const t0 = performance.now();
    const h0 = process.hrtime.bigint();
    const loadFrom = sampler.elapsed();
    linkSync(o.feed.path, join(inDir, 'feed.log'));
    let handled = 0;
    await pollUntil(
      `the agent to deliver ${o.feed.lines} lines`,
      async () => {
        if (gone) throw new Error(`the agent exited: ${stderr.slice(-2000)}`);
        const text = await fetch(`${base}/metrics`).then((r) => r.text(), () => '');
        handled = counterSum(text, 'smf_agent_events_published_total', 'output="elasticsearch"') + counterSum(text, 'smf_agent_lines_rejected_total');
        return handled >= o.feed.lines ? true : undefined;
      },
      Math.max(300_000, o.feed.lines * 5),
    );
    const seconds = (performance.now() - t0) / 1000;
    const windowUs = { from: Number(h0 / 1000n), to: Number(process.hrtime.bigint() / 1000n) };
    const shipperCpuMs = cpuMs(pid) - cpu0;
    const esCpu = (await esCpuMs(es)) - es0;
    const load = summarizeRss(sampler.window(loadFrom, sampler.elapsed()));
    let idleAfter;
    if (o.idleAfter) {
      await sleep(ASSOCIATION_FLUSH_MS + 1500);
      const from = sampler.elapsed();
      await sleep(1500);
      idleAfter = summarizeRss(sampler.window(from));
    }
    const indexed = await finalCount(es, index);
    if (o.feed.rejected) notes.push(`${o.feed.rejected} lines rejected (dead-lettered) by the agent's processor`);
    return {
      lines: o.feed.lines,
      indexed: indexed + o.feed.rejected,
      seconds,
      linesPerSecond: o.feed.lines / seconds,
      shipperCpuMs,
      esCpuMs: esCpu,
      rss: { ...(idleBefore ? { idleBefore } : {}), ...(load ? { load } : {}), ...(idleAfter ? { idleAfter } : {}) },
      startupSeconds,
      windowUs,
      ...(notes.length ? { notes } : {}),
    };
  } finally {
    sampler.stop();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const [code, signal] = await exited;
    clearTimeout(timer);
    if (code !== 0) o.log(`agent exited with code ${code} signal ${signal}: ${stderr.slice(-1500)}`);
    await deleteIndices(es, [index, associationsIndex, definitionsIndex]);
  }
}

/**
 * The main thread's profile among those a profiled run left in `dir`: every thread writes one
 * (tsx's module loader runs in a thread of its own), named CPU.<date>.<time>.<pid>.<thread id>.<seq>.
 */
export function profileIn(dir: string): string | undefined {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  const main = files.find((f) => f.split('.')[4] === '0');
  return main || files[0] ? join(dir, (main ?? files[0])!) : undefined;
}
