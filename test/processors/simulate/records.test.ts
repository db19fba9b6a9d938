import test from 'ava';
import { buildDays } from '../../../processors/simulate/calendar.js';
import { DayBuilder, RunState } from '../../../processors/simulate/day.js';
import { injectIncident, resolveIncidents } from '../../../processors/simulate/incidents.js';
import { defaultIncidents, resolveOptions } from '../../../processors/simulate/options.js';
import { buildWorld } from '../../../processors/simulate/population.js';
import { Rng } from '../../../processors/simulate/random.js';
import { KIND_FIELDS, RECORD_KINDS, SimRecord } from '../../../processors/simulate/records.js';
import { FIELD_ORDER } from '../../../processors/simulate/formats/fields.js';
import { serviceDay } from '../../../processors/simulate/services.js';
import { humanDay } from '../../../processors/simulate/sessions.js';

// The writers only look at KIND_FIELDS: a generator setting anything else would be silently dropped.
test('generators set only the fields their record kind declares, and every kind occurs', (t) => {
  const config = resolveOptions({ seed: 3, users: 120, days: 2, incidents: defaultIncidents() });
  const days = buildDays(config.start, config.days, config.timezone);
  const world = buildWorld(config);
  const incidents = resolveIncidents(config, days, world);
  const state = new RunState(config.seed);
  const seen = new Set<string>();
  const blank = new SimRecord('sessmon', {});
  for (const day of days) {
    const b = new DayBuilder(day, world, state, Rng.from(config.seed, 'day', day.index), undefined);
    serviceDay(b);
    for (const p of world.people) humanDay(b, p);
    for (const inc of incidents) if (inc.day === day.index) injectIncident(b, inc);
    for (const r of b.records) {
      seen.add(r.kind);
      for (const f of FIELD_ORDER) {
        if (r[f] !== blank[f] && !KIND_FIELDS[r.kind].includes(f)) t.fail(`${r.kind} sets ${f}`);
      }
    }
  }
  t.deepEqual([...seen].sort(), [...RECORD_KINDS].sort());
});

test('the day stays within the local day, and records come out in time order', (t) => {
  const config = resolveOptions({ seed: 4, users: 50, days: 1, start: '2025-03-30', timezone: 'Europe/Berlin' });
  const [day] = buildDays(config.start, 1, config.timezone);
  if (day === undefined) return t.fail();
  const b = new DayBuilder(day, buildWorld(config), new RunState(4), Rng.from(4, 'day'), undefined);
  serviceDay(b);
  const ordered = b.ordered();
  t.is(ordered.length, b.records.length);
  t.true(ordered.every((r, i) => i === 0 || r.utcMs >= (ordered[i - 1] as SimRecord).utcMs));
  t.true(ordered.every((r) => r.utcMs >= day.utcStart && r.utcMs < day.utcEnd));
  // No wall time inside the skipped hour 02:00-03:00 of the spring-forward day.
  t.false(ordered.some((r) => new Date(r.wallMs).getUTCHours() === 2));
});
