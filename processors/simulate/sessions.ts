// A person's day: whether they work, when their terminal sessions run, and how their line budget is
// spent inside them. Day-shift people work 07:30–18:30 local on weekdays and rarely at weekends;
// night-shift operators work 00:00–06:30 and 21:30–24:00 every day. Nobody else is ever active at
// night, so an off-hours logon in the output is always an injected incident.
//
// A TSO session leaves: SMF 119-20 (LU ↔ client IP, with the TSO job name, which is the user id),
// RACF logon (SMF 80 event 1, with terminal), SMF 30-1 (TSU job start), the ISPF profile read
// (SMF 14, job name only), sometimes a SessMon record, its activities, and SMF 30-5 at logoff.
// A CICS session (clerks) leaves SMF 119-20 without a job name, the CICS signon (SMF 80 event 1 under
// the region's job), a SessMon record and then SMF 110 transactions carrying the user.

import { activity, pickActivity, todaysDatasets } from './activity.js';
import { between, type DayBuilder, type Session } from './day.js';
import { HOUR_MS } from './calendar.js';
import { ACTIVE_WEEKDAY, type Person } from './population.js';
import type { Rng } from './random.js';
import type { DataSet } from './names.js';

export function humanDay(b: DayBuilder, p: Person): void {
  const { rng, day } = b;
  const activeChance = p.night ? (day.weekend ? 0.6 : 0.9) : day.weekend ? 0.04 : ACTIVE_WEEKDAY;
  if (!rng.chance(activeChance)) return;
  const budget = rng.poisson(p.rate * rng.lognormal(-0.06, 0.35) * (day.weekend ? 0.5 : 1));
  const windows = sessionWindows(rng, p);
  const ws = todaysDatasets(rng, p);
  let total = 0;
  for (const [from, to] of windows) total += to - from;
  let left = budget;
  windows.forEach(([from, to], i) => {
    const share = i === windows.length - 1 ? left : Math.round((budget * (to - from)) / total);
    left -= share;
    const s = p.tso ? openTso(b, p, from, {}) : openCics(b, p, from, {});
    fill(b, p, s, from, to, share, ws);
    if (p.tso) closeTso(b, p, s, to);
  });
}

/** Spends about `budget` lines on the person's usual activities, spread over [from, to). */
export function fill(b: DayBuilder, p: Person, s: Session, from: number, to: number, budget: number, ws: readonly DataSet[]): number {
  const rng = b.rng;
  const span = Math.max(1, to - from - 40_000);
  let spent = 0;
  for (let guard = 0; spent < budget && guard < budget * 4 + 4; guard++) {
    spent += activity(b, p, s, from + 20_000 + rng.next() * span, pickActivity(rng, p.role), ws);
  }
  return spent;
}

export interface SessionOptions {
  lu?: string;
  ip?: string;
  incident?: string;
}

/** TN3270 session init, RACF logon, TSU job start, ISPF profile read, maybe SessMon. */
export function openTso(b: DayBuilder, p: Person, t0: number, o: SessionOptions): Session {
  const rng = b.rng;
  const lu = o.lu ?? p.lu;
  const ip = o.ip ?? p.ip;
  const jobId = b.jobId(p.system, 'TSU');
  const s: Session = { user: p.id, system: p.system, job: p.id, jobId, lu, ip, ...(o.incident === undefined ? {} : { incident: o.incident }) };
  let r = b.add('tn3270-session', t0, s);
  r.job = p.id;
  r.terminal = lu;
  r.ip = ip;
  r.port = rng.range(49152, 65535);
  r.localIp = p.system.ip;
  r.localPort = rng.chance(0.3) ? 992 : 23;
  r.applid = p.system.tsoApplid;
  if (o.lu === undefined) r.host = p.host;
  const t1 = t0 + rng.range(800, 4000);
  r = b.add('racf-logon', t1, s);
  r.user = p.id;
  r.group = p.group;
  r.job = p.id;
  r.jobId = jobId;
  r.terminal = lu;
  r.racfEvent = 1;
  r.racfQual = 0;
  r = b.add('tso-logon', t1 + rng.range(200, 1500), s);
  r.job = p.id;
  r.jobId = jobId;
  r.user = p.id;
  r.group = p.group;
  r.program = 'IKJEFT01';
  r.terminal = lu;
  r = b.add('dataset-read', t1 + rng.range(3000, 9000), s);
  r.job = p.id;
  r.dsn = `${p.id}.ISPF.ISPPROF`;
  r.volser = 'USR001';
  if (rng.chance(0.3)) {
    r = b.add('sessmon', t1 + rng.range(100, 900), s);
    r.user = p.id;
    r.applid = p.system.tsoApplid;
    r.terminal = lu;
  }
  return s;
}

/** SMF 30-5 for the TSU job. */
export function closeTso(b: DayBuilder, p: Person, s: Session, t: number): void {
  const r = b.add('tso-logoff', t, s);
  r.job = p.id;
  r.jobId = s.jobId;
  r.user = p.id;
  r.program = 'IKJEFT01';
  r.terminal = s.lu;
}

/** TN3270 session to the CICS region, CICS signon (RACF), SessMon. */
export function openCics(b: DayBuilder, p: Person, t0: number, o: SessionOptions): Session {
  const rng = b.rng;
  const region = p.system.cicsRegion;
  const lu = o.lu ?? p.lu;
  const ip = o.ip ?? p.ip;
  const jobId = b.regionJobIds.get(p.system.id);
  const s: Session = {
    user: p.id,
    system: p.system,
    job: region,
    lu,
    ip,
    ...(jobId === undefined ? {} : { jobId }),
    ...(o.incident === undefined ? {} : { incident: o.incident }),
  };
  let r = b.add('tn3270-session', t0, s);
  r.terminal = lu;
  r.ip = ip;
  r.port = rng.range(49152, 65535);
  r.localIp = p.system.ip;
  r.localPort = 23;
  r.applid = region;
  if (o.lu === undefined) r.host = p.host;
  const t1 = t0 + rng.range(1500, 9000);
  r = b.add('racf-logon', t1, s);
  r.user = p.id;
  r.group = p.group;
  r.job = region;
  r.jobId = jobId;
  r.terminal = lu;
  r.racfEvent = 1;
  r.racfQual = 0;
  r = b.add('sessmon', t1 + rng.range(100, 900), s);
  r.user = p.id;
  r.applid = region;
  r.terminal = lu;
  return s;
}

/** [from, to) wall times of today's sessions. */
function sessionWindows(rng: Rng, p: Person): [number, number][] {
  if (p.night) return [[between(rng, 0, 0.3), between(rng, 5.5, 6.5)], [between(rng, 21.5, 22.2), between(rng, 23.5, 23.99)]];
  const clamp = (h: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, h)) * HOUR_MS;
  const start = clamp(8.6 + 0.6 * rng.normal(), 7.5, 10.5);
  const end = clamp(start / HOUR_MS + 7.5 + rng.normal(), 13, 18.5);
  const u = rng.next();
  if (u < 0.7) return [[start, end]];
  const lunch = Math.max(start + HOUR_MS, between(rng, 11.8, 12.8));
  const resume = Math.min(end - HOUR_MS / 2, lunch + between(rng, 0.5, 1.2));
  if (u < 0.95) return [[start, lunch], [resume, end]];
  const mid = resume + (end - resume) / 2;
  return [[start, lunch], [resume, mid], [mid + HOUR_MS / 5, end]];
}
