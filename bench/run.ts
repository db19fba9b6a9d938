// npm run bench — benchmarks, never part of npm test. Writes bench/results/<name>.md and .json.
//   npm run bench                      in-process throughput + memory with 1M pairs + detection + e2e
//   npm run bench -- --pairs 1000000,10000000 --days 3 --users 300 --runs 5
//   npm run bench -- --only detection  detection quality and job cost against labelled incidents (~1–2 min)
//       --job-pairs 1000000,10000000   the nightly job also on synthetic stores of these sizes
//   npm run bench -- --only e2e        file → Elasticsearch: the agent against the raw bulk ceiling,
//                                      pino-elasticsearch and rsyslog (needs ES_URL; npm run bench starts a node)
//       --lines 100000 --formats leef,json,rfc3164 --e2e-runs 3 --shippers ceiling,agent,agent-no-assoc,pino,rsyslog
//   npm run bench -- --only growth     the same comparison at N, 2N and 4N lines of one format (--growth: in a full run too)
//       --growth-lines 100000 --growth-format leef
//       --profile leef|none   --agent-runtime dist|tsx   experiments: --agent-node-flags "--max-old-space-size=256"
//       --agent-pipeline "max_in_flight_batches=2,queue_max_events=4000"
// Figures are medians of several runs and ratios to a baseline measured in the same run: the
// machines are shared and noisy, so absolute numbers drift; ratios much less.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runInProcess, type Measure } from './inprocess.js';
import type { MemoryResult } from './memory.js';
import { detectionMarkdown, type DetectionBench, type SyntheticJob } from './detection.js';
import { SHIPPERS, type E2EOptions, type E2EResult } from './e2e.js';
import { e2eMarkdown, growthMarkdown } from './e2e/report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '3' },
    users: { type: 'string', default: '300' },
    runs: { type: 'string', default: '5' },
    pairs: { type: 'string', default: '1000000' },
    'job-pairs': { type: 'string', default: '1000000' },
    only: { type: 'string' },
    lines: { type: 'string', default: '100000' },
    formats: { type: 'string', default: 'leef,json,rfc3164' },
    'e2e-runs': { type: 'string', default: '3' },
    shippers: { type: 'string', default: SHIPPERS.join(',') },
    growth: { type: 'boolean', default: false },
    'growth-lines': { type: 'string' },
    'growth-format': { type: 'string', default: 'leef' },
    profile: { type: 'string', default: 'leef' },
    'agent-runtime': { type: 'string', default: 'dist' },
    'agent-node-flags': { type: 'string', default: '' },
    'agent-pipeline': { type: 'string', default: '' },
  },
});
const log = (s: string) => console.error(`[bench] ${s}`);

function machine() {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1e9),
    load: execFileSync('cat', ['/proc/loadavg']).toString().trim(),
  };
}

type Machine = ReturnType<typeof machine>;
const SECTIONS = ['inprocess', 'memory', 'detection', 'e2e', 'growth'] as const;
interface Results {
  machine: Machine;
  inprocess?: Measure[];
  memory?: MemoryResult[];
  detection?: DetectionBench;
  e2e?: E2EResult;
  growth?: E2EResult;
  /** Sections kept from an earlier run (with --only, the others are carried over): the machine line of the run that measured them. */
  earlier?: Partial<Record<(typeof SECTIONS)[number], Machine>>;
}
const results: Results = { machine: machine() };
if (!values.only || values.only === 'inprocess') {
  results.inprocess = runInProcess({ days: Number(values.days), users: Number(values.users), runs: Number(values.runs), log });
}
if (!values.only || values.only === 'memory') {
  results.memory = [];
  for (const n of values.pairs!.split(',').map(Number)) {
    log(`memory with ${n} distinct pairs (child process) …`);
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench', 'memory.ts'), String(n)], { cwd: ROOT, maxBuffer: 1 << 20 });
    const r = JSON.parse(out.toString().trim().split('\n').pop()!) as MemoryResult;
    results.memory.push(r);
    log(`${n} pairs: RSS ${r.rssAfterMb} MB (idle ${r.rssIdleMb} MB), store file ${r.storeFileMb} MB, ${r.pairsPerSecond} pairs/s`);
  }
}
if (!values.only || values.only === 'detection') {
  // A child process, as for memory: its LMDB stores and feed do not weigh on the other sections.
  log('detection against labelled incidents (child process; 30 simulated days, then a ~1 M pair store) …');
  const [first, ...more] = values['job-pairs']!.split(',').map(Number);
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'detection.ts'), String(first)], { cwd: ROOT, maxBuffer: 64 << 20 });
  results.detection = JSON.parse(out.toString().trim().split('\n').pop()!) as DetectionBench;
  for (const n of more) {
    log(`the nightly job on a synthetic store of ~${n} pairs (child process) …`);
    const job = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'detection.ts'), '--synthetic-only', String(n)], { cwd: ROOT, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
    (results.detection.syntheticMore ??= []).push(JSON.parse(job.toString().trim().split('\n').pop()!) as SyntheticJob);
  }
  const robust = results.detection.detectors.filter((d) => d.detector.endsWith('/robust')).map((d) => `${d.detector} recall ${d.recall} precision ${d.precision}`);
  log(`detection: ${robust.join('; ')} (${results.detection.seconds} s)`);
}

/** The end-to-end benchmark in a child process (its feeds, bodies and clients stay out of this one). */
function runE2E(what: 'e2e' | 'growth'): E2EResult | undefined {
  if (!process.env.ES_URL) {
    log(`${what} skipped: ES_URL is not set (npm run bench starts the local Elasticsearch node for it)`);
    return undefined;
  }
  const lines = Number(values.lines);
  const runs = Number(values['e2e-runs']);
  const options: E2EOptions = {
    formats: what === 'e2e' ? (values.formats!.split(',') as E2EOptions['formats']) : [],
    lines,
    runs,
    users: Number(values.users),
    seed: 7,
    timezone: 'Europe/Berlin',
    shippers: values.shippers!.split(',') as E2EOptions['shippers'],
    agentRuntime: values['agent-runtime'] as E2EOptions['agentRuntime'],
    ...(values['agent-node-flags'] ? { agentNodeFlags: values['agent-node-flags'].split(/[\s,]+/).filter(Boolean) } : {}),
    ...(values['agent-pipeline'] ? { agentPipeline: Object.fromEntries(values['agent-pipeline'].split(',').map((kv) => kv.split('=')).map(([k, v]) => [k!.trim(), Number(v)])) } : {}),
    profile: what === 'e2e' ? (values.profile as E2EOptions['profile']) : 'none',
    ...(what === 'growth' ? { growth: { format: values['growth-format'] as E2EOptions['formats'][number], lines: Number(values['growth-lines'] ?? lines), runs } } : {}),
  };
  log(
    what === 'e2e'
      ? `e2e: ${options.formats.join(', ')} × ${lines} lines, ${runs} rounds of ${options.shippers.join(', ')} (child process) …`
      : `growth: ${options.growth!.format} at ${options.growth!.lines} lines × 1, 2, 4, ${runs} rounds (child process) …`,
  );
  // Progress goes to stderr as it happens; the result is the last line of stdout.
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'e2e.ts'), JSON.stringify(options)], { cwd: ROOT, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  const r = JSON.parse(out.toString().trim().split('\n').pop()!) as E2EResult;
  log(`${what} done in ${r.seconds} s`);
  return r;
}
if (!values.only || values.only === 'e2e') results.e2e = runE2E('e2e');
if ((!values.only && values.growth) || values.only === 'growth') results.growth = runE2E('growth');

// With --only, the sections not measured now are kept from the previous results, marked as such.
const dir = join(ROOT, 'bench', 'results');
if (values.only && existsSync(join(dir, 'latest.json'))) {
  const previous = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as Results;
  for (const key of SECTIONS) {
    if (results[key] !== undefined || previous[key] === undefined) continue;
    Object.assign(results, { [key]: previous[key] });
    (results.earlier ??= {})[key] = previous.earlier?.[key] ?? previous.machine;
  }
}
/** The line that says a section comes from an earlier run. */
const earlier = (key: (typeof SECTIONS)[number]): string[] => {
  const m = results.earlier?.[key];
  return m ? ['', `_From an earlier run: ${m.date}, load average at start ${m.load} (this run: --only ${values.only})._`] : [];
};

const md: string[] = [`# smf-agent benchmarks`, '', `Machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGb} GB, Node ${results.machine.node}; load average at start ${results.machine.load}; ${results.machine.date}.`, ''];
if (results.inprocess) {
  md.push('## In-process throughput (one core, lines per CPU-second, median of runs)', ...earlier('inprocess'), '', '| measurement | lines | median lines/s | × baseline | runs |', '|---|---|---|---|---|');
  for (const m of results.inprocess) md.push(`| ${m.name} | ${m.lines} | ${m.median.toLocaleString('en')} | ${m.ratio ?? 1} | ${m.runs.join(', ')} |`);
  md.push('');
}
if (results.memory) {
  md.push('## Association store: memory with distinct pairs (LMDB, the agent\'s stage code)', ...earlier('memory'), '', '| pairs | RSS after (MB) | of which anonymous | of which mapped store file | RSS idle (MB) | JS heap (MB) | store file (MB) | insert pairs/s |', '|---|---|---|---|---|---|---|---|');
  for (const r of results.memory) md.push(`| ${r.pairs.toLocaleString('en')} | ${r.rssAfterMb} | ${r.rssAnonMb} | ${r.rssFileMb} | ${r.rssIdleMb} | ${r.heapUsedMb} | ${r.storeFileMb} | ${r.pairsPerSecond.toLocaleString('en')} |`);
  md.push('');
}
if (results.detection) {
  const [heading, ...rest] = detectionMarkdown(results.detection);
  md.push(heading!, ...earlier('detection'), ...rest);
}
if (results.e2e) {
  const [heading, ...rest] = e2eMarkdown(results.e2e);
  md.push(heading!, ...earlier('e2e'), ...rest);
}
if (results.growth) {
  const [heading, ...rest] = growthMarkdown(results.growth);
  md.push(heading!, ...earlier('growth'), ...rest);
}
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.md'), md.join('\n'));
writeFileSync(join(dir, 'latest.json'), JSON.stringify(results, null, 2));
console.log(md.join('\n'));
log(`written to bench/results/latest.md and latest.json`);
