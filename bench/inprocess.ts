// In-process benchmarks (no Elasticsearch): parse + normalize per format, and the whole per-event
// pipeline (parse → normalize → enrich → serialise → associate with all default definitions, the
// counts kept in memory here; the store's cost is in memory.ts) on one core.
// Each figure is the median of several runs, in lines per CPU-second of this thread, and the ratio
// to a baseline measured in the same run: JSON.parse of the same number of JSON lines — the floor
// cost any shipper pays to look inside a line.

import { simulate, type ConcreteFormat } from '../processors/simulate/index.js';
import { createParser } from '../processors/parse/index.js';
import { createNormalizer } from '../processors/normalize/index.js';
import { applyObservations, LocalCalendar, MemoryAssocState, observeInto, type Observation } from '../processors/associations/index.js';
import { loadDefinitions } from '../agent/associations/loader.js';
import type { EventDoc } from '../processors/schema/event.js';
import { createEnricher } from '../processors/enrich/index.js';

export interface Measure {
  name: string;
  lines: number;
  runs: number[]; // lines per CPU-second, each run
  median: number;
  ratio?: number; // median / baseline median
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `fn` over the lines `runs` times; lines per CPU-second of this process, median of runs. */
export function measure(name: string, lines: readonly string[], fn: (line: string) => unknown, runs = 5): Measure {
  for (let i = 0; i < lines.length; i++) fn(lines[i]!); // warm-up: one full pass, so runs measure the optimised code
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < lines.length; i++) fn(lines[i]!);
    const c = process.cpuUsage(c0);
    out.push(lines.length / ((c.user + c.system) / 1e6));
  }
  return { name, lines: lines.length, runs: out.map(Math.round), median: Math.round(median(out)) };
}

function feed(format: ConcreteFormat, days: number, users: number): string[] {
  const out: string[] = [];
  for (const l of simulate({ seed: 7, start: '2025-03-03', days, users, format, timezone: 'Europe/Berlin' })) out.push(l.text);
  return out;
}

const FORMATS: [ConcreteFormat, 'auto' | 'csv'][] = [
  ['json', 'auto'],
  ['leef', 'auto'],
  ['cef', 'auto'],
  ['rfc5424', 'auto'],
  ['rfc3164', 'auto'],
  ['easysmf', 'auto'],
  ['csv', 'csv'],
];

export function runInProcess(opts: { days: number; users: number; runs: number; log: (s: string) => void }): Measure[] {
  const results: Measure[] = [];
  const jsonLines = feed('json', opts.days, opts.users);
  const baseline = measure('baseline: JSON.parse of JSON lines', jsonLines, (l) => JSON.parse(l), opts.runs);
  results.push(baseline);
  opts.log(`baseline ${baseline.median} lines/s over ${jsonLines.length} lines`);
  const rel = (m: Measure) => ({ ...m, ratio: Number((m.median / baseline.median).toFixed(3)) });

  for (const [format, parseAs] of FORMATS) {
    const lines = format === 'json' ? jsonLines : feed(format, opts.days, opts.users);
    const parser = createParser({ format: parseAs });
    const normalizer = createNormalizer({ profile: 'auto', timezone: 'Europe/Berlin' });
    const ctx = { receivedAt: new Date('2025-03-10T00:00:00Z'), inputName: 'bench' };
    const m = rel(
      measure(`parse + normalize: ${format}`, lines, (l) => {
        const p = parser.parse(l);
        return p.ok && p.record ? normalizer.normalize(p.record, ctx) : p;
      }, opts.runs),
    );
    results.push(m);
    opts.log(`${m.name}: ${m.median} lines/s (×${m.ratio} baseline)`);
  }

  // The whole per-event path with all default definitions, on a mixed feed.
  const mixed: string[] = [];
  for (const l of simulate({ seed: 9, start: '2025-03-03', days: opts.days, users: opts.users, format: 'mixed', timezone: 'Europe/Berlin' })) if (l.format !== 'csv') mixed.push(l.text);
  const defs = loadDefinitions({ include_defaults: true, definitions: [], lists: {} }).definitions.filter((d) => d.enabled);
  const parser = createParser({ format: 'auto' });
  const normalizer = createNormalizer({ profile: 'auto', timezone: 'Europe/Berlin' });
  const enricher = createEnricher({});
  const calendar = new LocalCalendar('Europe/Berlin');
  const ctx = { receivedAt: new Date('2025-03-20T00:00:00Z'), inputName: 'bench' };
  let state = new MemoryAssocState();
  let batch: Observation[] = [];
  const now = Date.parse('2025-03-20T00:00:00Z');
  const pipeline = rel(
    measure(`pipeline: parse → normalize → enrich → serialise → ${defs.length} association definitions (mixed formats)`, mixed, (l) => {
      const p = parser.parse(l);
      if (!p.ok || !p.record) return;
      const n = normalizer.normalize(p.record, ctx);
      if (!n.ok) return;
      enricher.enrich(n.doc);
      JSON.stringify(n.doc as EventDoc);
      observeInto(defs, n.doc, batch);
      if (batch.length >= 2000) {
        applyObservations(state, batch, { now, calendar });
        enricher.takeChanges();
        batch = [];
      }
    }, opts.runs),
  );
  if (state.pairs.size === 0) state = new MemoryAssocState();
  results.push(pipeline);
  opts.log(`${pipeline.name}: ${pipeline.median} lines/s (×${pipeline.ratio} baseline)`);
  return results;
}
