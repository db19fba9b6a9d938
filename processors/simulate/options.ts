// Simulator options: the public shape, the defaults (declared once, here), and validation that
// reports every problem at once when `simulate()` is called, not when the first line is pulled.

import { SmfError } from '../../agent/errors.js';
import { offsetFunction } from './calendar.js';
import { seedOf } from './random.js';

/** Concrete wire formats, one writer each (formats/). */
export const CONCRETE_FORMATS = ['leef', 'cef', 'rfc5424', 'rfc3164', 'json', 'easysmf', 'csv'] as const;
export type ConcreteFormat = (typeof CONCRETE_FORMATS)[number];
/** `mixed` draws a format per record (see formats/index.ts for the weights). */
export const SIM_FORMATS = [...CONCRETE_FORMATS, 'mixed'] as const;
export type SimFormat = (typeof SIM_FORMATS)[number];

export const INCIDENT_KINDS = ['dataset-sweep', 'activity-burst', 'honeypot', 'new-terminal', 'off-hours'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export interface IncidentSpec {
  kind: IncidentKind;
  /** Local date YYYY-MM-DD inside the range, or a day index: 0 is the first day, -1 the last. */
  day: string | number;
  /** An interactive (TSO) user of the population; picked deterministically when absent. */
  user?: string;
  /** Ground-truth label written to `truth.incident`; default `<kind>/<date>/<user>`. */
  label?: string;
  /** honeypot only: the decoy data set (default SECADM.PASSWORD.LIST, on config/lists/honeypot.txt). */
  dsn?: string;
  /** dataset-sweep: distinct data sets; activity-burst: lines. Default scales with the user and the population (incidents.ts). */
  size?: number;
}

export interface SimOptions {
  /** Same seed → byte-identical output. Text seeds are hashed. Default 1. */
  seed?: number | string;
  /** First local day, YYYY-MM-DD. Default 2025-03-03 (a Monday). */
  start?: string;
  /** Number of days. Default 7. */
  days?: number;
  /** IANA zone of the mainframe and of working hours. Default UTC. */
  timezone?: string;
  /** Interactive users (service accounts come on top). Default 200. */
  users?: number;
  /** LPAR / SMF system ids. Default ['SYSA', 'SYSB']. */
  systems?: readonly string[];
  /** Sysplex name. Default PLEX1. */
  sysplex?: string;
  /** Default leef. */
  format?: SimFormat;
  /**
   * Target lines on a weekday (weekends are much quieter). Approximate, and never below the floor
   * that the sessions themselves need (about five lines per active user). Default 60 × users.
   */
  eventsPerDay?: number;
  /** Injected incidents. Default none; `defaultIncidents()` gives one of each kind on the last day. */
  incidents?: readonly IncidentSpec[];
  /** Fraction of emitted lines that are broken copies (truncated, binary, wrong header), 0 ≤ f < 0.5. Default 0. */
  malformed?: number;
  /** Keep only records of these SMF types (non-SMF sources such as IMS logs and OPERLOG are dropped). */
  recordTypes?: readonly number[];
}

export interface SimConfig {
  readonly seed: number;
  readonly start: string;
  readonly days: number;
  readonly timezone: string;
  readonly users: number;
  readonly systems: readonly string[];
  readonly sysplex: string;
  readonly format: SimFormat;
  readonly eventsPerDay: number;
  readonly incidents: readonly IncidentSpec[];
  readonly malformed: number;
  readonly recordTypes: ReadonlySet<number> | undefined;
}

export const SIM_DEFAULTS = {
  seed: 1,
  start: '2025-03-03',
  days: 7,
  timezone: 'UTC',
  users: 200,
  systems: ['SYSA', 'SYSB'],
  sysplex: 'PLEX1',
  format: 'leef',
  eventsPerUser: 60,
  malformed: 0,
} as const;

/** Above this many records in one day the sort key (see day.ts) would overflow. */
export const MAX_EVENTS_PER_DAY = 4_000_000;
const MAX_DAYS = 3660;
const MAX_USERS = 50_000;
const SYSTEM_ID = /^[A-Z0-9@#$]{1,4}$/;
const SYSPLEX = /^[A-Z0-9@#$]{1,8}$/;

/** Validated, defaulted, frozen options. Throws SMF_ERR_USAGE listing every problem. */
export function resolveOptions(options: SimOptions): SimConfig {
  const problems: string[] = [];
  const check = (ok: boolean, message: string): void => {
    if (!ok) problems.push(message);
  };

  const seedIn = options.seed ?? SIM_DEFAULTS.seed;
  check(
    (typeof seedIn === 'number' && Number.isInteger(seedIn) && seedIn >= 0 && seedIn <= 0xffffffff) || (typeof seedIn === 'string' && seedIn !== ''),
    `seed ${JSON.stringify(seedIn)} must be an integer 0..4294967295 or a non-empty string`,
  );
  const start = options.start ?? SIM_DEFAULTS.start;
  check(isDate(start), `start "${start}" must be a date YYYY-MM-DD`);
  const days = options.days ?? SIM_DEFAULTS.days;
  check(Number.isInteger(days) && days >= 1 && days <= MAX_DAYS, `days ${days} must be an integer 1..${MAX_DAYS}`);
  const timezone = options.timezone ?? SIM_DEFAULTS.timezone;
  try {
    offsetFunction(timezone);
  } catch {
    problems.push(`timezone "${timezone}" is not an IANA time zone known to this Node.js`);
  }
  const users = options.users ?? SIM_DEFAULTS.users;
  check(Number.isInteger(users) && users >= 1 && users <= MAX_USERS, `users ${users} must be an integer 1..${MAX_USERS}`);
  const systems = [...(options.systems ?? SIM_DEFAULTS.systems)];
  check(systems.length >= 1, 'systems must name at least one system id');
  for (const s of systems) check(SYSTEM_ID.test(s), `system id "${s}" must be 1-4 characters A-Z 0-9 @ # $`);
  check(new Set(systems).size === systems.length, `systems ${systems.join(',')} contain a duplicate`);
  const sysplex = options.sysplex ?? SIM_DEFAULTS.sysplex;
  check(SYSPLEX.test(sysplex), `sysplex "${sysplex}" must be 1-8 characters A-Z 0-9 @ # $`);
  const format = options.format ?? SIM_DEFAULTS.format;
  check((SIM_FORMATS as readonly string[]).includes(format), `format "${format}" must be one of ${SIM_FORMATS.join(', ')}`);
  const eventsPerDay = options.eventsPerDay ?? SIM_DEFAULTS.eventsPerUser * (Number.isInteger(users) ? users : 1);
  check(
    Number.isFinite(eventsPerDay) && eventsPerDay >= 1 && eventsPerDay <= MAX_EVENTS_PER_DAY,
    `eventsPerDay ${eventsPerDay} must be a number 1..${MAX_EVENTS_PER_DAY}`,
  );
  const malformed = options.malformed ?? SIM_DEFAULTS.malformed;
  check(Number.isFinite(malformed) && malformed >= 0 && malformed < 0.5, `malformed ${malformed} must be a fraction 0 ≤ f < 0.5`);
  const types = options.recordTypes;
  if (types !== undefined) {
    check(types.length > 0, 'recordTypes, when given, must list at least one SMF type');
    for (const t of types) check(Number.isInteger(t) && t >= 0 && t <= 255, `recordTypes entry ${t} must be an SMF type 0..255`);
  }
  const incidents = options.incidents ?? [];
  const daysOk = Number.isInteger(days) && days >= 1 && days <= MAX_DAYS;
  incidents.forEach((inc, i) => {
    const where = `incidents[${i}]`;
    check((INCIDENT_KINDS as readonly string[]).includes(inc.kind), `${where}.kind "${inc.kind}" must be one of ${INCIDENT_KINDS.join(', ')}`);
    const day = inc.day;
    const dayOk =
      (typeof day === 'number' && Number.isInteger(day) && day < days && day >= -days) || (typeof day === 'string' && isDate(day));
    if (daysOk) check(dayOk, `${where}.day ${JSON.stringify(day)} must be a date YYYY-MM-DD or a day index -${days}..${days - 1}`);
    if (inc.size !== undefined) {
      check(
        (inc.kind === 'dataset-sweep' || inc.kind === 'activity-burst') && Number.isInteger(inc.size) && inc.size >= 1 && inc.size <= 100_000,
        `${where}.size ${inc.size} must be an integer 1..100000 on a dataset-sweep or activity-burst incident`,
      );
    }
    if (inc.dsn !== undefined) check(inc.kind === 'honeypot' && /^[A-Z#@$][A-Z0-9#@$.-]{0,43}$/.test(inc.dsn), `${where}.dsn "${inc.dsn}" must be an upper-case data set name on a honeypot incident`);
  });

  if (problems.length > 0) {
    throw new SmfError('SMF_ERR_USAGE', `invalid simulator options: ${problems.join('; ')}`, {
      hint: 'see docs/simulator.md for the options and their ranges',
    });
  }
  return Object.freeze({
    seed: seedOf(seedIn),
    start,
    days,
    timezone,
    users,
    systems: Object.freeze(systems),
    sysplex,
    format,
    eventsPerDay,
    incidents: Object.freeze(incidents.map((i) => Object.freeze({ ...i }))),
    malformed,
    recordTypes: types === undefined ? undefined : new Set(types),
  });
}

/** One incident of each kind on the last day, users picked by the simulator. */
export function defaultIncidents(): IncidentSpec[] {
  return INCIDENT_KINDS.map((kind) => ({ kind, day: -1 }));
}

function isDate(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().startsWith(s);
}
