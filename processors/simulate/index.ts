// Incident simulator: deterministic, pure generation of SMF-derived message lines with ground truth.
//
// Data flow:
//   options.ts      validate + default the options (every problem at once, at call time)
//   population.ts   systems, people with habits, service accounts, batch schedule (seeded)
//   incidents.ts    bind incident specs to days and people (errors at call time)
//   per day:  day.ts (DayBuilder) ← services.ts, sessions.ts/activity.ts, incidents.ts
//             → records in time order → formats/ writer per record → malformed.ts copies
//   → SimLine { time, text, format, truth }
// samples.ts defines the bundled sample feeds (written by agent/cli/simulate.ts --samples).
// No I/O and no clock: the same options give byte-identical lines. Each line's `truth` says what
// really happened (user, client IP, terminal behind it; incident label) and never appears in `text`.
// Lines are produced lazily, one day in memory at a time; the iterable can be iterated repeatedly.

import { buildDays, type SimDay } from './calendar.js';
import { DayBuilder, RunState } from './day.js';
import { chooseWriters, type WriterChoice } from './formats/index.js';
import { injectIncident, resolveIncidents, type Incident } from './incidents.js';
import { breakLine } from './malformed.js';
import { resolveOptions, type ConcreteFormat, type SimConfig, type SimOptions } from './options.js';
import { buildWorld, type World } from './population.js';
import { Rng } from './random.js';
import { KIND_SMF, RECORD_KINDS, type SimTruth } from './records.js';
import { serviceDay } from './services.js';
import { humanDay } from './sessions.js';

export {
  CONCRETE_FORMATS, INCIDENT_KINDS, SIM_DEFAULTS, SIM_FORMATS, defaultIncidents, resolveOptions,
  type ConcreteFormat, type IncidentKind, type IncidentSpec, type SimConfig, type SimFormat, type SimOptions,
} from './options.js';
export { RECORD_KINDS, KIND_SMF, type RecordKind, type SimTruth } from './records.js';
export { SERVICE_ACCOUNTS } from './population.js';

export interface SimLine {
  /** When the event happened (UTC instant). Lines come in non-decreasing time order. */
  time: Date;
  /** The line as the forwarder writes it, without line terminator. */
  text: string;
  /** The concrete format of this line (with `mixed`, it differs per line). */
  format: ConcreteFormat;
  truth: SimTruth;
}

/**
 * Simulated lines for the options. Throws SMF_ERR_USAGE (listing every problem) on invalid options
 * or incidents; never throws while iterating.
 */
export function simulate(options: SimOptions = {}): Iterable<SimLine> {
  const config = resolveOptions(options);
  const days = buildDays(config.start, config.days, config.timezone);
  const world = buildWorld(config);
  const incidents = resolveIncidents(config, days, world);
  return { [Symbol.iterator]: () => run(config, days, world, incidents) };
}

function* run(config: SimConfig, days: readonly SimDay[], world: World, incidents: readonly Incident[]): Generator<SimLine> {
  const state = new RunState(config.seed);
  const choice = chooseWriters(config.format, config.systems);
  const headers = pendingHeaders(config, choice);
  const renderRng = Rng.from(config.seed, 'render');
  const mixRng = Rng.from(config.seed, 'mix');
  const brokenRng = Rng.from(config.seed, 'malformed');
  // Inserting a broken copy after a line with probability q gives a broken share of q / (1 + q) = f.
  const q = config.malformed / (1 - config.malformed);

  for (const day of days) {
    const b = new DayBuilder(day, world, state, Rng.from(config.seed, 'day', day.index), config.recordTypes);
    serviceDay(b);
    for (const p of world.people) humanDay(b, p);
    for (const inc of incidents) if (inc.day === day.index) injectIncident(b, inc);

    for (const r of b.ordered()) {
      const writer = choice.pick(r.kind, mixRng);
      if (writer === undefined) continue;
      const time = new Date(r.utcMs);
      const header = headers.size === 0 ? undefined : headers.get(writer.format);
      if (header !== undefined) {
        headers.delete(writer.format);
        yield { time, text: header, format: writer.format, truth: { kind: 'header' } };
      }
      const text = writer.write(r, renderRng);
      yield { time, text, format: writer.format, truth: r.truth() };
      if (q > 0 && brokenRng.chance(q)) {
        const broken = breakLine(text, writer.format, brokenRng);
        yield { time, text: broken.text, format: writer.format, truth: { kind: 'malformed', system: r.system } };
      }
    }
  }
}

/** Header lines still to write, per format (CSV: the union of the columns of every kind that can occur). */
function pendingHeaders(config: SimConfig, choice: WriterChoice): Map<ConcreteFormat, string> {
  const kinds = RECORD_KINDS.filter((k) => {
    const type = KIND_SMF[k].type;
    return config.recordTypes === undefined || (type !== undefined && config.recordTypes.has(type));
  });
  const out = new Map<ConcreteFormat, string>();
  for (const w of choice.writers) {
    if (w.header !== undefined) out.set(w.format, w.header(kinds.filter((k) => w.accepts(k))));
  }
  return out;
}
