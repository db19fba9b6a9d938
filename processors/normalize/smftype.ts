// SMF record type / subtype of a record, and the event.dataset it belongs to.
//
// Sources, first found wins for the type: an aliased field (EasySMF recordType, converters'
// smf_type), the LEEF EventID / CEF signature id, a CDP stream name field, the syslog tag
// (APP-NAME) or RFC 5424 MSGID, and last, for JSON and CSV only, the number in an IBM field name
// (`smf80usr` → 80). Each is read with one token grammar: `80`, `080`, `119-12`, `119_12`,
// `SMF80`, `SMF_030_5`, `zOS-SMF80`. Types are 0–255, subtypes 0–65535; anything else (a CEF
// signature id like 4625, a zSecure alert number C2P0100) is not an SMF type. zSecure Alert lines
// carry no type at all: their alert number is looked up in ZSECURE_ALERTS instead.

import type { ParsedRecord } from '../schema/record.js';
import { text, type FieldValue, type Found } from './meanings.js';

export interface SmfId {
  type?: number;
  subtype?: number;
}

const TOKEN = /^(?:(?:zos-)?smf[ _-]?)?0*(\d{1,3})(?:[-_.:/](\d{1,5}))?$/i;
const FIELD_NAME_TYPE = /(?:^|\.)smf(\d{2,3})[a-z]/i;

/** Parse one type token; undefined when it is not an SMF type. */
export function parseSmfToken(value: FieldValue | undefined): SmfId | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 255 ? { type: value } : undefined;
  if (typeof value !== 'string') return undefined;
  const m = TOKEN.exec(value.trim());
  if (m === null) return undefined;
  const type = Number(m[1]);
  if (type > 255) return undefined;
  if (m[2] === undefined) return { type };
  const subtype = Number(m[2]);
  return subtype <= 65535 ? { type, subtype } : { type };
}

function parseSubtype(value: FieldValue | undefined): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

export function deriveSmfId(record: ParsedRecord, found: Found): SmfId {
  const id =
    parseSmfToken(found.smf_type) ??
    parseSmfToken(record.header?.eventId) ??
    parseSmfToken(found.stream) ??
    parseSmfToken(record.envelope?.appName) ??
    parseSmfToken(record.envelope?.msgId) ??
    typeFromFieldNames(record) ??
    alertOf(record)?.smf;
  if (id === undefined) return {};
  const subtype = id.subtype ?? parseSubtype(found.smf_subtype);
  return subtype === undefined ? { type: id.type } : { type: id.type, subtype };
}

function typeFromFieldNames(record: ParsedRecord): SmfId | undefined {
  if (record.format !== 'json' && record.format !== 'csv') return undefined;
  for (const key in record.fields) {
    const m = FIELD_NAME_TYPE.exec(key);
    if (m !== null) return parseSmfToken(Number(m[1]));
  }
  return undefined;
}

/** What a zSecure Alert number stands for: the SMF record it reports on, or the source of a non-SMF one. */
interface AlertMeaning {
  smf?: SmfId;
  source?: string;
}

/**
 * zSecure Alert numbers → SMF record, for RFC 5424 lines whose MSGID is `C2Pnnnn` (a
 * trailing message-type letter, as in `C2P1103I`, is allowed). Alert numbers are chosen per
 * installation when alerts are defined, so no table is right everywhere: this one is the
 * numbering of the bundled simulator (docs/simulator.md), which the sample feeds and the demo use.
 * A violation is the next number up. Numbers not listed give no SMF type (as before).
 */
const ZSECURE_ALERTS: ReadonlyMap<number, AlertMeaning> = new Map<number, AlertMeaning>([
  [101, { smf: { type: 80 } }], // RACF logon (RACINIT)
  [102, { smf: { type: 80 } }], // … refused
  [110, { smf: { type: 80 } }], // RACF resource access
  [111, { smf: { type: 80 } }], // … violation
  [120, { smf: { type: 80 } }], // RACF command
  [121, { smf: { type: 80 } }], // … refused
  [130, { smf: { type: 30, subtype: 1 } }], // TSO logon
  [131, { smf: { type: 30, subtype: 5 } }], // TSO logoff
  [132, { smf: { type: 30, subtype: 1 } }], // job start
  [133, { smf: { type: 30, subtype: 5 } }], // job end
  [140, { smf: { type: 14 } }], // data set input close
  [141, { smf: { type: 15 } }], // data set output close
  [142, { smf: { type: 42, subtype: 6 } }], // data set I/O statistics
  [150, { smf: { type: 119, subtype: 20 } }], // TN3270 session start
  [160, { smf: { type: 110, subtype: 1 } }], // CICS transaction
  [170, { smf: { type: 102 } }], // Db2 audit trace
  [180, { smf: { type: 116, subtype: 1 } }], // MQ queue accounting
  [190, { source: 'IMS' }], // IMS log
  [200, { smf: { type: 82, subtype: 31 } }], // ICSF service
  [210, { source: 'OPERLOG' }], // console command
  [220, { source: 'SESSMON' }], // NetView session monitor
]);

const ALERT_ID = /^C2P(\d{4})[A-Z]?$/;

function alertOf(record: ParsedRecord): AlertMeaning | undefined {
  const envelope = record.envelope;
  if (envelope?.kind !== 'rfc5424' || envelope.msgId === undefined) return undefined;
  const m = ALERT_ID.exec(envelope.msgId);
  return m === null ? undefined : ZSECURE_ALERTS.get(Number(m[1]));
}

const DATASET_BY_TYPE: ReadonlyMap<number, string> = new Map([
  ...[14, 15, 17, 18, 42, 61, 62, 63, 64, 65, 66].map((t) => [t, 'smf.dataset'] as const),
  ...[26, 30].map((t) => [t, 'smf.job'] as const),
  ...[80, 81, 83].map((t) => [t, 'smf.racf'] as const),
  [82, 'smf.icsf'],
  ...[100, 101, 102].map((t) => [t, 'smf.db2'] as const),
  [110, 'smf.cics'],
  ...[115, 116].map((t) => [t, 'smf.mq'] as const),
  ...[118, 119].map((t) => [t, 'smf.tcpip'] as const),
]);

const CONSOLE_SOURCE = /^(?:console|operlog|syslog|opercmds?)$/i;
const IMS_SOURCE = /^ims/i;
const JOBLOG_SOURCE = /^joblog$/i;
const SESSMON_SOURCE = /^sessmon$/i;

/**
 * event.dataset. By SMF type when known; otherwise by the source's own name for non-SMF feeds
 * (syslog tag, stream, event id, zSecure alert: Console/OPERLOG → smf.console, IMS… → smf.ims,
 * JOBLOG → smf.job, SessMon → smf.sessmon), then by content (IMS fields → smf.ims, a console
 * command → smf.console); else smf.other.
 */
export function datasetFor(type: number | undefined, record: ParsedRecord, found: Found): string {
  if (type !== undefined) return DATASET_BY_TYPE.get(type) ?? 'smf.other';
  for (const name of [record.envelope?.appName, text(found.stream), record.header?.eventId, alertOf(record)?.source]) {
    if (name === undefined) continue;
    if (CONSOLE_SOURCE.test(name)) return 'smf.console';
    if (IMS_SOURCE.test(name)) return 'smf.ims';
    if (JOBLOG_SOURCE.test(name)) return 'smf.job';
    if (SESSMON_SOURCE.test(name)) return 'smf.sessmon';
  }
  if (found.ims_id !== undefined || found.ims_db_name !== undefined || found.ims_transaction !== undefined) return 'smf.ims';
  if (found.console_command !== undefined) return 'smf.console';
  return 'smf.other';
}
