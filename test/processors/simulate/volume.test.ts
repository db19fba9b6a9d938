import test from 'ava';
import { SERVICE_ACCOUNTS, simulate, type SimLine } from '../../../processors/simulate/index.js';
import { localParts } from './shapes.js';

// A default-sized installation (200 people, 4 service accounts) over one week, no incidents.
const TZ = 'America/New_York';
const lines: SimLine[] = [...simulate({ seed: 99, start: '2025-03-03', days: 7, timezone: TZ, format: 'json' })];
const services = new Set<string>(Object.values(SERVICE_ACCOUNTS));

test('lines come in time order', (t) => {
  for (let i = 1; i < lines.length; i++) {
    if ((lines[i] as SimLine).time < (lines[i - 1] as SimLine).time) t.fail(`line ${i} goes back in time`);
  }
  t.pass();
});

test('volume is near eventsPerDay on weekdays (default 60 × users) and far lower at weekends', (t) => {
  const perDay = new Map<string, number>();
  for (const l of lines) {
    const p = localParts(l.time, TZ);
    const key = `${p.weekday}`;
    perDay.set(key, (perDay.get(key) ?? 0) + 1);
  }
  const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].map((d) => perDay.get(d) ?? 0);
  const weekend = ['Sat', 'Sun'].map((d) => perDay.get(d) ?? 0);
  for (const n of weekdays) t.true(n > 12_000 * 0.8 && n < 12_000 * 1.25, `weekday volume ${n}`);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  t.true(mean(weekdays) > 3 * mean(weekend), `weekday ${mean(weekdays)} vs weekend ${mean(weekend)}`);
});

test('people work in local working hours', (t) => {
  const human = lines.filter((l) => l.truth.user !== undefined && !services.has(l.truth.user));
  const inHours = human.filter((l) => {
    const h = localParts(l.time, TZ).h;
    return h >= 8 && h < 18;
  });
  t.true(inHours.length / human.length > 0.85, `${inHours.length} of ${human.length}`);
});

test('activity is heavy-tailed: the top 1 % of users write at least 20 % of the lines', (t) => {
  const perUser = new Map<string, number>();
  for (const l of lines) if (l.truth.user !== undefined) perUser.set(l.truth.user, (perUser.get(l.truth.user) ?? 0) + 1);
  const counts = [...perUser.values()].sort((a, b) => b - a);
  const top = counts.slice(0, Math.max(1, Math.floor(counts.length / 100))).reduce((a, b) => a + b, 0);
  t.true(top / lines.length >= 0.2, `top 1 %: ${top} of ${lines.length}`);
  // Among people alone the tail is still long: the busiest person writes many times the median.
  const people = [...perUser.entries()].filter(([u]) => !services.has(u)).map(([, n]) => n).sort((a, b) => a - b);
  t.true((people[people.length - 1] ?? 0) > 8 * (people[Math.floor(people.length / 2)] ?? 1));
});

test('service accounts are the biggest writers', (t) => {
  const perUser = new Map<string, number>();
  for (const l of lines) if (l.truth.user !== undefined) perUser.set(l.truth.user, (perUser.get(l.truth.user) ?? 0) + 1);
  const top2 = [...perUser.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2).map(([u]) => u);
  t.true(top2.every((u) => services.has(u)), top2.join(','));
});

test('people keep their habits: one home terminal and one home IP each', (t) => {
  const terminals = new Map<string, Set<string>>();
  const ips = new Map<string, Set<string>>();
  for (const l of lines) {
    if (l.truth.kind !== 'tn3270-session' || l.truth.user === undefined) continue;
    if (!terminals.has(l.truth.user)) terminals.set(l.truth.user, new Set());
    if (!ips.has(l.truth.user)) ips.set(l.truth.user, new Set());
    terminals.get(l.truth.user)?.add(l.truth.terminal ?? '');
    ips.get(l.truth.user)?.add(l.truth.ip ?? '');
  }
  t.true(terminals.size > 100);
  t.true([...terminals.values()].every((s) => s.size === 1));
  t.true([...ips.values()].every((s) => s.size === 1));
});

test('every data set record follows a logon or job start of its job on the same system', (t) => {
  // The enrichment contract: a record carrying only a job name can be joined to an earlier record
  // naming the job's user. (The CICS region starts at 05:00; production jobs start before they read.)
  const known = new Set<string>();
  let orphans = 0;
  let total = 0;
  for (const l of lines) {
    const k = l.truth.kind;
    if (k === 'racf-logon' || k === 'tso-logon' || k === 'job-start' || k === 'tn3270-session') known.add(`${l.truth.system}/${l.truth.job}`);
    if (k === 'dataset-read' || k === 'dataset-write' || k === 'dataset-activity') {
      total++;
      if (!known.has(`${l.truth.system}/${l.truth.job}`)) orphans++;
    }
  }
  t.true(total > 10_000);
  t.is(orphans, 0);
});
