// Truth-driven normalization coverage: simulated lines of one wire format go through the parser
// and the normalizer (profile auto), and every line is checked against the simulator's ground
// truth and against the fields its writer put in the line. Used by coverage.test.ts (which asserts
// zero misses) and handy on its own to print the table:
//   npx tsx -e "import('./test/processors/normalize/coverage.ts').then(m => console.log(m.formatTable(m.measureAll())))"
//
// What a line is checked for:
// - accepted by parser and normalizer;
// - @timestamp = truth.time, truncated to the precision the format writes (RFC 3164 seconds,
//   EasySMF and CDP hundredths, the others milliseconds);
// - user / job / ip / terminal / dsn / system: when the record kind carries the property and the
//   line's text carries the truth value, the document has it in user.name, process.name, source.ip,
//   zos.terminal, zos.dsn, host.name (truth.user on a data set close is the user behind the job, which
//   the text does not carry: that is enrichment's job, not normalization's);
// - smf.type / smf.subtype = the SMF record the simulator writes for the kind;
// - event.dataset = the dataset of the kind (never smf.other);
// - event.category / event.action (and event.outcome where the record implies one) as expected;
// - smf.format is never `text` (a payload whose fields were not recognised);
// - every property the writer put in the line (by the writer's own name tables) lands in its
//   EventDoc field with the same value, and no field name of the parsed record is unaccounted for.

import { createParser } from '../../../processors/parse/index.js';
import { createNormalizer } from '../../../processors/normalize/index.js';
import type { EventDoc } from '../../../processors/schema/event.js';
import type { ParsedRecord } from '../../../processors/schema/record.js';
import { CEF_NAMES } from '../../../processors/simulate/formats/cef.js';
import { CSV_COLUMNS } from '../../../processors/simulate/formats/csv.js';
import { EASYSMF_LAYOUTS } from '../../../processors/simulate/formats/easysmf.js';
import type { Field, NameMap } from '../../../processors/simulate/formats/fields.js';
import { JSON_NAMES } from '../../../processors/simulate/formats/json.js';
import { LEEF_NAMES } from '../../../processors/simulate/formats/leef.js';
import { RFC3164_NAMES } from '../../../processors/simulate/formats/rfc3164.js';
import { RFC5424_NAMES } from '../../../processors/simulate/formats/rfc5424.js';
import { CONCRETE_FORMATS, KIND_SMF, RECORD_KINDS, defaultIncidents, simulate, type ConcreteFormat, type RecordKind, type SimOptions } from '../../../processors/simulate/index.js';
import { KIND_FIELDS } from '../../../processors/simulate/records.js';

export const TIMEZONE = 'Europe/Berlin';

/** Fri 2025-03-28 … Sun 2025-03-30: a weekday, a weekend day, and the spring-forward night in Berlin. */
export function coverageOptions(format: ConcreteFormat): SimOptions {
  return { seed: 20250328, start: '2025-03-28', days: 3, timezone: TIMEZONE, users: 50, format, incidents: defaultIncidents() };
}

export const CHECKS = ['accepted', 'timestamp', 'user', 'job', 'ip', 'terminal', 'dsn', 'system', 'smf.type', 'dataset', 'ecs', 'format', 'fields'] as const;
export type Check = (typeof CHECKS)[number];

export interface Coverage {
  format: ConcreteFormat;
  lines: number;
  kinds: Set<RecordKind>;
  /** Per check: lines it applied to, and lines that passed. */
  applied: Record<Check, number>;
  passed: Record<Check, number>;
  /** Up to a few failures per check and kind, for the assertion message. */
  failures: string[];
}

const TIME_PRECISION_MS: Readonly<Record<ConcreteFormat, number>> = { leef: 1, cef: 1, rfc5424: 1, rfc3164: 1000, json: 1, easysmf: 10, csv: 10 };

const KIND_DATASET: Readonly<Record<RecordKind, string>> = {
  'tn3270-session': 'smf.tcpip',
  'racf-logon': 'smf.racf',
  'racf-access': 'smf.racf',
  'racf-command': 'smf.racf',
  'tso-logon': 'smf.job',
  'tso-logoff': 'smf.job',
  'job-start': 'smf.job',
  'job-end': 'smf.job',
  'dataset-read': 'smf.dataset',
  'dataset-write': 'smf.dataset',
  'dataset-activity': 'smf.dataset',
  'cics-transaction': 'smf.cics',
  'db2-audit': 'smf.db2',
  'mq-access': 'smf.mq',
  'ims-access': 'smf.ims',
  'icsf-service': 'smf.icsf',
  'console-command': 'smf.console',
  sessmon: 'smf.sessmon',
};

/** Where each simulator property must land in the document. Typed: a new simulator property fails tsc here. */
const PATHS: Readonly<Record<Field, (d: EventDoc) => unknown>> = {
  user: (d) => d.user?.name,
  group: (d) => d.user?.group?.name,
  job: (d) => d.process?.name,
  jobId: (d) => d.zos?.job_id,
  program: (d) => d.zos?.program,
  terminal: (d) => d.zos?.terminal,
  ip: (d) => d.source?.ip,
  port: (d) => d.source?.port,
  host: (d) => d.source?.domain,
  localIp: (d) => d.destination?.ip,
  localPort: (d) => d.destination?.port,
  applid: (d) => d.zos?.vtam?.applid,
  racfEvent: (d) => d.zos?.racf?.event_code,
  racfQual: (d) => d.zos?.racf?.event_qualifier,
  resClass: (d) => d.zos?.resource_class,
  resource: (d) => d.zos?.resource,
  dsn: (d) => d.zos?.dsn,
  member: (d) => d.zos?.dsn_member,
  volser: (d) => d.zos?.volser,
  access: (d) => d.zos?.access,
  command: (d) => d.zos?.console?.command,
  console: (d) => d.zos?.console?.name,
  cicsApplid: (d) => d.zos?.cics?.applid,
  tran: (d) => d.zos?.cics?.transaction,
  cicsFile: (d) => d.zos?.cics?.file,
  db2Ssid: (d) => d.zos?.db2?.ssid,
  ifcid: (d) => d.zos?.db2?.ifcid,
  dbid: (d) => d.zos?.db2?.dbid,
  table: (d) => d.zos?.db2?.table,
  grantor: (d) => d.zos?.db2?.grantor,
  queue: (d) => d.zos?.mq?.queue,
  qmgr: (d) => d.zos?.mq?.queue_manager,
  channel: (d) => d.zos?.mq?.channel,
  imsId: (d) => d.zos?.ims?.id,
  imsDb: (d) => d.zos?.ims?.db_name,
  imsTran: (d) => d.zos?.ims?.transaction,
  icsfService: (d) => d.zos?.icsf?.service,
};

const UPPER = new Set<Field>(['user', 'group', 'job', 'jobId', 'access', 'resClass', 'grantor']);
const NUMBER = new Set<Field>(['port', 'localPort', 'racfEvent', 'racfQual', 'ifcid']);
const IP = new Set<Field>(['ip', 'localIp']);

/** The value a property must have in the document, from the value the parser read. */
function expected(field: Field, raw: string | number | boolean): string {
  const s = String(raw).trim();
  if (UPPER.has(field)) return s.toUpperCase();
  if (NUMBER.has(field)) return String(Number(s));
  if (IP.has(field)) return s.replace(/^::ffff:/i, '').toLowerCase();
  return s;
}

const NAME_MAPS: Readonly<Partial<Record<ConcreteFormat, NameMap>>> = {
  leef: LEEF_NAMES,
  cef: CEF_NAMES,
  rfc5424: RFC5424_NAMES,
  rfc3164: RFC3164_NAMES,
  json: JSON_NAMES,
};

/** zSecure's fixed-width RACF `job=`: the jobname is the 8 characters after a 29-character prefix. */
const FIXED_JOB_PREFIX = 29;

/**
 * The properties the writer put in this line, read back from the parsed fields by the writer's own
 * name tables, with the field names used. EasySMF and CDP keep a data set name and a general
 * resource in one field: the class tells which.
 */
function written(format: ConcreteFormat, kind: RecordKind, fields: ParsedRecord['fields']): { props: Map<Field, string | number | boolean>; names: Set<string> } {
  const props = new Map<Field, string | number | boolean>();
  const names = new Set<string>();
  const allowed = KIND_FIELDS[kind];
  const take = (field: Field, name: string, value: string | number | boolean | undefined = fields[name]): void => {
    if (value === undefined || !allowed.includes(field)) return;
    props.set(field, value);
    names.add(name);
  };
  const map = NAME_MAPS[format];
  if (map !== undefined) {
    for (const [field, name] of Object.entries(map) as [Field, string][]) take(field, name);
    if (format === 'leef') {
      take('terminal', 'poe'); // RACF records: the port of entry
      const job = fields.job;
      if (typeof job === 'string') take('job', 'job', job.length > FIXED_JOB_PREFIX ? job.slice(FIXED_JOB_PREFIX, FIXED_JOB_PREFIX + 8).trim() : job);
    }
    return { props, names };
  }
  const entries: [Field, string][] =
    format === 'easysmf'
      ? (EASYSMF_LAYOUTS[kind] ?? []).map(([f, section, key]) => [f, `${section}.${key}`])
      : (CSV_COLUMNS[kind] ?? []).map(([f, column]) => [f, column]);
  const classField = format === 'easysmf' ? 'relocateSection.className' : 'SMF80_CLASS';
  const isDataSet = String(fields[classField] ?? '').toUpperCase() === 'DATASET';
  const shared = new Map<string, number>();
  for (const [, name] of entries) shared.set(name, (shared.get(name) ?? 0) + 1);
  for (const [field, name] of entries) {
    if ((shared.get(name) ?? 0) > 1 && (field === 'dsn' ? !isDataSet : field === 'resource' ? isDataSet : false)) continue;
    take(field, name);
  }
  return { props, names };
}

/** Field names that frame every line of a format (time, system, type): checked through the truth, not as properties. */
const FRAMING: Readonly<Record<ConcreteFormat, RegExp>> = {
  leef: /^(?:devTime|devTimeFormat|sysname|sysplex)$/,
  cef: /^(?:rt|dvchost|SYSNAME|PLEXNAME)$/,
  rfc5424: /^(?:whereSYSTEM|whereSYSPLEX)$/,
  rfc3164: /^$/,
  json: /^(?:timestamp|smf_type|smf_subtype|stream|smf_system_id|sysplex_name)$/,
  easysmf: /^(?:recordType|subType|system|smfDateTime)$/,
  csv: /^(?:DATASTREAM|SMFID|SYSPLEX|SMFSTY|SMF\d*DTE|SMF\d*TME)$/,
};

/** Names beyond the properties, and where they must land. */
const EXTRAS: Readonly<Partial<Record<ConcreteFormat, Readonly<Record<string, (d: EventDoc) => unknown>>>>> = {
  leef: { allow: (d) => d.zos?.racf?.allowed_access, prof: (d) => d.zos?.racf?.profile, sum: (d) => d.message, desc: (d) => d.event.outcome },
  cef: { msg: (d) => d.message, outcome: (d) => d.event.outcome },
  rfc3164: { Desc: (d) => d.message, Result: (d) => d.event.outcome },
  json: { outcome: (d) => d.event.outcome },
};

const SYSPLEX_NAMES: Readonly<Partial<Record<ConcreteFormat, string>>> = { leef: 'sysplex', cef: 'PLEXNAME', rfc5424: 'whereSYSPLEX', json: 'sysplex_name', csv: 'SYSPLEX' };

interface Ecs {
  category: readonly string[];
  actions: readonly string[];
  /** 'derived': success unless the RACF qualifier says otherwise; 'success'; or undefined (no outcome expected). */
  outcome?: 'racf' | 'success';
}

const KIND_ECS: Readonly<Record<RecordKind, Ecs>> = {
  'tn3270-session': { category: ['network', 'session'], actions: ['tn3270-session-start'], outcome: 'success' },
  // EasySMF and CDP carry no JES job id in SMF 80: a batch job's RACINIT reads as a logon there.
  'racf-logon': { category: ['authentication'], actions: ['logon', 'job-initiation'], outcome: 'racf' },
  // file for a data set, iam for a general resource (checked in ecsProblem).
  'racf-access': { category: [], actions: ['dataset-access', 'resource-access'], outcome: 'racf' },
  'racf-command': { category: ['iam'], actions: ['racf-altuser', 'racf-connect', 'racf-password', 'racf-permit', 'racf-adduser', 'racf-rdefine'], outcome: 'racf' },
  'tso-logon': { category: ['process', 'session'], actions: ['tso-logon'], outcome: 'success' },
  'tso-logoff': { category: ['process', 'session'], actions: ['tso-logoff'], outcome: 'success' },
  'job-start': { category: ['process'], actions: ['job-start'] },
  'job-end': { category: ['process'], actions: ['job-end'] },
  'dataset-read': { category: ['file'], actions: ['dataset-read'], outcome: 'success' },
  'dataset-write': { category: ['file'], actions: ['dataset-write'], outcome: 'success' },
  'dataset-activity': { category: ['file'], actions: ['dataset-activity'] },
  'cics-transaction': { category: ['web'], actions: ['cics-transaction'] },
  'db2-audit': { category: ['database'], actions: ['db2-read', 'db2-dml'] },
  'mq-access': { category: ['database'], actions: ['mq-access'] },
  'ims-access': { category: ['database'], actions: ['ims-access'] },
  'icsf-service': { category: [], actions: ['icsf-service'] },
  'console-command': { category: ['process', 'configuration'], actions: ['console-command'], outcome: 'success' },
  sessmon: { category: ['session'], actions: ['vtam-session'] },
};

function ecsProblem(kind: RecordKind, d: EventDoc, props: Map<Field, string | number | boolean>): string | undefined {
  const want = KIND_ECS[kind];
  const category = d.event.category ?? [];
  if (want.category.length > 0 && !want.category.every((c) => category.includes(c))) return `category ${JSON.stringify(category)}, want ${JSON.stringify(want.category)}`;
  if (d.event.action === undefined || !want.actions.includes(d.event.action)) return `action ${d.event.action}, want one of ${want.actions.join(' ')}`;
  if (kind === 'racf-access') {
    const dataSet = props.has('dsn');
    const [cat, action] = dataSet ? ['file', 'dataset-access'] : ['iam', 'resource-access'];
    if (!category.includes(cat) || d.event.action !== action) return `${JSON.stringify(category)} ${d.event.action} for ${dataSet ? 'a data set' : 'a general resource'}`;
  }
  if (want.outcome === 'success' && d.event.outcome !== 'success') return `outcome ${d.event.outcome}, want success`;
  if (want.outcome === 'racf') {
    const qual = props.get('racfQual');
    const ok = qual === undefined ? undefined : Number(qual) === 0;
    if (d.event.outcome === undefined || (ok !== undefined && d.event.outcome !== (ok ? 'success' : 'failure'))) return `outcome ${d.event.outcome} with qualifier ${qual}`;
  }
  return undefined;
}

export function measure(format: ConcreteFormat, options: SimOptions = coverageOptions(format)): Coverage {
  const parser = createParser({ format: format === 'csv' ? 'csv' : 'auto' });
  const normalizer = createNormalizer({ profile: 'auto', timezone: options.timezone ?? 'UTC' });
  const zero = (): Record<Check, number> => Object.fromEntries(CHECKS.map((c) => [c, 0])) as Record<Check, number>;
  const cov: Coverage = { format, lines: 0, kinds: new Set(), applied: zero(), passed: zero(), failures: [] };
  const shown = new Map<string, number>();
  const check = (c: Check, ok: boolean, kind: string, why: () => string, text: string): void => {
    cov.applied[c]++;
    if (ok) {
      cov.passed[c]++;
      return;
    }
    const key = `${c}/${kind}`;
    const n = shown.get(key) ?? 0;
    shown.set(key, n + 1);
    if (n < 2) cov.failures.push(`${format} ${kind} ${c}: ${why()}\n    ${text.slice(0, 600)}`);
  };
  const precision = TIME_PRECISION_MS[format];

  for (const line of simulate(options)) {
    const parsed = parser.parse(line.text);
    if (line.truth.kind === 'header') {
      if (!parsed.ok || parsed.record !== null) cov.failures.push(`${format} header: not taken as the CSV header\n    ${line.text.slice(0, 200)}`);
      continue;
    }
    const kind = line.truth.kind as RecordKind;
    cov.lines++;
    cov.kinds.add(kind);
    if (!parsed.ok || parsed.record === null) {
      check('accepted', false, kind, () => (parsed.ok ? 'taken as a header' : `parse ${parsed.code}: ${parsed.reason}`), line.text);
      continue;
    }
    const record = parsed.record;
    // Received two seconds after the event, as a live feed would be (anchors year-less RFC 3164 times).
    const result = normalizer.normalize(record, { receivedAt: new Date(line.time.getTime() + 2000), inputName: 'coverage' });
    if (!result.ok) {
      check('accepted', false, kind, () => `normalize ${result.code}: ${result.reason}`, line.text);
      continue;
    }
    check('accepted', true, kind, () => '', '');
    const d = result.doc;
    const t = line.truth;
    const text = line.text.toUpperCase();
    const carried = KIND_FIELDS[kind];

    const wantMs = Math.floor(line.time.getTime() / precision) * precision;
    check('timestamp', Date.parse(d['@timestamp']) === wantMs, kind, () => `@timestamp ${d['@timestamp']}, want ${new Date(wantMs).toISOString()}`, line.text);

    const truthField = (c: Check, prop: Field | undefined, value: string | undefined, got: unknown): void => {
      if (value === undefined || (prop !== undefined && !carried.includes(prop)) || !text.includes(value.toUpperCase())) return;
      check(c, String(got ?? '').toUpperCase() === value.toUpperCase(), kind, () => `${String(got)}, want ${value}`, line.text);
    };
    truthField('user', 'user', t.user, d.user?.name);
    truthField('job', 'job', t.job, d.process?.name);
    truthField('ip', 'ip', t.ip, d.source?.ip);
    truthField('terminal', 'terminal', t.terminal, d.zos?.terminal);
    truthField('dsn', 'dsn', t.dsn, d.zos?.dsn);
    truthField('system', undefined, t.system, d.host.name);

    const smf = KIND_SMF[kind];
    if (smf.type !== undefined) {
      check('smf.type', d.smf.type === smf.type && d.smf.subtype === smf.subtype, kind, () => `smf ${d.smf.type}/${d.smf.subtype}, want ${smf.type}/${smf.subtype}`, line.text);
    }
    check('dataset', d.event.dataset === KIND_DATASET[kind], kind, () => `event.dataset ${d.event.dataset}, want ${KIND_DATASET[kind]}`, line.text);
    check('format', d.smf.format !== 'text', kind, () => `smf.format ${d.smf.format}`, line.text);

    const { props, names } = written(format, kind, record.fields);
    const ecs = ecsProblem(kind, d, props);
    check('ecs', ecs === undefined, kind, () => ecs ?? '', line.text);

    const problems: string[] = [];
    for (const [field, raw] of props) {
      const got = PATHS[field](d);
      const want = expected(field, raw);
      const have = got === undefined ? undefined : IP.has(field) ? String(got).toLowerCase() : String(got);
      if (have !== want) problems.push(`${field} (${[...names].find((n) => record.fields[n] === raw) ?? '?'}=${String(raw)}) → ${String(have)}`);
    }
    const extras = EXTRAS[format] ?? {};
    for (const [name, get] of Object.entries(extras)) {
      if (record.fields[name] !== undefined && get(d) === undefined) problems.push(`${name}=${String(record.fields[name])} → nothing`);
    }
    const plex = SYSPLEX_NAMES[format];
    if (plex !== undefined && record.fields[plex] !== undefined && d.zos?.sysplex !== record.fields[plex]) problems.push(`${plex} → zos.sysplex ${d.zos?.sysplex}`);
    if (record.text !== undefined && d.message === undefined) problems.push('free text → no message');
    for (const name of Object.keys(record.fields)) {
      if (!names.has(name) && !FRAMING[format].test(name) && !(name in extras) && name !== plex) problems.push(`${name}: a field the test does not know`);
    }
    check('fields', problems.length === 0, kind, () => problems.join('; '), line.text);
  }
  return cov;
}

export function measureAll(): Coverage[] {
  return CONCRETE_FORMATS.map((f) => measure(f));
}

/** Kinds a format must have produced in the coverage run (SMF-only formats have no IMS, OPERLOG, SessMon). */
export function expectedKinds(format: ConcreteFormat): RecordKind[] {
  return RECORD_KINDS.filter((k) => !(format === 'easysmf' || format === 'csv') || KIND_SMF[k].type !== undefined);
}

/** A Markdown table: one row per format, `passed/applied` per check (✓ when all passed). */
export function formatTable(rows: readonly Coverage[]): string {
  const head = `| format | lines | ${CHECKS.join(' | ')} |`;
  const rule = `|---|---:|${CHECKS.map(() => '---:').join('|')}|`;
  const cell = (c: Coverage, k: Check): string => {
    const a = c.applied[k];
    const p = c.passed[k];
    if (a === 0) return '–';
    return p === a ? `✓ ${a}` : `${p}/${a} (${((100 * p) / a).toFixed(1)} %)`;
  };
  return [head, rule, ...rows.map((c) => `| ${c.format} | ${c.lines} | ${CHECKS.map((k) => cell(c, k)).join(' | ')} |`)].join('\n');
}
