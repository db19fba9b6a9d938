// RFC 3164 syslog with key=value fields, as BMC AMI Datastream sends it by default (domain.md §2):
//   <166>Mar  3 09:04:05 SYSA SMF80: User=JSMITH Jobname=JSMITH JobId=TSU01234 TermNm=TCPA0001 … Desc="…"
// HOSTNAME is the SMF system id. TAG names the source: `SMF80`, `SMF119_20` (type_subtype), `Console`,
// `IMS`, `SessMon`. Traps reproduced: no year and no zone (the time is local to the feed's zone);
// the day padded with a space; values with spaces, quotes or "=" in double quotes with `\"` escapes
// (`Command="SE 'BACKUP AT 22:00 \"TONIGHT\"',ALL"`); a free-text `Desc` at the end.
// PRI: facility local4 (20); severity 4 for RACF failures, 5 for commands, else 6.

import { TimeFormat } from '../calendar.js';
import type { Rng } from '../random.js';
import { describe, KIND_SMF, type RecordKind, type SimRecord } from '../records.js';
import { fieldLists, isRacf, type FormatWriter, type NameMap } from './fields.js';

export const RFC3164_NAMES: NameMap = {
  user: 'User',
  group: 'Group',
  job: 'Jobname',
  jobId: 'JobId',
  program: 'Program',
  terminal: 'TermNm',
  ip: 'RemtIP',
  port: 'RemtPort',
  localIp: 'LoclIP',
  localPort: 'LoclPort',
  applid: 'ApplID',
  racfEvent: 'RacfEvent',
  racfQual: 'RacfQual',
  resClass: 'Class',
  resource: 'Resource',
  dsn: 'RCDNAME',
  member: 'Member',
  volser: 'Volser',
  access: 'Access',
  command: 'Command',
  console: 'Console',
  cicsApplid: 'CICSApplid',
  tran: 'TranId',
  cicsFile: 'CICSFile',
  db2Ssid: 'DB2SSID',
  ifcid: 'IFCID',
  dbid: 'DBID',
  table: 'TableName',
  grantor: 'Grantor',
  queue: 'QueueName',
  qmgr: 'QMgrName',
  channel: 'ChannelName',
  imsId: 'IMSID',
  imsDb: 'DBName',
  imsTran: 'IMSTran',
  icsfService: 'ICSFService',
};

const FIELDS = fieldLists(RFC3164_NAMES);
const TAGS: Readonly<Partial<Record<RecordKind, string>>> = { 'console-command': 'Console', 'ims-access': 'IMS', sessmon: 'SessMon' };

export function createRfc3164Writer(): FormatWriter {
  const tf = new TimeFormat();
  return {
    format: 'rfc3164',
    accepts: () => true,
    write(r: SimRecord, _rng: Rng): string {
      const severity = r.failed ? 4 : r.kind === 'racf-command' || r.kind === 'console-command' ? 5 : 6;
      let out = `<${160 + severity}>${tf.bsd(r.wallMs)} ${r.system} ${tag(r.kind)}:`;
      for (const [, name, get] of FIELDS[r.kind]) {
        const v = get(r);
        if (v !== undefined) out += ` ${name}=${typeof v === 'number' ? v : quote(v)}`;
      }
      if (isRacf(r.kind)) out += ` Result=${r.failed ? 'Failure' : 'Success'}`;
      return `${out} Desc=${quote(describe(r))}`;
    },
  };
}

function tag(kind: RecordKind): string {
  const { type, subtype } = KIND_SMF[kind];
  if (type === undefined) return TAGS[kind] ?? kind;
  return subtype === undefined ? `SMF${type}` : `SMF${type}_${subtype}`;
}

const NEEDS_QUOTES = /[\s"'=\\]/;

function quote(v: string): string {
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"` : v;
}
