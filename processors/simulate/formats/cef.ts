// CEF as BMC AMI Defender sends it to ArcSight (domain.md §2):
//   CEF:0|BMC|AMI Defender|7.1|SMF80|RACF logon|3|rt=<epoch ms> dvchost=SYSA SYSNAME=SYSA suser=… msg=…
// Signature id: `SMF` + type[-subtype] (`SMF119-20`), or the source name of non-SMF records.
// Traps reproduced: `rt` in epoch milliseconds; header escaping (`\|` in the RACF access check name,
// whose class follows a pipe); extension escaping of `\`, `=` and newlines (console commands and the
// `msg` text hold "="); 25 % of `src` values IPv4-mapped; `outcome` as ArcSight's `/Success`.
// Standard CEF keys where one exists (suser, src, spt, dst, dpt, shost, dvchost, outcome, msg),
// BMC field names for the rest (ASRENAME, ASREJBID, TermNm, RCDNAME, SYSNAME, PLEXNAME …).

import type { Rng } from '../random.js';
import { describe, type RecordKind, type SimRecord } from '../records.js';
import { fieldLists, isRacf, mapped, type FormatWriter, type NameMap } from './fields.js';
import { KIND_SMF, NON_SMF_SOURCE } from '../records.js';

export const CEF_NAMES: NameMap = {
  user: 'suser',
  group: 'Group',
  job: 'ASRENAME',
  jobId: 'ASREJBID',
  program: 'Program',
  terminal: 'TermNm',
  ip: 'src',
  port: 'spt',
  host: 'shost',
  localIp: 'dst',
  localPort: 'dpt',
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

const FIELDS = fieldLists(CEF_NAMES);

const NAMES: Readonly<Record<RecordKind, string>> = {
  'tn3270-session': 'TN3270 session start',
  'racf-logon': 'RACF logon',
  'racf-access': 'RACF access check|DATASET',
  'racf-command': 'RACF command',
  'tso-logon': 'TSO logon',
  'tso-logoff': 'TSO logoff',
  'job-start': 'Job start',
  'job-end': 'Job end',
  'dataset-read': 'Data set input close',
  'dataset-write': 'Data set output close',
  'dataset-activity': 'Data set I/O statistics',
  'cics-transaction': 'CICS transaction',
  'db2-audit': 'Db2 audit',
  'mq-access': 'MQ queue access',
  'ims-access': 'IMS transaction',
  'icsf-service': 'ICSF service',
  'console-command': 'Console command',
  sessmon: 'Session bind',
};

const HEADER_SPECIAL = /[\\|]/;
const EXT_SPECIAL = /[\\=\n\r]/;

/** The constant start of each kind's line: `CEF:0|BMC|AMI Defender|7.1|<sig>|<escaped name>|`. */
const PREFIX = Object.fromEntries(
  Object.entries(NAMES).map(([kind, name]) => [kind, `CEF:0|BMC|AMI Defender|7.1|${signature(kind as RecordKind)}|${escapeHeader(name)}|`]),
) as Record<RecordKind, string>;

export function createCefWriter(): FormatWriter {
  return {
    format: 'cef',
    accepts: () => true,
    write(r: SimRecord, rng: Rng): string {
      const severity = r.failed ? 7 : r.kind === 'racf-command' || r.kind === 'console-command' ? 5 : 3;
      let out = `${PREFIX[r.kind]}${severity}|rt=${r.utcMs} dvchost=${r.system} SYSNAME=${r.system} PLEXNAME=${r.sysplex}`;
      for (const [f, name, get] of FIELDS[r.kind]) {
        const v = get(r);
        if (v === undefined) continue;
        out += ` ${name}=${f === 'ip' && rng.chance(0.25) ? mapped(String(v), true) : typeof v === 'number' ? v : escapeExt(v)}`;
      }
      if (isRacf(r.kind)) out += ` outcome=${r.failed ? '/Failure' : '/Success'}`;
      return `${out} msg=${escapeExt(describe(r))}`;
    },
  };
}

function signature(kind: RecordKind): string {
  const { type, subtype } = KIND_SMF[kind];
  if (type === undefined) return NON_SMF_SOURCE[kind] ?? kind;
  return subtype === undefined ? `SMF${type}` : `SMF${type}-${subtype}`;
}

/** Escaping is rare (a test is cheaper than a replace with a callback on every value). */
function escapeHeader(s: string): string {
  return HEADER_SPECIAL.test(s) ? s.replace(/[\\|]/g, (c) => `\\${c}`) : s;
}

function escapeExt(s: string): string {
  if (!EXT_SPECIAL.test(s)) return s;
  return s.replace(/[\\=\n\r]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\${c}`));
}
