// npm run bench — benchmarks, never part of npm test. Writes bench/results/<name>.md and .json.
//   npm run bench                      in-process throughput + memory with 1M pairs + detection
//   npm run bench -- --pairs 1000000,10000000 --days 3 --users 300 --runs 5
//   npm run bench -- --only detection  detection quality and job cost against labelled incidents (~1–2 min)
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
import { detectionMarkdown, type DetectionBench } from './detection.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '3' },
    users: { type: 'string', default: '300' },
    runs: { type: 'string', default: '5' },
    pairs: { type: 'string', default: '1000000' },
    only: { type: 'string' },
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
const SECTIONS = ['inprocess', 'memory', 'detection'] as const;
interface Results {
  machine: Machine;
  inprocess?: Measure[];
  memory?: MemoryResult[];
  detection?: DetectionBench;
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
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'detection.ts'), '1000000'], { cwd: ROOT, maxBuffer: 64 << 20 });
  results.detection = JSON.parse(out.toString().trim().split('\n').pop()!) as DetectionBench;
  const robust = results.detection.detectors.filter((d) => d.detector.endsWith('/robust')).map((d) => `${d.detector} recall ${d.recall} precision ${d.precision}`);
  log(`detection: ${robust.join('; ')} (${results.detection.seconds} s)`);
}

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
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.md'), md.join('\n'));
writeFileSync(join(dir, 'latest.json'), JSON.stringify(results, null, 2));
console.log(md.join('\n'));
log(`written to bench/results/latest.md and latest.json`);
