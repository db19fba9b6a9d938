// Building the EventDoc from resolved meanings.
//
// Contract (processors/schema/event.ts): optional fields are absent, never null or "", and no
// empty objects except `host`, which is always an object. User ids (Db2 authorization ids too),
// group names, job names and job ids are upper-cased: RACF and JES store them in upper case, and
// a lower-case converter must not split one user into two. Other keyword values are kept as read,
// trimmed. Numbers written as strings become numbers; a number field that is not a number is left out.

import type { EventDoc, ZosFields } from '../schema/event.js';
import type { ParsedRecord, SyslogEnvelope } from '../schema/record.js';
import type { ConcreteProfile } from './aliases.js';
import type { Categorized } from './categorize.js';
import type { TimeSource } from './eventtime.js';
import { normalizeAddress, toPort } from './ip.js';
import { text, type FieldValue, type Found } from './meanings.js';
import type { SmfId } from './smftype.js';
import type { Zone } from '../time/zone.js';

export interface DocInput {
  record: ParsedRecord;
  r: Found;
  profile: ConcreteProfile;
  timestamp: string;
  timestampMs: number;
  timeSource: TimeSource;
  created: string;
  smf: SmfId;
  dataset: string;
  dsn: DsnParts | undefined;
  categorized: Categorized;
  zone: Zone;
}

export interface DsnParts {
  dsn: string;
  member?: string;
}

const MEMBER_SUFFIX = /^(.+)\(([^()]+)\)$/;
const MEMBER_NAME = /^[A-Z#$@][A-Z0-9#$@]{0,7}$/i;
const MAX_DSN_WITH_MEMBER = 44 + 10; // 44-character DSN + "(MEMBER01)"
const INTEGER = /^[+-]?\d{1,15}$/;

/**
 * The data set name and member. From a DSN field, or else from the resource when its class is
 * DATASET (or, in a data set record, when no class is given). `SYS1.PARMLIB(IEASYS00)` splits into
 * DSN and member; a GDG relative generation `(+1)`, `(0)` is not a member and stays in the name.
 */
export function resolveDsn(r: Found, dataset: string): DsnParts | undefined {
  let name = text(r.dsn);
  if (name === undefined) {
    const cls = text(r.resource_class)?.toUpperCase();
    if (cls === 'DATASET' || (cls === undefined && dataset === 'smf.dataset')) name = text(r.resource);
  }
  if (name === undefined) return undefined;
  const m = name.length <= MAX_DSN_WITH_MEMBER ? MEMBER_SUFFIX.exec(name) : null;
  const explicitMember = text(r.dsn_member);
  if (m !== null && m[1] !== undefined && m[2] !== undefined && MEMBER_NAME.test(m[2])) {
    return { dsn: m[1].trim(), member: m[2] };
  }
  return explicitMember === undefined ? { dsn: name } : { dsn: name, member: explicitMember };
}

export function buildDoc(input: DocInput): EventDoc {
  let s: string | undefined; // scratch: assign-and-test keeps each store monomorphic (no generic setter)
  const { record, r, categorized: cat } = input;
  const envelope = record.envelope;
  const header = record.header;

  const event: EventDoc['event'] = { kind: 'event', module: 'smf', dataset: input.dataset, created: input.created };
  if (cat.category !== undefined) event.category = cat.category;
  if (cat.type !== undefined) event.type = cat.type;
  if (cat.action !== undefined) event.action = cat.action;
  if (cat.outcome !== undefined) event.outcome = cat.outcome;
  const code = nonBlank(header?.eventId) ?? (envelope?.kind === 'rfc5424' ? nil(envelope.msgId) : undefined) ?? text(r.event_code);
  if (code !== undefined) event.code = code;
  const severity = parseSeverity(header?.severity) ?? parseSeverity(r.severity);
  if (severity !== undefined) event.severity = severity;

  const smf: EventDoc['smf'] = { format: payloadFormat(record), profile: input.profile, time_source: input.timeSource };
  if (input.smf.type !== undefined) smf.type = input.smf.type;
  if (input.smf.subtype !== undefined) smf.subtype = input.smf.subtype;

  // Built in reading order (time, message, event, who, where from, what, where, how it arrived,
  // mainframe specifics): the order documents show in Discover's JSON view.
  const doc = { '@timestamp': input.timestamp } as EventDoc;
  const message = nonBlank(record.text) ?? text(r.message) ?? nonBlank(header?.name);
  if (message !== undefined) doc.message = message;
  doc.event = event;

  const user: NonNullable<EventDoc['user']> = {};
  if ((s = upper(text(r.user))) !== undefined) user.name = s;
  if ((s = text(r.user_full_name)) !== undefined) user.full_name = s;
  const group = upper(text(r.group));
  if (group !== undefined) user.group = { name: group };
  const target = upper(text(r.target_user));
  if (target !== undefined) user.target = { name: target };
  if (notEmpty(user)) doc.user = user;

  const source = address(r.source_ip, r.source_port);
  const sourceHost = text(r.source_host);
  if (sourceHost !== undefined) source.domain = sourceHost;
  if (notEmpty(source)) doc.source = source;
  const destination = address(r.destination_ip, r.destination_port);
  if (notEmpty(destination)) doc.destination = destination;

  const job = upper(text(r.job_name));
  if (job !== undefined) doc.process = { name: job };
  const hostName = text(r.system) ?? nil(envelope?.hostname);
  doc.host = hostName === undefined ? {} : { name: hostName };

  const observer: NonNullable<EventDoc['observer']> = {};
  if (record.format === 'leef' || record.format === 'cef') {
    if ((s = nonBlank(header?.vendor)) !== undefined) observer.vendor = s;
    if ((s = nonBlank(header?.product)) !== undefined) observer.product = s;
    if ((s = nonBlank(header?.productVersion)) !== undefined) observer.version = s;
  }
  if ((s = text(r.observer_hostname)) !== undefined) observer.hostname = s;
  if (notEmpty(observer)) doc.observer = observer;

  if (envelope !== undefined) {
    const syslog = syslogFields(envelope);
    if (notEmpty(syslog)) doc.log = { syslog };
  }

  doc.smf = smf;
  const zos = zosFields(r, input);
  if (notEmpty(zos)) doc.zos = zos;
  return doc;
}

function zosFields(r: Found, input: DocInput): ZosFields {
  let s: string | undefined; // scratch: assign-and-test keeps each store monomorphic (no generic setter)
  const zos: ZosFields = {};
  if ((s = upper(text(r.job_id))) !== undefined) zos.job_id = s;
  if ((s = text(r.sysplex)) !== undefined) zos.sysplex = s;
  if ((s = text(r.lpar)) !== undefined) zos.lpar = s;
  if ((s = text(r.terminal)) !== undefined) zos.terminal = s;
  if (input.dsn !== undefined) {
    zos.dsn = input.dsn.dsn;
    if (input.dsn.member !== undefined) zos.dsn_member = input.dsn.member;
  }
  if ((s = text(r.volser)) !== undefined) zos.volser = s;
  if ((s = text(r.resource)) !== undefined) zos.resource = s;
  if ((s = upper(text(r.resource_class))) !== undefined) zos.resource_class = s;
  if ((s = upper(text(r.access))) !== undefined) zos.access = s;
  const racf: NonNullable<ZosFields['racf']> = {};
  let n: number | undefined;
  if ((n = toInt(r.racf_event_code, 0, 255)) !== undefined) racf.event_code = n;
  if ((n = toInt(r.racf_event_qualifier, 0, 255)) !== undefined) racf.event_qualifier = n;
  if ((s = upper(text(r.racf_group))) !== undefined) racf.group = s;
  if ((s = text(r.racf_profile)) !== undefined) racf.profile = s;
  if ((s = upper(text(r.allowed_access))) !== undefined) racf.allowed_access = s;
  if (notEmpty(racf)) zos.racf = racf;
  if ((s = text(r.program)) !== undefined) zos.program = s;
  if ((s = text(r.step)) !== undefined) zos.step = s;
  const cics: NonNullable<ZosFields['cics']> = {};
  if ((s = text(r.cics_transaction)) !== undefined) cics.transaction = s;
  if ((s = text(r.cics_file)) !== undefined) cics.file = s;
  if ((s = text(r.cics_applid)) !== undefined) cics.applid = s;
  if (notEmpty(cics)) zos.cics = cics;
  // A subsystem id read from the shared Db2/MQ header field (QWHSSSID) carries both meanings: keep the one of the record's kind.
  const dataset = input.dataset;
  const db2: NonNullable<ZosFields['db2']> = {};
  if (dataset !== 'smf.mq' && (s = text(r.db2_ssid)) !== undefined) db2.ssid = s;
  if ((n = toInt(r.db2_ifcid, 0, 65535)) !== undefined) db2.ifcid = n;
  if ((s = upper(text(r.db2_auth_id))) !== undefined) db2.auth_id = s; // Db2 authorization ids are user ids
  if ((s = upper(text(r.db2_grantor))) !== undefined) db2.grantor = s;
  if ((s = upper(text(r.db2_grantee))) !== undefined) db2.grantee = s;
  if ((s = text(r.db2_dbid)) !== undefined) db2.dbid = s;
  if ((s = text(r.db2_table)) !== undefined) db2.table = s;
  if (notEmpty(db2)) zos.db2 = db2;
  const mq: NonNullable<ZosFields['mq']> = {};
  if (dataset !== 'smf.db2' && (s = text(r.mq_qmgr)) !== undefined) mq.queue_manager = s;
  if ((s = text(r.mq_queue)) !== undefined) mq.queue = s;
  if ((s = text(r.mq_channel)) !== undefined) mq.channel = s;
  if (notEmpty(mq)) zos.mq = mq;
  const ims: NonNullable<ZosFields['ims']> = {};
  if ((s = text(r.ims_id)) !== undefined) ims.id = s;
  if ((s = text(r.ims_db_name)) !== undefined) ims.db_name = s;
  if ((s = text(r.ims_transaction)) !== undefined) ims.transaction = s;
  if (notEmpty(ims)) zos.ims = ims;
  const vtam = text(r.vtam_applid);
  if (vtam !== undefined) zos.vtam = { applid: vtam };
  const operator: NonNullable<ZosFields['console']> = {};
  if ((s = text(r.console_command)) !== undefined) operator.command = s;
  if ((s = text(r.console_name)) !== undefined) operator.name = s;
  if (notEmpty(operator)) zos.console = operator;
  const icsf = text(r.icsf_service);
  if (icsf !== undefined) zos.icsf = { service: icsf };
  if (input.categorized.logon) zos.logon = logonTime(input.timestampMs, input.zone);
  return zos;
}

/** RFC 5424 SD-IDs registered by IANA (RFC 5424 §7): metadata about the message, not event fields. */
const IANA_SD_IDS = new Set(['timeQuality', 'origin', 'meta']);

/**
 * smf.format: the payload format the fields were read from. That is the parser's format, except
 * for an RFC 5424 line whose fields are in its structured data and whose MSG is free text (IBM
 * zSecure Alert): `sd`, not `text`, which would say the line carried no fields at all.
 */
export function payloadFormat(record: ParsedRecord): string {
  if (record.format !== 'text') return record.format;
  const sd = record.envelope?.kind === 'rfc5424' ? record.envelope.structuredData : undefined;
  if (sd === undefined || sd === null || typeof sd !== 'object') return record.format;
  for (const id in sd) {
    if (IANA_SD_IDS.has(id)) continue;
    const params = sd[id];
    if (params !== undefined && params !== null && typeof params === 'object') for (const _ in params) return 'sd';
  }
  return record.format;
}

/** zos.logon: wall-clock "HH:MM" and "HH" in the configured zone. */
function logonTime(utcMs: number, zone: Zone): { time: string; hour: string } {
  const wall = zone.toWall(utcMs);
  const minuteOfDay = Math.floor((((wall % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
  const hour = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
  return { time: `${hour}:${String(minuteOfDay % 60).padStart(2, '0')}`, hour };
}

function address(rawIp: FieldValue | undefined, rawPort: FieldValue | undefined): NonNullable<EventDoc['source']> {
  const raw = text(rawIp);
  const out: NonNullable<EventDoc['source']> = raw === undefined ? {} : normalizeAddress(raw);
  const port = typeof rawPort === 'string' || typeof rawPort === 'number' ? toPort(rawPort) : undefined;
  if (port !== undefined) out.port = port; // an explicit port field wins over one embedded in the address
  return out;
}

function syslogFields(envelope: SyslogEnvelope): NonNullable<NonNullable<EventDoc['log']>['syslog']> {
  let s: string | undefined; // scratch: assign-and-test keeps each store monomorphic (no generic setter)
  const syslog: NonNullable<NonNullable<EventDoc['log']>['syslog']> = {};
  const pri = envelope.priority;
  if (typeof pri === 'number' && Number.isInteger(pri) && pri >= 0 && pri <= 191) {
    syslog.priority = pri;
    syslog.facility = { code: pri >> 3 };
    syslog.severity = { code: pri & 7 };
  }
  if ((s = nil(envelope.hostname)) !== undefined) syslog.hostname = s;
  if ((s = nil(envelope.appName)) !== undefined) syslog.appname = s;
  if ((s = nil(envelope.msgId)) !== undefined) syslog.msgid = s;
  if ((s = nil(envelope.procId)) !== undefined) syslog.procid = s;
  return syslog;
}

// A Map, not an object literal: keys come from input ("__proto__" must not find Object.prototype).
const CEF_SEVERITY_WORDS: ReadonlyMap<string, number> = new Map([['low', 3], ['medium', 6], ['high', 8], ['very-high', 10], ['very high', 10]]);

/** A numeric severity, or CEF's words (Low 0–3, Medium 4–6, High 7–8, Very-High 9–10: the top of each band). */
function parseSeverity(value: FieldValue | undefined): number | undefined {
  if (typeof value === 'string') {
    const word = CEF_SEVERITY_WORDS.get(value.trim().toLowerCase());
    if (word !== undefined) return word;
  }
  return toInt(value, 0, 1000);
}

export function toInt(value: FieldValue | undefined, min: number, max: number): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && INTEGER.test(value)) n = Number(value);
  else return undefined;
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function notEmpty(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

function upper(s: string | undefined): string | undefined {
  return s === undefined ? undefined : s.toUpperCase();
}

function nonBlank(s: string | undefined): string | undefined {
  if (typeof s !== 'string') return undefined;
  const t = s.trim();
  return t === '' ? undefined : t;
}

/** RFC 5424 writes "-" for an absent header field. */
function nil(s: string | undefined): string | undefined {
  const t = nonBlank(s);
  return t === '-' ? undefined : t;
}
