// Injected incidents: labelled, on a given day, by a given interactive user. Each runs in its own TSO
// session whose every record (logon included) carries the label in `truth.incident`, on top of the
// user's ordinary day. Signatures, by kind:
// - dataset-sweep: one session reads max(15 × the user's usual daily distinct data sets, 12 × the
//   population median, 30) distinct data sets of other users and departments; ~30 % are refused (RACF
//   violations), the rest leave SMF 14 closes that carry only the job name. `size` overrides the count.
// - activity-burst: max(10 × the user's usual daily lines, 12 × the population median, 40) lines of
//   the user's usual activities within ten minutes, over today's usual data sets. `size` overrides it.
// - honeypot: a read of a decoy data set (audited: SMF 80 with the user, then SMF 14), and a refused
//   update attempt on it.
// - new-terminal: a logon from an LU and a client IP (203.0.113.0/24) never used by anyone before.
// - off-hours: a logon at 03:00–03:15 local, a few reads of the user's own data sets, logoff.

import { SmfError } from '../../agent/errors.js';
import { activity, dataSetAccess, pickActivity, todaysDatasets, violation } from './activity.js';
import { between, type DayBuilder } from './day.js';
import { HOUR_MS, type SimDay } from './calendar.js';
import { DEFAULT_HONEYPOT, ds, OWN_LLQS, PROD_APPS, PROD_LLQS } from './names.js';
import type { IncidentKind, SimConfig } from './options.js';
import { BASE36, SESSION_LINES, type Person, type World } from './population.js';
import { Rng } from './random.js';
import { closeTso, fill, openTso } from './sessions.js';

export interface Incident {
  readonly kind: IncidentKind;
  readonly day: number;
  readonly person: Person;
  readonly label: string;
  readonly dsn: string;
  readonly size: number | undefined;
  /** Position among all incidents: makes each new terminal and IP unique. */
  readonly ordinal: number;
}

/** Binds each spec to a day index and a person; throws SMF_ERR_USAGE naming every unknown or unfit user. */
export function resolveIncidents(config: SimConfig, days: readonly SimDay[], world: World): Incident[] {
  const byId = new Map(world.people.map((p) => [p.id, p]));
  const eligible = world.people.filter((p) => p.tso && !p.night);
  const order = shuffle(Rng.from(config.seed, 'incidents'), eligible);
  const used = new Set(config.incidents.flatMap((i) => (i.user === undefined ? [] : [i.user])));
  const problems: string[] = [];
  const out: Incident[] = [];
  config.incidents.forEach((spec, ordinal) => {
    const dayIndex =
      typeof spec.day === 'number' ? (spec.day < 0 ? days.length + spec.day : spec.day) : days.findIndex((d) => d.date === spec.day);
    if (dayIndex < 0 || dayIndex >= days.length) {
      problems.push(`incidents[${ordinal}].day ${JSON.stringify(spec.day)} is outside ${days[0]?.date}..${days[days.length - 1]?.date}`);
      return;
    }
    let person: Person | undefined;
    if (spec.user !== undefined) {
      person = byId.get(spec.user);
      if (person === undefined || !person.tso) {
        const known = eligible.slice(0, 5).map((p) => p.id).join(', ');
        problems.push(`incidents[${ordinal}].user "${spec.user}" is not an interactive TSO user of this population (for example ${known})`);
        return;
      }
    } else {
      person = order.find((p) => !used.has(p.id)) ?? order[ordinal % order.length];
      if (person === undefined) return;
      used.add(person.id);
    }
    const date = days[dayIndex]?.date ?? '';
    out.push({
      kind: spec.kind,
      day: dayIndex,
      person,
      label: spec.label ?? `${spec.kind}/${date}/${person.id}`,
      dsn: spec.dsn ?? DEFAULT_HONEYPOT,
      size: spec.size,
      ordinal,
    });
  });
  if (problems.length > 0) {
    throw new SmfError('SMF_ERR_USAGE', `invalid simulator incidents: ${problems.join('; ')}`, {
      hint: 'omit "user" to let the simulator pick one; user ids appear in the truth output',
    });
  }
  return out;
}

export function injectIncident(b: DayBuilder, inc: Incident): void {
  switch (inc.kind) {
    case 'off-hours':
      return offHours(b, inc);
    case 'new-terminal':
      return newTerminal(b, inc);
    case 'honeypot':
      return honeypot(b, inc);
    case 'dataset-sweep':
      return sweep(b, inc);
    case 'activity-burst':
      return burst(b, inc);
  }
}

function offHours(b: DayBuilder, inc: Incident): void {
  const p = inc.person;
  const t0 = 3 * HOUR_MS + b.rng.range(0, 15 * 60_000);
  const end = t0 + b.rng.range(20, 40) * 60_000;
  const s = openTso(b, p, t0, { incident: inc.label });
  const own = p.datasets.slice(0, 3);
  for (let i = 0, n = b.rng.range(3, 6); i < n; i++) dataSetAccess(b, p, s, t0 + 60_000 + (i * (end - t0 - 120_000)) / n, 'read', b.rng.pick(own));
  closeTso(b, p, s, end);
}

function newTerminal(b: DayBuilder, inc: Incident): void {
  const p = inc.person;
  const t0 = between(b.rng, 11, 12);
  const lu = `TCP${p.system.letter}Z${BASE36(inc.ordinal, 3)}`;
  const ip = `203.0.113.${10 + (inc.ordinal % 240)}`;
  const s = openTso(b, p, t0, { lu, ip, incident: inc.label });
  fill(b, p, s, t0, t0 + HOUR_MS, Math.max(6, Math.round(p.rate / 3)), todaysDatasets(b.rng, p));
  closeTso(b, p, s, t0 + HOUR_MS);
}

function honeypot(b: DayBuilder, inc: Incident): void {
  const p = inc.person;
  const t0 = between(b.rng, 14, 15);
  const s = openTso(b, p, t0, { incident: inc.label });
  fill(b, p, s, t0, t0 + 10 * 60_000, 3, p.datasets.slice(0, 3));
  dataSetAccess(b, p, s, t0 + 12 * 60_000, 'read', { name: inc.dsn, audited: true });
  violation(b, p, s, t0 + 15 * 60_000, inc.dsn, 'UPDATE');
  closeTso(b, p, s, t0 + 30 * 60_000);
}

function sweep(b: DayBuilder, inc: Incident): void {
  const p = inc.person;
  const rng = b.rng;
  const n = inc.size ?? Math.round(Math.max(15 * p.dsPerDay, 12 * b.world.medianDsPerDay, 30));
  const own = new Set(p.datasets.map((d) => d.name));
  const names = shuffle(rng, b.world.datasetPool.filter((d) => !own.has(d) && d !== inc.dsn)).slice(0, n);
  // Small populations have fewer habitual data sets than a sweep needs: invent plausible others.
  for (let k = 0; names.length < n; k++) {
    const other = rng.pick(b.world.people).id;
    const candidate = k % 2 === 0 ? `${other}.${rng.pick(OWN_LLQS)}` : `PROD.${rng.pick(PROD_APPS)}.${rng.pick(PROD_LLQS)}.V${k}`;
    if (!own.has(candidate) && !names.includes(candidate)) names.push(candidate);
  }
  const t0 = between(rng, 14, 15);
  const span = rng.range(45, 80) * 60_000;
  const s = openTso(b, p, t0, { incident: inc.label });
  names.forEach((name, i) => {
    const t = t0 + 60_000 + (i * span) / n;
    if (rng.chance(0.3)) violation(b, p, s, t, name, 'READ');
    else dataSetAccess(b, p, s, t, 'read', ds(name));
  });
  closeTso(b, p, s, t0 + span + 120_000);
}

function burst(b: DayBuilder, inc: Incident): void {
  const p = inc.person;
  const rng = b.rng;
  const usual = p.rate + SESSION_LINES.tso;
  const lines = inc.size ?? Math.round(Math.max(10 * usual, 12 * b.world.medianDaily, 40));
  const ws = todaysDatasets(rng, p);
  const t0 = between(rng, 10, 11);
  const s = openTso(b, p, t0, { incident: inc.label });
  for (let spent = 0, guard = 0; spent < lines && guard < lines * 4; guard++) {
    const what = pickActivity(rng, p.role);
    if (what !== 'batch') spent += activity(b, p, s, t0 + 30_000 + rng.next() * 10 * 60_000, what, ws);
  }
  closeTso(b, p, s, t0 + 15 * 60_000);
}

function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
