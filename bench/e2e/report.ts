// Markdown for the end-to-end section of bench/results/latest.md: the comparison per format, the
// targets (met or missed, and for a miss where the time or memory goes, from the measurements and
// the profile), the profile itself, and the growth table.

import type { E2EResult, FormatResult, ShipperSummary } from '../e2e.js';
import type { ProfileSummary } from './profile.js';
import { SHIPPER_LABEL, type ShipperName } from './types.js';

export const TARGETS = { ceilingRatio: 0.9, competitorRatio: 1.0, rssUnderLoadMb: 150, linearTolerance: 1.15 };

const fmt = (x: number | undefined, digits = 0) => (x === undefined || Number.isNaN(x) ? '–' : x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
const ratio = (a?: ShipperSummary, b?: ShipperSummary) => (a && b ? a.medianLinesPerSecond / b.medianLinesPerSecond : undefined);

/** Remedies worth trying when a profile area dominates (what the code does there, see ARCHITECTURE.md). */
const REMEDIES: [RegExp, string][] = [
  [/garbage collector/, 'allocation per line: the normalized document object, its JSON string, the observation objects and the bulk body are all fresh per event — serialise once into the bulk body, keep observations as flat arrays, and give the young generation more room (--max-semi-space-size) so fewer objects survive a scavenge'],
  [/lmdb/, 'association counting reads and writes each touched pair, daily and summary record once per checkpoint (group commit) as msgpack objects that repeat the key\'s strings: a compact fixed binary layout for pair records (six numbers) and a bounded in-memory cache of hot records would cut the pack/unpack and read cost'],
  [/associations: observe/, 'applyObservations runs per observation (key strings, map lookups, top-value lists): moving the association stage to a worker thread would take it off the line-processing thread on machines with a spare core'],
  [/pipeline/, 'per-line work in the pipeline (processor wrapper, sha256 document ids, batch bookkeeping): a cheaper id hash (the id needs uniqueness, not cryptographic strength) and fewer per-line closures'],
  [/normalize/, 'normalization (alias lookups, building the nested document): precompute per-profile field plans'],
  [/V8\/native/, 'JSON.stringify of every document (native): serialise straight into the bulk body instead of a per-event string that is copied again'],
  [/Node\.js internals/, 'HTTP and file streams: larger read buffers, fewer writes per bulk request'],
  [/parse/, 'parsing: fewer intermediate strings per field'],
];

function shipperRow(format: string, name: ShipperName, s: ShipperSummary): string {
  const rss = s.rss ? `${fmt(s.rss.idleBeforeMb)} / ${fmt(s.rss.loadPeakMb)} / ${fmt(s.rss.loadMedianMb)} (anon. peak ${fmt(s.rss.loadPeakAnonMb)})${s.rss.idleAfterMb !== undefined ? `, after ${fmt(s.rss.idleAfterMb)}` : ''}` : '–';
  return `| ${format} | ${SHIPPER_LABEL[name]} | ${fmt(s.medianLinesPerSecond)} | ${s.ratioToCeiling === undefined ? (name === 'ceiling' ? '1' : '–') : fmt(s.ratioToCeiling, 2)} | ${fmt(s.medianSeconds, 1)} | ${fmt(s.shipperCpuMsPer1kLines, 1)} | ${fmt(s.esCpuMsPer1kLines, 1)} | ${rss} | ${s.lost} | ${s.runs.map((r) => fmt(r.linesPerSecond)).join(', ')} |`;
}

function profileLines(p: ProfileSummary): string[] {
  const out = [
    `Window ${fmt(p.windowMs / 1000, 1)} s${p.wholeProfile ? ' (whole run: the timed window could not be matched)' : ''}; main thread idle (waiting for Elasticsearch, the store's commit or the file) ${pct(p.idleShare)}, busy ${pct(1 - p.idleShare)}. ` +
      'Busy time is wall time sampled while the thread was running or runnable: on a loaded machine it includes waiting for a core. Shares below are of the busy time.',
    '',
    '| area (self time) | share | ms |',
    '|---|---|---|',
    ...p.areas.slice(0, 12).map((a) => `| ${a.area} | ${pct(a.share)} | ${fmt(a.ms)} |`),
    '',
    '| top functions by self time | where | share | ms |',
    '|---|---|---|---|',
    ...p.functions.map((f) => `| ${f.fn} | ${f.where} | ${pct(f.share)} | ${fmt(f.ms)} |`),
  ];
  if (p.inclusive.length) {
    out.push('', '| agent functions by inclusive time (self + callees) | where | share | ms |', '|---|---|---|---|', ...p.inclusive.map((f) => `| ${f.fn} | ${f.where} | ${pct(f.share)} | ${fmt(f.ms)} |`));
  }
  return out;
}

/** For a throughput miss: what the measurements say about where the time goes. */
function throughputCause(f: FormatResult, against: readonly ShipperName[], profile?: E2EResult['profile']): string {
  const s = f.shippers;
  const agent = s.agent!;
  const parts: string[] = [];
  const others = against.filter((a) => s[a]).map((a) => `${a}: ${fmt(s[a]!.shipperCpuMsPer1kLines, 0)} ms and ${fmt(s[a]!.esCpuMsPer1kLines, 0)} ms`);
  parts.push(
    `per 1,000 lines the agent used ${fmt(agent.shipperCpuMsPer1kLines, 0)} ms of its own CPU and Elasticsearch ${fmt(agent.esCpuMsPer1kLines, 0)} ms (${others.join('; ')}; ` +
      `the agent's Elasticsearch figure includes the association documents it indexes)`,
  );
  // On a host whose cores the shipper shares with Elasticsearch, the rate follows the inverse of the
  // CPU both spend per line: compare that prediction with the measured ratio.
  const cpuSum = (x: ShipperSummary) => x.shipperCpuMsPer1kLines + x.esCpuMsPer1kLines;
  const sums = ['agent', ...against].filter((a) => s[a as ShipperName]).map((a) => `${a} ${fmt(cpuSum(s[a as ShipperName]!), 0)}`);
  const ceiling = s.ceiling;
  parts.push(
    `CPU per 1,000 lines, shipper + Elasticsearch: ${sums.join(', ')} ms; where the shipper and the node share the cores, rates go by the inverse of that sum` +
      (ceiling ? ` (predicted agent ÷ ceiling ${fmt(cpuSum(ceiling) / cpuSum(agent), 2)}, measured ${fmt(agent.ratioToCeiling, 2)})` : ''),
  );
  const noAssoc = s['agent-no-assoc'];
  if (noAssoc) parts.push(`with associations off the agent ran at ${fmt(noAssoc.medianLinesPerSecond)} lines/s (${fmt(noAssoc.ratioToCeiling, 2)} × ceiling), ${fmt(noAssoc.shipperCpuMsPer1kLines, 0)} ms CPU per 1,000 lines`);
  if (profile) parts.push(`profile (${profile.format === f.feed.format ? 'this format' : profile.format}): ${profile.summary.areas.slice(0, 4).map((a) => `${a.area} ${pct(a.share)}`).join(', ')}`);
  return parts.join('; ');
}

function remedies(p: ProfileSummary | undefined): string {
  if (!p) return 'run with a profile (--profile FORMAT) to see where the time goes';
  const picked: string[] = [];
  for (const a of p.areas.slice(0, 5)) {
    const r = REMEDIES.find(([re]) => re.test(a.area));
    if (r && !picked.includes(r[1])) picked.push(r[1]);
  }
  return picked.map((r, i) => `(${i + 1}) ${r}`).join('; ');
}

export function e2eMarkdown(r: E2EResult): string[] {
  const o = r.options;
  const d = r.agentDefaults;
  const md = [
    '## End to end: file → Elasticsearch, against the shippers a user would pick instead (same node, same run)',
    '',
    `Elasticsearch ${r.elasticsearch.version} at ${r.elasticsearch.url}; official client ${r.versions.elasticsearchClient}; pino-elasticsearch ${r.versions.pinoElasticsearch}; ` +
      `rsyslog ${r.versions.rsyslog ?? `skipped: ${r.skipped.rsyslog ?? 'not asked'}`}. The agent ran ${o.agentRuntime === 'dist' ? 'compiled (tsc with tsconfig.build.json, as packaged)' : 'through tsx'}${o.agentNodeFlags?.length ? ` with node ${o.agentNodeFlags.join(' ')}` : ''}${o.agentPipeline && Object.keys(o.agentPipeline).length ? `, pipeline settings changed: ${Object.entries(o.agentPipeline).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}.`,
    '',
    `Feeds: ${fmt(o.lines)} simulated lines per format (${o.users} users, 14 days ending yesterday, seed ${o.seed}), ${o.runs} interleaved round${o.runs === 1 ? '' : 's'}; figures are medians over the rounds. ` +
      `Each shipper is timed from the moment its input is there (the feed file hard-linked into the watched directory; for pino-elasticsearch the first byte piped in) until Elasticsearch has acknowledged every line ` +
      `(agent: its own metrics; others: the index's primary indexing counter); start-up is not in the figure. ` +
      `Ceiling: the agent's own documents for the same lines, built beforehand, sent by the official client exactly as the agent's output sends them (create with the deterministic _id, ${fmt(d.bulkMaxEvents)} events or ${fmt(d.bulkMaxBytes / 1048576)} MiB per request, ${d.concurrency} in flight). ` +
      `pino-elasticsearch: its CLI on stdin, flush size ${fmt(d.bulkMaxBytes / 1048576)} MiB (its default, 1,000 bytes, sends a few lines per request), index op without id, 5 requests in flight (its bulk helper's default); ` +
      `non-JSON lines were wrapped as {"message": line} beforehand, outside the timed part. rsyslog: imfile (inotify) → omelasticsearch, bulk mode, ${fmt(d.bulkMaxEvents)} lines per request, ${d.concurrency} workers, esVersion.major="8", searchType="", each line as {"@timestamp","message"}. ` +
      `The agent indexes parsed, normalized, enriched ECS documents (smf-events-* template, best_compression) and, with associations on, association documents as well; pino-elasticsearch and rsyslog index the raw line (dynamic mapping), which is cheaper for Elasticsearch. ` +
      `CPU per 1,000 lines: the shipper's process, and the Elasticsearch node (shared with other jobs on this machine) over the same window. Memory: resident set (VmRSS) from /proc, idle before the input / peak / median under load, anonymous part, idle after draining.`,
    '',
    '| format | shipper | median lines/s | × ceiling | median s | shipper CPU ms / 1k lines | Elasticsearch CPU ms / 1k lines | RSS MB: idle / peak / median under load | lines lost | runs (lines/s) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const f of r.formats) for (const [name, s] of Object.entries(f.shippers) as [ShipperName, ShipperSummary][]) md.push(shipperRow(f.feed.format, name, s));
  const skipped = Object.entries(r.skipped);
  if (skipped.length) md.push('', `Skipped or failed: ${skipped.map(([k, v]) => `${k}: ${v}`).join('; ')}.`);
  md.push('', 'Feeds: ' + r.formats.map((f) => `${f.feed.format} ${fmt(f.feed.bytes / 1e6, 1)} MB (${fmt(f.feed.bytes / f.feed.lines)} B/line, agent document ${fmt(f.feed.docBytes / f.feed.lines)} B, ${f.feed.rejected} rejected)`).join('; ') + '.', '');

  // Targets.
  md.push('### Targets', '', '| target | format | measured | met |', '|---|---|---|---|');
  const misses: string[] = [];
  for (const f of r.formats) {
    const s = f.shippers;
    if (!s.agent) continue;
    const checks: [string, ShipperName, number, number | undefined][] = [
      [`end to end ≥ ${TARGETS.ceilingRatio} × raw bulk ceiling`, 'ceiling', TARGETS.ceilingRatio, s.agent.ratioToCeiling],
      [`≥ ${TARGETS.competitorRatio} × pino-elasticsearch`, 'pino', TARGETS.competitorRatio, ratio(s.agent, s.pino)],
      [`≥ ${TARGETS.competitorRatio} × rsyslog`, 'rsyslog', TARGETS.competitorRatio, ratio(s.agent, s.rsyslog)],
    ];
    const missed: ShipperName[] = [];
    for (const [target, against, want, got] of checks) {
      if (got === undefined) {
        md.push(`| ${target} | ${f.feed.format} | not measured${against === 'rsyslog' && r.skipped.rsyslog ? ` (${r.skipped.rsyslog})` : ''} | – |`);
        continue;
      }
      const met = got >= want;
      md.push(`| ${target} | ${f.feed.format} | ${fmt(got, 2)} | ${met ? 'yes' : 'no'} |`);
      if (!met) missed.push(against);
    }
    if (missed.length) misses.push(`- **Throughput, ${f.feed.format}: below ${missed.map((m) => (m === 'ceiling' ? `${TARGETS.ceilingRatio} × the ceiling` : SHIPPER_LABEL[m])).join(', ')}.** Where the time goes: ${throughputCause(f, missed, r.profile)}.`);
    const peak = s.agent.rss?.loadPeakMb;
    if (peak !== undefined) {
      const met = peak < TARGETS.rssUnderLoadMb;
      md.push(`| resident memory under load < ${TARGETS.rssUnderLoadMb} MB | ${f.feed.format} | peak ${fmt(peak)} MB (anonymous ${fmt(s.agent.rss?.loadPeakAnonMb)} MB) | ${met ? 'yes' : 'no'} |`);
      if (!met) {
        const na = s['agent-no-assoc']?.rss;
        misses.push(
          `- **Memory under load, ${f.feed.format}: peak ${fmt(peak)} MB**: idle before the feed ${fmt(s.agent.rss?.idleBeforeMb)} MB; anonymous memory (V8 heap and native allocations) ${fmt(s.agent.rss?.loadPeakAnonMb)} MB, the rest mapped files (the node binary, the LMDB store). ` +
            (na ? `With associations off the peak was ${fmt(na.loadPeakMb)} MB (anonymous ${fmt(na.loadPeakAnonMb)} MB): ${na.loadPeakMb !== undefined && na.loadPeakMb >= 0.75 * peak ? 'most of the growth is not association state but' : `associations add ${fmt(peak - (na.loadPeakMb ?? 0))} MB; the rest is`} the heap V8 grows while events stream through (queue up to ${fmt(d.queueMaxEvents)} lines / ${fmt(d.queueMaxBytes / 1048576)} MiB, ${d.maxInFlightBatches} batches of ${fmt(d.batchMaxEvents)} events in flight, each line also a document, a JSON string and bulk-body text). ` : '') +
            `After draining it stayed at ${fmt(s.agent.rss?.idleAfterMb)} MB: V8 keeps the heap it grew. Levers: a heap limit (--max-old-space-size, at a CPU cost), fewer allocations per line, fewer lines in flight, a smaller idle footprint.`,
        );
      }
    }
  }
  md.push('');
  if (misses.length) {
    md.push('Misses, and where the time or memory goes:', '', ...misses, '');
    md.push(`What would close the throughput gap, from the profile's largest areas: ${remedies(r.profile?.summary)}.`, '');
  }
  if (r.profile) md.push(`### Where the agent's time goes (node --cpu-prof, ${r.profile.format}, one extra run at ${fmt(r.profile.linesPerSecond)} lines/s)`, '', ...profileLines(r.profile.summary), '');
  md.push(
    'Elsewhere in this file: resident memory with 1 M association pairs in the store is the association store section (bench/memory.ts; 10 M pairs with --pairs 1000000,10000000, left out of the default run because it takes about ten minutes on a 2-core machine); ' +
      'the nightly job\'s duration is in the detection section (bench/detection.ts); how the costs grow with the input is the growth section (--growth, or --only growth).',
    '',
  );
  return md;
}

/** The growth section: the comparison at N, 2N and 4N lines of one format, and whether each cost grows linearly. */
export function growthMarkdown(r: E2EResult): string[] {
  const g = r.growth;
  if (!g) return [];
  const runs = r.options.growth?.runs ?? r.options.runs;
  const names = [...new Set(g.sizes.flatMap((s) => Object.keys(s.shippers)))] as ShipperName[];
  const md = [
    `## Growth: file → Elasticsearch at ${g.sizes.map((s) => fmt(s.lines)).join(', ')} lines (${g.format}, ${runs} interleaved round${runs === 1 ? '' : 's'}, medians)`,
    '',
    `The end-to-end comparison (same shippers, same measurement) at N, 2N and 4N lines; the input is doubled by doubling the events per day (same people, same 14 days), so the agent also counts more distinct association pairs. ` +
      `Cost per line is CPU: the shipper's and Elasticsearch's, per line, at 2N and 4N divided by the same at N; linear means at most ${TARGETS.linearTolerance}. ` +
      `Wall time per line is shown too, but on a shared machine it follows the load of the moment more than the input size. Elasticsearch ${r.elasticsearch.version}; the agent ran ${r.options.agentRuntime === 'dist' ? 'compiled' : 'through tsx'}.`,
    '',
    `| shipper | ${g.sizes.map((s) => `lines/s at ${fmt(s.lines)}`).join(' | ')} | wall time per line ÷ at N | CPU per line ÷ at N | shipper CPU ms / 1k lines | Elasticsearch CPU ms / 1k lines | RSS peak MB (anonymous) | linear |`,
    `|---|${g.sizes.map(() => '---').join('|')}|---|---|---|---|---|---|`,
  ];
  const cpu = new Map(growthRatios(r, 'cpu'));
  const wall = new Map(growthRatios(r, 'wall'));
  const notes: string[] = [];
  for (const n of names) {
    const row = g.sizes.map((s) => s.shippers[n]);
    const rs = cpu.get(n) ?? [];
    const met = rs.every((x) => x <= TARGETS.linearTolerance);
    const rss = row.map((s) => (s?.rss?.loadPeakMb === undefined ? '–' : `${fmt(s.rss.loadPeakMb)} (${fmt(s.rss.loadPeakAnonMb)})`)).join(', ');
    md.push(
      `| ${SHIPPER_LABEL[n]} | ${row.map((s) => fmt(s?.medianLinesPerSecond)).join(' | ')} | 1, ${(wall.get(n) ?? []).map((x) => fmt(x, 2)).join(', ')} | 1, ${rs.map((x) => fmt(x, 2)).join(', ')} | ${row.map((s) => fmt(s?.shipperCpuMsPer1kLines, 1)).join(', ')} | ${row.map((s) => fmt(s?.esCpuMsPer1kLines, 1)).join(', ')} | ${rss} | ${met ? 'yes' : 'no'} |`,
    );
    if (!met) notes.push(`- **${SHIPPER_LABEL[n]}: CPU per line ×${fmt(Math.max(...rs), 2)} at the larger inputs.** Its own CPU per 1,000 lines went ${row.map((s) => fmt(s?.shipperCpuMsPer1kLines, 0)).join(' → ')} ms, Elasticsearch's ${row.map((s) => fmt(s?.esCpuMsPer1kLines, 0)).join(' → ')} ms.`);
    const peaks = row.map((s) => s?.rss?.loadPeakAnonMb);
    if (n === 'agent' && peaks.every((x) => x !== undefined) && peaks[peaks.length - 1]! > 1.15 * peaks[0]!) {
      notes.push(`- **${SHIPPER_LABEL[n]}: anonymous memory under load grew with the input** (${peaks.map((x) => fmt(x)).join(' → ')} MB) although the pipeline's bounds did not change: the heap is not capped, and V8 sizes it by allocation history, so this does not yet tell live data from headroom (a run with --agent-node-flags --max-old-space-size=… would).`);
    }
  }
  const skipped = Object.entries(r.skipped);
  if (skipped.length) md.push('', `Skipped or failed: ${skipped.map(([k, v]) => `${k}: ${v}`).join('; ')}.`);
  md.push('');
  if (notes.length) md.push(...notes, '');
  return md;
}

/** Per shipper: cost per line at 2N and 4N divided by cost per line at N (CPU: shipper + Elasticsearch; or wall time). */
export function growthRatios(r: E2EResult, cost: 'cpu' | 'wall' = 'cpu'): [ShipperName, number[]][] {
  if (!r.growth) return [];
  const sizes = r.growth.sizes;
  const base = sizes[0]!;
  const perLine = (s: ShipperSummary, lines: number) => (cost === 'cpu' ? s.shipperCpuMsPer1kLines + s.esCpuMsPer1kLines : (1000 * s.medianSeconds) / lines);
  const out: [ShipperName, number[]][] = [];
  for (const name of Object.keys(base.shippers) as ShipperName[]) {
    const p0 = perLine(base.shippers[name]!, base.lines);
    out.push([name, sizes.slice(1).map((s) => (s.shippers[name] ? perLine(s.shippers[name]!, s.lines) / p0 : NaN))]);
  }
  return out;
}
