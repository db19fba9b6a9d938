#!/usr/bin/env node
// Thin shell over processors/simulate: parses the command line, writes lines and ground truth to
// files. All generation is in the pure core; this file only does I/O. Also meant to back
// `smf-agent simulate` (import runSimulate and pass argv).
//
//   smf-agent simulate [--format F] [--days N] [--start YYYY-MM-DD] [--users N] [--seed S]
//       [--timezone TZ] [--systems SYSA,SYSB] [--events-per-day N] [--malformed F] [--record-types 80,30]
//       [--incidents default|none|<json>] [--out FILE] [--truth FILE.jsonl]
//   smf-agent simulate --samples [DIR]        the bundled sample feeds (default DIR: samples)
//
// `--out` and `--truth` may contain `{format}`: one file per concrete format (use with --format mixed).
// Without --out, lines go to stdout. Truth lines: {"line":n,"time":ISO,"kind":…,"user":…} where n
// is the 1-based line number in the file the line went to (plus "format" when mixed lines share a file).
// Exit codes: 0 ok, 2 bad usage.

import { mkdirSync, writeFileSync, closeSync, openSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeError, SmfError } from '../errors.js';
import {
  defaultIncidents, INCIDENT_KINDS, SIM_FORMATS, simulate, type ConcreteFormat, type IncidentSpec, type SimLine, type SimOptions,
} from '../../processors/simulate/index.js';
import { demoOptions, SAMPLE_FEEDS, samplesReadme } from '../../processors/simulate/samples.js';

const USAGE = `usage: simulate [options] | --samples [dir]
  --format ${SIM_FORMATS.join('|')}   (default leef)
  --days N  --start YYYY-MM-DD  --users N  --seed S  --timezone TZ  --systems SYSA,SYSB
  --events-per-day N  --malformed F  --record-types 80,30
  --incidents default|none|<json array of {kind, day, user?, label?, dsn?}>   (default: default)
  --out FILE  --truth FILE.jsonl   (either may contain {format}: one file per format)
  --samples [DIR]   write the bundled sample feeds and the demo feed (default DIR: samples)
incident kinds: ${INCIDENT_KINDS.join(', ')}`;

/** Buffered synchronous file output: simulated feeds are written far faster than streams allow. */
class Sink {
  private buffer: string[] = [];
  private size = 0;
  private readonly fd: number;
  lines = 0;
  bytes = 0;

  constructor(path: string | undefined) {
    if (path !== undefined) mkdirSync(dirname(resolve(path)), { recursive: true });
    this.fd = path === undefined ? 1 : openSync(path, 'w');
  }

  write(text: string): void {
    this.buffer.push(text);
    this.size += text.length + 1;
    this.lines++;
    this.bytes += Buffer.byteLength(text) + 1;
    if (this.size > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    writeSync(this.fd, `${this.buffer.join('\n')}\n`);
    this.buffer = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    if (this.fd !== 1) closeSync(this.fd);
  }
}

export interface WriteSummary {
  lines: number;
  bytes: number;
  seconds: number;
  files: Record<string, { lines: number; bytes: number }>;
}

/** Where a format's lines go: a path, or undefined for stdout. */
export type PathFor = (format: ConcreteFormat) => string | undefined;

/** `{format}` in a template splits the output by format. */
export const fromTemplate =
  (template: string | undefined): PathFor =>
  (format) =>
    template?.replaceAll('{format}', format);

/**
 * Writes the lines to `out` and, when given, their truth to `truth`. Truth lines name the format
 * only when asked (`withFormat`): a file of one format does not need it on every line.
 */
export function writeLines(lines: Iterable<SimLine>, out: PathFor, truth?: PathFor, withFormat = false): WriteSummary {
  const started = performance.now();
  const sinks = new Map<string, Sink>();
  const truthPaths = new Set<string>();
  const sink = (pathFor: PathFor, format: ConcreteFormat): Sink => {
    const path = pathFor(format);
    const key = path ?? '-';
    let s = sinks.get(key);
    if (s === undefined) sinks.set(key, (s = new Sink(path)));
    return s;
  };
  let total = 0;
  for (const line of lines) {
    const target = sink(out, line.format);
    target.write(line.text);
    total++;
    if (truth !== undefined) {
      const t = sink(truth, line.format);
      truthPaths.add(truth(line.format) ?? '-');
      const head = withFormat ? { line: target.lines, time: line.time.toISOString(), format: line.format } : { line: target.lines, time: line.time.toISOString() };
      t.write(JSON.stringify({ ...head, ...line.truth }));
    }
  }
  const files: WriteSummary['files'] = {};
  let bytes = 0;
  for (const [path, s] of sinks) {
    s.close();
    files[path] = { lines: s.lines, bytes: s.bytes };
    if (!truthPaths.has(path)) bytes += s.bytes;
  }
  return { lines: total, bytes, seconds: (performance.now() - started) / 1000, files };
}

function parseIncidents(value: string | undefined): IncidentSpec[] {
  if (value === undefined || value === 'default') return defaultIncidents();
  if (value === 'none') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new SmfError('SMF_ERR_USAGE', `--incidents is neither default, none nor JSON: ${describeError(err)}`, { cause: err });
  }
  if (!Array.isArray(parsed)) throw new SmfError('SMF_ERR_USAGE', '--incidents JSON must be an array of {kind, day, user?, label?, dsn?}');
  return parsed as IncidentSpec[];
}

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new SmfError('SMF_ERR_USAGE', `--${name} "${value}" is not a number`);
  return n;
}

/** Runs the command; returns the exit code. Never calls process.exit. */
export function runSimulate(argv: readonly string[]): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string' },
      days: { type: 'string' },
      start: { type: 'string' },
      users: { type: 'string' },
      seed: { type: 'string' },
      timezone: { type: 'string' },
      systems: { type: 'string' },
      'events-per-day': { type: 'string' },
      malformed: { type: 'string' },
      'record-types': { type: 'string' },
      incidents: { type: 'string' },
      out: { type: 'string' },
      truth: { type: 'string' },
      samples: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.samples) return writeSamples(positionals[0] ?? 'samples');
  if (positionals.length > 0) throw new SmfError('SMF_ERR_USAGE', `unexpected argument "${positionals[0]}"`, { hint: USAGE });

  const options: SimOptions = { incidents: parseIncidents(values.incidents) };
  if (values.format !== undefined) options.format = values.format as SimOptions['format'];
  if (values.start !== undefined) options.start = values.start;
  if (values.timezone !== undefined) options.timezone = values.timezone;
  if (values.seed !== undefined) options.seed = values.seed;
  if (values.systems !== undefined) options.systems = values.systems.split(',').map((s) => s.trim());
  const days = numberOption('days', values.days);
  if (days !== undefined) options.days = days;
  const users = numberOption('users', values.users);
  if (users !== undefined) options.users = users;
  const perDay = numberOption('events-per-day', values['events-per-day']);
  if (perDay !== undefined) options.eventsPerDay = perDay;
  const malformed = numberOption('malformed', values.malformed);
  if (malformed !== undefined) options.malformed = malformed;
  if (values['record-types'] !== undefined) options.recordTypes = values['record-types'].split(',').map((t) => numberOption('record-types', t) ?? -1);

  const truth = values.truth;
  const mixedInOneFile = options.format === 'mixed' && !(values.out ?? '').includes('{format}');
  const summary = writeLines(simulate(options), fromTemplate(values.out), truth === undefined ? undefined : fromTemplate(truth), mixedInOneFile);
  const rate = Math.round(summary.lines / Math.max(summary.seconds, 1e-3));
  console.error(`simulate: ${summary.lines} lines, ${summary.bytes} bytes in ${summary.seconds.toFixed(2)} s (${rate} lines/s)`);
  return 0;
}

/**
 * The demo feeds for a last day into `dir`, truth beside them: one whole stream per LPAR, as an
 * agent sees it (enrichment learns from the order of one stream): SYSA as zSecure LEEF with the
 * injected incidents, SYSB as BMC RFC 3164 syslog without incidents.
 */
export function writeDemoFeed(dir: string, lastDay: string): { lines: number; bytes: number } {
  const base = demoOptions(lastDay);
  const feeds: [string, SimOptions][] = [
    ['sysa.zsecure.leef.log', { ...base, format: 'leef', systems: ['SYSA'] }],
    ['sysb.bmc.rfc3164.log', { ...base, format: 'rfc3164', systems: ['SYSB'], seed: 'sysb', users: 80, eventsPerDay: 1500, incidents: [] }],
  ];
  let lines = 0;
  let bytes = 0;
  for (const [file, options] of feeds) {
    const s = writeLines(simulate(options), () => join(dir, file), () => join(dir, 'truth', `${file}.jsonl`));
    lines += s.lines;
    bytes += s.bytes;
  }
  return { lines, bytes };
}

/** The bundled sample feeds (one small file per format), with truth and a README. */
export function writeSamples(dir: string): number {
  mkdirSync(join(dir, 'truth'), { recursive: true });
  const sizes: string[] = [];
  for (const feed of SAMPLE_FEEDS) {
    const s = writeLines(simulate(feed.options), () => join(dir, feed.file), () => join(dir, 'truth', `${feed.file}.jsonl`));
    sizes.push(`${feed.file}: ${s.lines} lines, ${s.bytes} bytes`);
  }
  writeFileSync(join(dir, 'README.md'), samplesReadme());
  console.error(`simulate: wrote samples to ${dir}\n  ${sizes.join('\n  ')}`);
  return 0;
}
