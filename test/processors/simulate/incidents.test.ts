import test from 'ava';
import {
  CONCRETE_FORMATS, INCIDENT_KINDS, SERVICE_ACCOUNTS, defaultIncidents, simulate, type SimLine,
} from '../../../processors/simulate/index.js';
import { localParts, splitCsv } from './shapes.js';

// Monday to Friday, default incidents on the last day (a Friday), default population.
const TZ = 'Europe/Berlin';
const lines: SimLine[] = [...simulate({ seed: 2024, start: '2025-03-03', days: 5, timezone: TZ, format: 'json', incidents: defaultIncidents() })];
const services = new Set<string>(Object.values(SERVICE_ACCOUNTS));
const dayOf = (l: SimLine): string => {
  const p = localParts(l.time, TZ);
  return `${p.y}-${String(p.mo).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
};
const incident = (kind: string): SimLine[] => lines.filter((l) => l.truth.incident?.startsWith(`${kind}/`));
const userOf = (kind: string): string => incident(kind)[0]?.truth.user ?? '';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

test('every incident kind is present on its day with its label and user', (t) => {
  for (const kind of INCIDENT_KINDS) {
    const mine = incident(kind);
    t.true(mine.length > 0, kind);
    const user = userOf(kind);
    t.is(mine[0]?.truth.incident, `${kind}/2025-03-07/${user}`);
    t.true(mine.every((l) => dayOf(l) === '2025-03-07' && l.truth.user === user), kind);
  }
  const users = INCIDENT_KINDS.map(userOf);
  t.is(new Set(users).size, users.length, 'picked users are distinct');
  t.false(users.some((u) => services.has(u)));
});

test('dataset-sweep: the user touches at least 10× as many distinct data sets as the median user that day', (t) => {
  const perUser = new Map<string, Set<string>>();
  for (const l of lines) {
    if (dayOf(l) !== '2025-03-07' || l.truth.dsn === undefined || l.truth.user === undefined || services.has(l.truth.user)) continue;
    if (!perUser.has(l.truth.user)) perUser.set(l.truth.user, new Set());
    perUser.get(l.truth.user)?.add(l.truth.dsn);
  }
  const sweeper = perUser.get(userOf('dataset-sweep'))?.size ?? 0;
  const m = median([...perUser.values()].map((s) => s.size));
  t.true(sweeper >= 10 * m, `sweep ${sweeper} vs median ${m}`);
  t.true(incident('dataset-sweep').some((l) => l.text.includes('"outcome":"failure"')), 'some accesses are refused');
});

test('activity-burst: at least 10× the median user’s lines that day, within a quarter of an hour', (t) => {
  const perUser = new Map<string, number>();
  for (const l of lines) {
    if (dayOf(l) !== '2025-03-07' || l.truth.user === undefined || services.has(l.truth.user)) continue;
    perUser.set(l.truth.user, (perUser.get(l.truth.user) ?? 0) + 1);
  }
  const burst = incident('activity-burst');
  const m = median([...perUser.values()]);
  t.true(burst.length >= 10 * m, `burst ${burst.length} vs median ${m}`);
  const span = (burst[burst.length - 1]?.time.getTime() ?? 0) - (burst[0]?.time.getTime() ?? 0);
  t.true(span <= 16 * 60_000, `${span} ms`);
});

test('honeypot: the decoy data set is touched by the incident user only', (t) => {
  const touching = lines.filter((l) => l.truth.dsn === 'SECADM.PASSWORD.LIST');
  t.true(touching.length >= 2);
  const user = userOf('honeypot');
  t.true(touching.every((l) => l.truth.incident?.startsWith('honeypot/') && l.truth.user === user));
  t.true(touching.some((l) => l.truth.kind === 'racf-access' && l.text.includes('"user_id"')), 'RACF names the user');
});

test('new-terminal: a terminal and a client IP nobody used before', (t) => {
  const mine = incident('new-terminal').find((l) => l.truth.kind === 'tn3270-session');
  const { terminal, ip } = mine?.truth ?? {};
  t.regex(ip ?? '', /^203\.0\.113\.\d+$/);
  const earlier = lines.filter((l) => mine !== undefined && l.time < mine.time);
  t.false(earlier.some((l) => l.truth.terminal === terminal || l.truth.ip === ip));
  const user = userOf('new-terminal');
  const before = new Set(lines.filter((l) => l.truth.user === user && l.truth.incident === undefined).map((l) => l.truth.terminal));
  t.false(before.has(terminal));
});

test('off-hours: a logon at 03:00 local by a user who otherwise logs on in the daytime', (t) => {
  const logon = incident('off-hours').find((l) => l.truth.kind === 'racf-logon');
  t.is(logon === undefined ? -1 : localParts(logon.time, TZ).h, 3);
  const user = userOf('off-hours');
  const others = lines.filter((l) => l.truth.user === user && l.truth.kind === 'racf-logon' && l.truth.incident === undefined);
  t.true(others.length > 0);
  t.true(others.every((l) => localParts(l.time, TZ).h >= 7 && localParts(l.time, TZ).h <= 18));
});

test('explicit incidents: given user, date and label are used', (t) => {
  const small = { seed: 5, days: 3, users: 30 };
  const user = [...simulate(small)].find((l) => l.truth.kind === 'tso-logon' && !services.has(l.truth.user ?? ''))?.truth.user ?? '';
  const out = [
    ...simulate({ ...small, incidents: [{ kind: 'honeypot', day: '2025-03-04', user, label: 'case-17', dsn: 'ADMIN.CREDENTL.KEYS' }] }),
  ].filter((l) => l.truth.incident === 'case-17');
  t.true(out.length > 0);
  t.true(out.every((l) => l.truth.user === user));
  t.true(out.some((l) => l.truth.dsn === 'ADMIN.CREDENTL.KEYS'));
});

test('explicit size overrides the sweep and burst magnitude', (t) => {
  const out = [...simulate({ seed: 5, days: 1, users: 30, incidents: [{ kind: 'dataset-sweep', day: 0, size: 25 }] })];
  const sweep = out.filter((l) => l.truth.incident !== undefined && l.truth.dsn !== undefined && l.truth.dsn !== `${l.truth.user}.ISPF.ISPPROF`);
  t.is(new Set(sweep.map((l) => l.truth.dsn)).size, 25);
});

// Which field names would name a user, per format (the text of a data set record must have none).
const USER_FIELD: Record<string, RegExp> = {
  leef: /(?:^|[\t|^])usrName=/,
  cef: / suser=/,
  rfc5424: /whoUSERID=/,
  rfc3164: / User=/,
  json: /"user_id"/,
  easysmf: /usr"|rud"|"userid"|qwhcaid/,
};

test('data set records carry only the job name: no user and no IP in any format', (t) => {
  for (const format of CONCRETE_FORMATS) {
    const out = [...simulate({ seed: 8, format, days: 2, users: 40, incidents: defaultIncidents() })];
    const header = format === 'csv' ? (splitCsv(out[0]?.text ?? '') ?? []) : [];
    const userColumns = header.map((c, i) => [c, i] as const).filter(([c]) => /USR$|RUD$|^USERID$|^QWHCAID$/.test(c)).map(([, i]) => i);
    const closes = out.filter((l) => ['dataset-read', 'dataset-write', 'dataset-activity'].includes(l.truth.kind));
    t.true(closes.length > 50, format);
    for (const l of closes) {
      t.truthy(l.truth.user, 'the truth still knows the user');
      if (l.truth.ip !== undefined) t.false(l.text.includes(l.truth.ip), `${format}: ${l.text}`);
      if (format === 'csv') {
        const cells = splitCsv(l.text) ?? [];
        t.true(userColumns.every((i) => cells[i] === ''), l.text);
      } else {
        t.false(USER_FIELD[format]?.test(l.text) ?? true, `${format}: ${l.text}`);
      }
    }
  }
});
