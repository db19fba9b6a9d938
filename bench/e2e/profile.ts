// Where the agent's time goes: a V8 CPU profile (node --cpu-prof) of one end-to-end run, reduced
// to self time per function and per area of the code, over the timed window only. Sample times in
// a .cpuprofile are CLOCK_MONOTONIC microseconds, the clock of process.hrtime() in this process,
// so the window measured here selects the samples directly.

import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time inside the window, ms. */
  windowMs: number;
  /** Share of it the main thread was idle (waiting for I/O: Elasticsearch answers, the file). */
  idleShare: number;
  /** Share spent in the garbage collector. */
  gcShare: number;
  /** Self time by area of the code, share of the busy (non-idle) time, largest first. */
  areas: { area: string; share: number; ms: number }[];
  /** Top functions by self time, share of the busy time. */
  functions: { fn: string; where: string; share: number; ms: number }[];
  /** The agent's own functions (agent/, processors/) by inclusive time (self + callees), share of the busy time. */
  inclusive: { fn: string; where: string; share: number; ms: number }[];
  /** The window could not be matched to the samples: the whole profile was used. */
  wholeProfile: boolean;
}

const AREAS: [RegExp, string][] = [
  [/\/processors\/parse\//, 'parse (processors/parse)'],
  [/\/processors\/normalize\//, 'normalize (processors/normalize)'],
  [/\/processors\/enrich\//, 'enrich (processors/enrich)'],
  [/\/processors\/associations\//, 'associations: observe and count (processors/associations)'],
  [/\/processors\//, 'other processors'],
  [/\/agent\/associations\//, 'associations: stage, LMDB state, indexer (agent/associations)'],
  [/\/agent\/store\//, 'state store (agent/store)'],
  [/\/agent\/pipeline\//, 'pipeline: queue, batches, ids, delivery (agent/pipeline)'],
  [/\/agent\/outputs\//, 'Elasticsearch output (agent/outputs)'],
  [/\/agent\/inputs\//, 'file input (agent/inputs)'],
  [/\/agent\//, 'other agent code'],
  [/node_modules\/lmdb|node_modules\/msgpackr|node_modules\/ordered-binary/, 'lmdb (native store, msgpack)'],
  [/node_modules\/@elastic\/|node_modules\/undici|node_modules\/p-queue/, 'Elasticsearch client, HTTP (undici)'],
  [/node_modules\/tsx|node_modules\/esbuild|node_modules\/get-tsconfig/, 'tsx loader (start-up only)'],
  [/node_modules\//, 'other dependencies'],
  [/^node:|^internal\//, 'Node.js internals (streams, fs, net, http)'],
];

function areaOf(frame: ProfileNode['callFrame']): string {
  const fn = frame.functionName;
  if (fn === '(garbage collector)') return 'garbage collector';
  if (fn === '(program)') return 'V8/native: compile, runtime, JSON, crypto';
  if (frame.url === '') return 'V8/native: compile, runtime, JSON, crypto';
  for (const [re, name] of AREAS) if (re.test(frame.url)) return name;
  return 'other';
}

function shortUrl(url: string): string {
  const i = url.search(/\/(agent|processors|node_modules)\//);
  return i >= 0 ? url.slice(i + 1) : url.replace(/^file:\/\//, '');
}

/** Summarises `path` over [fromUs, toUs] (CLOCK_MONOTONIC µs), or the whole profile when they do not overlap it. */
export function summarizeProfile(path: string, fromUs?: number, toUs?: number, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = p.startTime;
  let inWindow = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    const dt = p.timeDeltas[i + 1] ?? 0; // a sample stands for the time until the next one
    if (fromUs !== undefined && toUs !== undefined && (t < fromUs || t > toUs)) continue;
    inWindow += dt;
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + dt);
  }
  let wholeProfile = false;
  if (fromUs !== undefined && toUs !== undefined && inWindow < 0.5 * (toUs - fromUs)) {
    // Clocks did not match: fall back to the whole run (start-up and shutdown included).
    wholeProfile = true;
    self.clear();
    for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i + 1] ?? 0));
  }
  let idle = 0;
  let gc = 0;
  let total = 0;
  const areas = new Map<string, number>();
  const fns = new Map<string, { fn: string; where: string; us: number }>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const f = node.callFrame;
    total += us;
    if (f.functionName === '(idle)') {
      idle += us;
      continue;
    }
    if (f.functionName === '(garbage collector)') gc += us;
    const area = areaOf(f);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : '(native)';
    const key = `${f.functionName}@${where}`;
    const e = fns.get(key) ?? { fn: f.functionName || '(anonymous)', where, us: 0 };
    e.us += us;
    fns.set(key, e);
  }
  const busy = total - idle || 1;
  // Inclusive time: each sample counts once for every distinct agent function on its stack.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const ch of n.children ?? []) parent.set(ch, n.id);
  const incl = new Map<string, { fn: string; where: string; us: number }>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!/\/(agent|processors)\//.test(f.url) || f.url.includes('node_modules')) continue;
      const where = `${shortUrl(f.url)}:${f.lineNumber + 1}`;
      const key = `${f.functionName}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const e = incl.get(key) ?? { fn: f.functionName || '(anonymous)', where, us: 0 };
      e.us += us;
      incl.set(key, e);
    }
  }
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    windowMs: Math.round(total / 1000),
    idleShare: r3(idle / (total || 1)),
    gcShare: r3(gc / busy),
    areas: [...areas].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, share: r3(us / busy), ms: Math.round(us / 1000) })),
    functions: [...fns.values()].sort((a, b) => b.us - a.us).slice(0, top).map((e) => ({ fn: e.fn, where: e.where, share: r3(e.us / busy), ms: Math.round(e.us / 1000) })),
    inclusive: [...incl.values()].sort((a, b) => b.us - a.us).slice(0, top).map((e) => ({ fn: e.fn, where: e.where, share: r3(e.us / busy), ms: Math.round(e.us / 1000) })),
    wholeProfile,
  };
}
