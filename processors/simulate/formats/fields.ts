// The record properties writers may write, in the order they write them, and the writer contract.
// A writer names each property in its format's vocabulary (domain.md §3) through a NameMap; a
// property a format has no name for is not written by that format.

import type { ConcreteFormat } from '../options.js';
import type { Rng } from '../random.js';
import { KIND_FIELDS, KIND_SMF, NON_SMF_SOURCE, RECORD_KINDS, type RecordKind, type SimRecord } from '../records.js';

export const FIELD_ORDER = [
  'user', 'group', 'job', 'jobId', 'program', 'terminal', 'ip', 'port', 'host', 'localIp', 'localPort', 'applid',
  'racfEvent', 'racfQual', 'resClass', 'resource', 'dsn', 'member', 'volser', 'access', 'command', 'console',
  'cicsApplid', 'tran', 'cicsFile', 'db2Ssid', 'ifcid', 'dbid', 'table', 'grantor', 'queue', 'qmgr', 'channel',
  'imsId', 'imsDb', 'imsTran', 'icsfService',
] as const satisfies readonly (keyof SimRecord)[];
export type Field = (typeof FIELD_ORDER)[number];
export type NameMap = Readonly<Partial<Record<Field, string>>>;
export type Getter = (r: SimRecord) => string | number | undefined;
/** [property, name in the format, getter]; getters are plain property loads, much faster than r[field] per line. */
export type FieldList = readonly (readonly [Field, string, Getter])[];

export const GET: Readonly<Record<Field, Getter>> = {
  user: (r) => r.user, group: (r) => r.group, job: (r) => r.job, jobId: (r) => r.jobId, program: (r) => r.program,
  terminal: (r) => r.terminal, ip: (r) => r.ip, port: (r) => r.port, host: (r) => r.host, localIp: (r) => r.localIp,
  localPort: (r) => r.localPort, applid: (r) => r.applid, racfEvent: (r) => r.racfEvent, racfQual: (r) => r.racfQual,
  resClass: (r) => r.resClass, resource: (r) => r.resource, dsn: (r) => r.dsn, member: (r) => r.member, volser: (r) => r.volser,
  access: (r) => r.access, command: (r) => r.command, console: (r) => r.console, cicsApplid: (r) => r.cicsApplid,
  tran: (r) => r.tran, cicsFile: (r) => r.cicsFile, db2Ssid: (r) => r.db2Ssid, ifcid: (r) => r.ifcid, dbid: (r) => r.dbid,
  table: (r) => r.table, grantor: (r) => r.grantor, queue: (r) => r.queue, qmgr: (r) => r.qmgr, channel: (r) => r.channel,
  imsId: (r) => r.imsId, imsDb: (r) => r.imsDb, imsTran: (r) => r.imsTran, icsfService: (r) => r.icsfService,
};

/**
 * Per kind, the fields a format names and that kind may carry (KIND_FIELDS), in FIELD_ORDER.
 * Computed once per writer, so a line costs a handful of property loads.
 */
export function fieldLists(names: NameMap): Readonly<Record<RecordKind, FieldList>> {
  const out = {} as Record<RecordKind, FieldList>;
  for (const kind of RECORD_KINDS) {
    const allowed = KIND_FIELDS[kind];
    out[kind] = FIELD_ORDER.filter((f) => names[f] !== undefined && allowed.includes(f)).map((f) => [f, names[f] as string, GET[f]] as const);
  }
  return out;
}

export interface FormatWriter {
  readonly format: ConcreteFormat;
  /** Whether the format carries this kind (SMF-only formats skip IMS logs, OPERLOG and SessMon). */
  accepts(kind: RecordKind): boolean;
  /** A header line written once before the first record, for formats that have one (CSV). */
  header?(kinds: readonly RecordKind[]): string;
  /** One line without terminator. `rng` is the rendering stream: it never changes what happened, only how it is written. */
  write(r: SimRecord, rng: Rng): string;
}

export const isSmf = (kind: RecordKind): boolean => KIND_SMF[kind].type !== undefined;
export const isRacf = (kind: RecordKind): boolean => kind === 'racf-logon' || kind === 'racf-access' || kind === 'racf-command';

/** `80`, `119-20`, or the source name of a non-SMF kind (`OPERLOG`). */
export function typeToken(kind: RecordKind, separator = '-'): string {
  const { type, subtype } = KIND_SMF[kind];
  if (type === undefined) return NON_SMF_SOURCE[kind] ?? kind;
  return subtype === undefined ? String(type) : `${type}${separator}${subtype}`;
}

/** An IPv4 address as an IPv4-mapped IPv6 address, in the letter case the source writes. */
export function mapped(ip: string, upper: boolean): string {
  return `${upper ? '::FFFF:' : '::ffff:'}${ip}`;
}

const JSON_UNSAFE = /["\\\u0000-\u001f\u007f-\uffff]/;

/** A JSON string literal; the common plain-ASCII case without JSON.stringify. */
export function jsonString(v: string): string {
  return JSON_UNSAFE.test(v) ? JSON.stringify(v) : `"${v}"`;
}
