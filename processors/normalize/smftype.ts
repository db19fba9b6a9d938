// SMF record type / subtype of a record, and the event.dataset it belongs to.
//
// Sources, first found wins for the type: an aliased field (EasySMF recordType, converters'
// smf_type), the LEEF EventID / CEF signature id, a CDP stream name field, the syslog tag
// (APP-NAME) or RFC 5424 MSGID, and last, for JSON and CSV only, the number in an IBM field name
// (`smf80usr` → 80). Each is read with one token grammar: `80`, `080`, `119-12`, `119_12`,
// `SMF80`, `SMF_030_5`, `zOS-SMF80`. Types are 0–255, subtypes 0–65535; anything else (a CEF
// signature id like 4625, a zSecure alert number C2P0100) is not an SMF type.

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
    typeFromFieldNames(record);
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

/**
 * event.dataset. By SMF type when known; otherwise by the source's own name for non-SMF feeds
 * (syslog tag, stream, event id: Console/OPERLOG → smf.console, IMS… → smf.ims, JOBLOG → smf.job),
 * then by content (IMS fields → smf.ims, a console command → smf.console); else smf.other.
 */
export function datasetFor(type: number | undefined, record: ParsedRecord, found: Found): string {
  if (type !== undefined) return DATASET_BY_TYPE.get(type) ?? 'smf.other';
  for (const name of [record.envelope?.appName, text(found.stream), record.header?.eventId]) {
    if (name === undefined) continue;
    if (CONSOLE_SOURCE.test(name)) return 'smf.console';
    if (IMS_SOURCE.test(name)) return 'smf.ims';
    if (JOBLOG_SOURCE.test(name)) return 'smf.job';
  }
  if (found.ims_id !== undefined || found.ims_db_name !== undefined || found.ims_transaction !== undefined) return 'smf.ims';
  if (found.console_command !== undefined) return 'smf.console';
  return 'smf.other';
}
