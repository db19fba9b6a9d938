// The simulated installation: systems, interactive users with stable habits, service accounts and
// the production batch schedule. Built once per `simulate()` call from its own random stream, so it
// depends only on the seed, `users`, `systems`, `sysplex` and `eventsPerDay`, never on the format.
//
// Volume model (what `eventsPerDay` calibrates): on a weekday about 40 % of the lines come from the
// service accounts (BATCHPRD, DB2PROD, CICSPRD, OPSAUTO) and 60 % from people. A person's activity
// weight is log-normal (σ = 1), which with the service accounts gives the heavy tail of real feeds.

import type { SimConfig } from './options.js';
import { Rng } from './random.js';
import {
  CICS_FILES, CICS_TRANSACTIONS, DB2_DBIDS, DB2_GRANTORS, DB2_TABLES, DEPARTMENTS, MQ_QUEUES, OWN_LLQS,
  PROD_APPS, PROD_LLQS, PROD_PROGRAMS, ROLE_SHARE, ROLES, SURNAMES, ds, type DataSet, type Role,
} from './names.js';

export interface SystemInfo {
  readonly id: string;
  /** Letter used in this system's LU names. */
  readonly letter: string;
  readonly ip: string;
  readonly tsoApplid: string;
  readonly cicsRegion: string; // job name and APPLID of the production CICS region
  readonly db2Ssid: string;
  readonly qmgr: string;
  readonly imsId: string;
}

export interface Person {
  readonly id: string;
  readonly index: number;
  readonly role: Role;
  readonly tso: boolean; // clerks work in CICS only
  readonly night: boolean; // night-shift operator
  readonly group: string;
  readonly system: SystemInfo;
  readonly lu: string;
  readonly termid: string; // CICS terminal id
  readonly ip: string;
  readonly host: string;
  /** Expected activity lines on an active weekday (sessions' own lines excluded). */
  readonly rate: number;
  /** Distinct data sets on a typical day. */
  readonly dsPerDay: number;
  readonly datasets: readonly DataSet[];
  readonly batchJobs: readonly string[];
  readonly trans: readonly string[];
  readonly files: readonly string[];
  readonly dbids: readonly string[];
  readonly tables: readonly string[];
  readonly grantor: string;
  readonly queues: readonly string[];
  readonly ims: boolean;
}

export interface ProdJob {
  readonly name: string;
  readonly system: SystemInfo;
  readonly program: string;
  readonly inputs: readonly DataSet[];
  readonly outputs: readonly DataSet[];
  /** Output GDG base; a new generation each run. */
  readonly gdg: string | undefined;
  /** Wall ms after local midnight. */
  readonly at: number;
  readonly weekend: boolean;
}

export interface World {
  readonly systems: readonly SystemInfo[];
  readonly sysplex: string;
  readonly people: readonly Person[];
  readonly prodJobs: readonly ProdJob[];
  /** Weekday lines per service: DB2PROD audit records, CICSPRD background transactions, OPSAUTO commands. */
  readonly db2Lines: number;
  readonly cicsLines: number;
  readonly opsLines: number;
  readonly medianDsPerDay: number;
  /** Median expected lines of a person on an active weekday, session lines included. */
  readonly medianDaily: number;
  /** Every habitual data set name (dataset-sweep draws from it). */
  readonly datasetPool: readonly string[];
}

export const SERVICE_ACCOUNTS = { batch: 'BATCHPRD', db2: 'DB2PROD', cics: 'CICSPRD', ops: 'OPSAUTO' } as const;

/** Lines a session costs by itself (session init, logon, job start/end, profile read, SessMon). */
export const SESSION_LINES = { tso: 5.3, cics: 3 } as const;
export const MEAN_SESSIONS = 1.35;
export const ACTIVE_WEEKDAY = 0.9;

/** Lines of one production job: start, end, half a RACF init, ~5.5 data sets at ~1.4 lines each (40 % get an SMF 42 too). */
const AVG_PROD_JOB_LINES = 2.5 + 5.5 * 1.4;

export const BASE36 = (n: number, width: number): string => n.toString(36).toUpperCase().padStart(width, '0');

export function buildWorld(config: SimConfig): World {
  const rng = Rng.from(config.seed, 'population');
  const systems = config.systems.map((id, i): SystemInfo => {
    const letter = id.slice(-1);
    return {
      id,
      letter,
      ip: `10.20.${i}.1`,
      tsoApplid: `TSO${letter}`.slice(0, 8),
      cicsRegion: `CICSP${letter}1`,
      db2Ssid: `DB2${String.fromCharCode(80 + (i % 10))}`,
      qmgr: `MQP${i + 1}`,
      imsId: `IMS${String.fromCharCode(80 + (i % 10))}`,
    };
  });
  const taken = new Set<string>(Object.values(SERVICE_ACCOUNTS));
  const drafts = [];
  for (let i = 0; i < config.users; i++) {
    const role: Role = i < ROLES.length ? (ROLES[i] as Role) : drawRole(rng);
    const system = i < ROLES.length ? (systems[0] as SystemInfo) : (systems[rng.zipfIndex(systems.length, 1.2)] as SystemInfo);
    const id = userId(rng, taken);
    taken.add(id);
    drafts.push({ i, role, system, id, weight: rng.lognormal(0, 1) * (role === 'clerk' ? 1.2 : role === 'secadmin' ? 0.7 : 1) });
  }
  const people: Omit<Person, 'rate'>[] = [];
  for (const d of drafts) people.push(person(rng, d.i, d.role, d.system, d.id, taken));
  const rates = calibrate(config.eventsPerDay, people, drafts.map((d) => d.weight));
  const withRates = people.map((p, i) => ({ ...p, rate: rates[i] ?? 0 }));

  const prodJobs = buildProdJobs(rng, systems, Math.max(2, Math.round((0.2 * config.eventsPerDay) / AVG_PROD_JOB_LINES)), taken);
  const pool = new Set<string>();
  for (const p of withRates) for (const d of p.datasets) pool.add(d.name);
  return {
    systems,
    sysplex: config.sysplex,
    people: withRates,
    prodJobs,
    db2Lines: 0.11 * config.eventsPerDay,
    cicsLines: 0.06 * config.eventsPerDay,
    opsLines: 0.03 * config.eventsPerDay,
    medianDsPerDay: median(withRates.filter((p) => p.tso).map((p) => p.dsPerDay)),
    medianDaily: median(withRates.map((p) => p.rate + MEAN_SESSIONS * (p.tso ? SESSION_LINES.tso : SESSION_LINES.cics))),
    datasetPool: [...pool].sort(),
  };
}

function drawRole(rng: Rng): Role {
  let u = rng.next();
  for (const role of ROLES) {
    u -= ROLE_SHARE[role];
    if (u < 0) return role;
  }
  return 'developer';
}

function userId(rng: Rng, taken: ReadonlySet<string>): string {
  for (let attempt = 0; ; attempt++) {
    const surname = rng.pick(SURNAMES);
    const initial = String.fromCharCode(65 + rng.int(26));
    const id =
      attempt < 3 ? `${initial}${surname}`.slice(0, 7)
      : attempt < 6 ? `${initial}${String.fromCharCode(65 + rng.int(26))}${surname}`.slice(0, 7)
      : `${surname.slice(0, 4)}${rng.range(100, 999)}`;
    if (!taken.has(id)) return id;
  }
}

function person(rng: Rng, i: number, role: Role, system: SystemInfo, id: string, taken: Set<string>): Omit<Person, 'rate'> {
  const dept = rng.pick(DEPARTMENTS[role]);
  const tso = role !== 'clerk';
  const own = tso ? ['ISPF.ISPPROF', ...rng.sample(OWN_LLQS, rng.range(3, 10))].map((llq) => ds(`${id}.${llq}`)) : [];
  const project = rng.sample(dept.datasets, rng.range(2, Math.min(6, dept.datasets.length)));
  // Habits are Zipf-ordered: own profile first, then a mix of project and own data sets.
  const datasets = [...own.slice(0, 1), ...interleave(rng, project, own.slice(1))];
  const batchJobs: string[] = [];
  for (let k = 0; tso && k < rng.range(1, 3); k++) {
    const name = `${id}${String.fromCharCode(65 + rng.int(26))}`;
    if (!taken.has(name)) {
      taken.add(name);
      batchJobs.push(name);
    }
  }
  const dsPerDay = Math.max(1, Math.min(datasets.length, Math.round(rng.lognormal(Math.log(4), 0.45))));
  return {
    id,
    index: i,
    role,
    tso,
    night: role === 'operator' && rng.chance(0.3),
    group: dept.group,
    system,
    lu: `TCP${system.letter}${BASE36(i, 4)}`,
    termid: `${String.fromCharCode(65 + (Math.floor(i / 46656) % 26))}${BASE36(i % 46656, 3)}`,
    ip: `10.${10 + (Math.floor(i / 250) % 240)}.${(i % 250) + 1}.${rng.range(10, 250)}`,
    host: `WS${BASE36(i, 4)}.corp.example.com`,
    dsPerDay,
    datasets,
    batchJobs,
    trans: rng.sample(CICS_TRANSACTIONS, rng.range(2, 5)),
    files: rng.sample(CICS_FILES, rng.range(1, 3)),
    dbids: rng.sample(DB2_DBIDS, rng.range(1, 3)),
    tables: rng.sample(DB2_TABLES, rng.range(1, 3)),
    grantor: rng.pick(DB2_GRANTORS),
    queues: rng.sample(MQ_QUEUES, rng.range(1, 3)),
    // The first clerk always works in IMS too, so that even tiny populations produce every record kind.
    ims: role === 'clerk' && (i === 1 || rng.chance(0.3)),
  };
}

function interleave<T>(rng: Rng, a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && rng.chance(0.5))) out.push(a[i++] as T);
    else out.push(b[j++] as T);
  }
  return out;
}

/** Per-person activity rates so that people's weekday lines (sessions included) are 60 % of the target. */
function calibrate(eventsPerDay: number, people: readonly Omit<Person, 'rate'>[], weights: readonly number[]): number[] {
  let sessionLines = 0;
  for (const p of people) sessionLines += ACTIVE_WEEKDAY * MEAN_SESSIONS * (p.tso ? SESSION_LINES.tso : SESSION_LINES.cics);
  const budget = Math.max(0, 0.6 * eventsPerDay - sessionLines);
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  return weights.map((w) => (budget * w) / total / ACTIVE_WEEKDAY);
}

function buildProdJobs(rng: Rng, systems: readonly SystemInfo[], count: number, taken: Set<string>): ProdJob[] {
  const jobs: ProdJob[] = [];
  for (let n = 0; jobs.length < count && n < count * 4; n++) {
    const app = rng.pick(PROD_APPS);
    const name = `${app.slice(0, 4)}${rng.pick(['D', 'D', 'D', 'W', 'N'])}${String(rng.range(1, 99) * 10).padStart(3, '0')}`.slice(0, 8);
    if (taken.has(name)) continue;
    taken.add(name);
    const dsn = (llq: string): string => `PROD.${app}.${llq}`;
    const inputLlqs = rng.sample(PROD_LLQS, rng.range(1, 6));
    const inputs = inputLlqs.map((llq) => ds(dsn(llq)));
    const outputs = rng.sample(PROD_LLQS, rng.range(1, 4)).filter((llq) => !inputLlqs.includes(llq)).map((llq) => ds(dsn(llq)));
    const night = rng.chance(0.8);
    const hour = night ? (18 + rng.next() * 12) % 24 : 8 + rng.next() * 10;
    jobs.push({
      name,
      system: rng.pick(systems),
      program: rng.pick(PROD_PROGRAMS),
      inputs,
      outputs,
      gdg: rng.chance(0.4) ? dsn('DAILY.EXTRACT') : undefined,
      at: Math.floor(hour * 3_600_000),
      weekend: rng.chance(0.35),
    });
  }
  return jobs;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
