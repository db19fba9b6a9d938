// LEEF as IBM zSecure writes it for QRadar (domain.md §2):
//   LEEF:1.0|IBM|z/OS|2.5|<EventID>|devTime=…<TAB>devTimeFormat=…<TAB>sysname=…<TAB>key=value…
// EventID is the SMF type-subtype (`80`, `119-20`, `30-1`, `14`) or the source name of non-SMF
// records (`OPERLOG`, `IMS`, `SESSMON`). Traps reproduced:
// - devTime in zSecure's non-ISO form `Mar 3 2025 9:04:05.123 +0100` (single-digit day and hour);
// - about 15 % of lines are LEEF 2.0 with a declared delimiter: `^`, or in hex `x5E`, `x7C` (a pipe!);
// - values with spaces and "=" (`sum=RACINIT success for JSMITH rc=0`, console commands);
// - 25 % of client IPs IPv4-mapped (`::FFFF:10.1.2.3`);
// - on RACF records, 30 % write the fixed-width `job=` (jobname = the 8 characters after a
//   29-character prefix `<jobid> <date> <time> `) instead of `jobname=`;
// - lines from every second system (SYSB by default) carry an RFC 3164 header before `LEEF:`.

import { TimeFormat } from '../calendar.js';
import type { Rng } from '../random.js';
import { describe, type SimRecord } from '../records.js';
import { fieldLists, isRacf, mapped, typeToken, type FormatWriter, type NameMap } from './fields.js';

/**
 * zSecure attribute names where IBM's QRadar RACF property pack documents them (dsn, intent, allow,
 * appl, cmd, desc, sum, poe for RACF's port of entry, prof, job); QRadar's predefined usrName/src/dst;
 * names for CICS/Db2/MQ/IMS follow the BMC spelling the alias maps know (verify with zSecure).
 */
export const LEEF_NAMES: NameMap = {
  user: 'usrName',
  group: 'group',
  job: 'jobname',
  jobId: 'jobid',
  program: 'program',
  terminal: 'terminal',
  ip: 'src',
  port: 'srcPort',
  localIp: 'dst',
  localPort: 'dstPort',
  applid: 'appl',
  racfEvent: 'evtCode',
  racfQual: 'evtQual',
  resClass: 'class',
  resource: 'resource',
  dsn: 'dsn',
  member: 'member',
  volser: 'volser',
  access: 'intent',
  command: 'cmd',
  console: 'console',
  cicsApplid: 'cicsApplid',
  tran: 'tranId',
  cicsFile: 'cicsFile',
  db2Ssid: 'db2Ssid',
  ifcid: 'ifcid',
  dbid: 'dbid',
  table: 'tableName',
  grantor: 'grantor',
  queue: 'queueName',
  qmgr: 'qmgrName',
  channel: 'channelName',
  imsId: 'imsId',
  imsDb: 'dbName',
  imsTran: 'imsTran',
  icsfService: 'icsfService',
};

const FIELDS = fieldLists(LEEF_NAMES);
const DEV_TIME_FORMAT = 'MMM d yyyy H:mm:ss.SSS Z';
/** LEEF 2.0 delimiter declarations and the character each declares. */
const DELIMITERS: readonly (readonly [string, string])[] = [
  ['^', '^'],
  ['x5E', '^'],
  ['x7C', '|'],
];

export function createLeefWriter(systems: readonly string[]): FormatWriter {
  const tf = new TimeFormat();
  const withSyslog = new Set(systems.filter((_, i) => i % 2 === 1));
  return {
    format: 'leef',
    accepts: () => true,
    write(r: SimRecord, rng: Rng): string {
      let head = 'LEEF:1.0|IBM|z/OS|2.5|';
      let d = '\t';
      if (rng.chance(0.15)) {
        const [declared, char] = rng.pick(DELIMITERS);
        head = `LEEF:2.0|IBM|z/OS|2.5|${typeToken(r.kind)}|${declared}|`;
        d = char;
      } else {
        head += `${typeToken(r.kind)}|`;
      }
      let out = `${head}devTime=${tf.zsecure(r.wallMs, r.offsetMin)}${d}devTimeFormat=${DEV_TIME_FORMAT}${d}sysname=${r.system}${d}sysplex=${r.sysplex}`;
      const racf = isRacf(r.kind);
      for (const [f, name, get] of FIELDS[r.kind]) {
        const v = get(r);
        if (v === undefined) continue;
        if (f === 'job' && racf && r.jobId !== undefined && rng.chance(0.3)) {
          out += `${d}job=${fixedJob(r, tf)}`;
        } else if (f === 'terminal' && racf) {
          out += `${d}poe=${v}`;
        } else if (f === 'ip' && rng.chance(0.25)) {
          out += `${d}src=${mapped(String(v), true)}`;
        } else {
          out += `${d}${name}=${v}`;
        }
      }
      if (r.kind === 'racf-access') out += `${d}allow=${r.failed ? 'NONE' : r.access}${d}prof=${profileOf(r.dsn ?? r.resource ?? '')}`;
      if (racf) out += `${d}desc=${r.failed ? 'Violation' : 'Success'}${d}sum=${describe(r)}`;
      if (withSyslog.has(r.system)) return `<${r.failed ? 84 : 86}>${tf.bsd(r.wallMs)} ${r.system} ${out}`;
      return out;
    },
  };
}

/** The generic RACF profile covering a data set: its high-level qualifier with `.**`. */
function profileOf(dsn: string): string {
  const dot = dsn.indexOf('.');
  return `${dot < 0 ? dsn : dsn.slice(0, dot)}.**`;
}

/** RACF's fixed-width job field: 29-character prefix, the jobname padded to 8, then the event word. */
function fixedJob(r: SimRecord, tf: TimeFormat): string {
  const time = tf.timeHundredths(r.wallMs).slice(0, 8);
  const prefix = `${(r.jobId ?? '').padEnd(8)} ${tf.dateOnly(r.wallMs)} ${time} `;
  return `${prefix}${(r.job ?? '').padEnd(8)} ${r.kind === 'racf-logon' ? 'RACINIT' : 'RACHECK'}`;
}
