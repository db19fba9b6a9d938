// RFC 5424 with structured data, as IBM zSecure Alert sends it (domain.md §2):
//   <85>1 2025-03-03T09:04:05.123+01:00 SYSA C2POLICE - C2P0101 [C2P0101 whoUSERID="JSMITH"
//   whatJOBNAME="JSMITH" fromWhereSRCIP="10.1.2.3" fromWhereTERMINAL="TCPA0001" whereSYSTEM="SYSA"] text
// MSGID and SD-ID are the alert number. zSecure Alert numbers are installation-defined; the ones
// below are this simulator's (verify against a real alert configuration). Parameter names follow
// zSecure's who/what/fromWhere/where scheme. Traps reproduced: SD-PARAM escaping of `"`, `\` and `]`
// (console and RACF commands hold quotes); the timestamp carries the local offset.
// PRI: facility authpriv (10); severity 4 for failures, 5 otherwise.

import { TimeFormat } from '../calendar.js';
import type { Rng } from '../random.js';
import { describe, type RecordKind, type SimRecord } from '../records.js';
import { fieldLists, type FormatWriter, type NameMap } from './fields.js';

export const RFC5424_NAMES: NameMap = {
  user: 'whoUSERID',
  group: 'whoGROUP',
  job: 'whatJOBNAME',
  jobId: 'whatJOBID',
  program: 'whatPROGRAM',
  terminal: 'fromWhereTERMINAL',
  ip: 'fromWhereSRCIP',
  port: 'fromWhereSRCPORT',
  host: 'fromWhereHOST',
  localIp: 'whereIP',
  localPort: 'wherePORT',
  applid: 'whereAPPLID',
  racfEvent: 'whatRACFEVENT',
  racfQual: 'whatRACFQUAL',
  resClass: 'whatCLASS',
  resource: 'whatRESOURCE',
  dsn: 'whatDSNAME',
  member: 'whatMEMBER',
  volser: 'whatVOLSER',
  access: 'whatACCESS',
  command: 'whatCOMMAND',
  console: 'fromWhereCONSOLE',
  cicsApplid: 'whereCICSAPPLID',
  tran: 'whatTRANSACTION',
  cicsFile: 'whatCICSFILE',
  db2Ssid: 'whereDB2SSID',
  ifcid: 'whatIFCID',
  dbid: 'whatDB2DBID',
  table: 'whatDB2TABLE',
  grantor: 'whatDB2GRANTOR',
  queue: 'whatMQQUEUE',
  qmgr: 'whereMQQMGR',
  channel: 'fromWhereMQCHANNEL',
  imsId: 'whereIMSID',
  imsDb: 'whatIMSDBNAME',
  imsTran: 'whatIMSTRAN',
  icsfService: 'whatICSFSERVICE',
};

const FIELDS = fieldLists(RFC5424_NAMES);

/** Alert number per kind (simulator's own numbering; a violation gets the next number). */
export const ALERT_NUMBERS: Readonly<Record<RecordKind, number>> = {
  'tn3270-session': 150,
  'racf-logon': 101,
  'racf-access': 110,
  'racf-command': 120,
  'tso-logon': 130,
  'tso-logoff': 131,
  'job-start': 132,
  'job-end': 133,
  'dataset-read': 140,
  'dataset-write': 141,
  'dataset-activity': 142,
  'cics-transaction': 160,
  'db2-audit': 170,
  'mq-access': 180,
  'ims-access': 190,
  'icsf-service': 200,
  'console-command': 210,
  sessmon: 220,
};

export function createRfc5424Writer(): FormatWriter {
  const tf = new TimeFormat();
  return {
    format: 'rfc5424',
    accepts: () => true,
    write(r: SimRecord, _rng: Rng): string {
      const id = `C2P${String(ALERT_NUMBERS[r.kind] + (r.failed ? 1 : 0)).padStart(4, '0')}`;
      let sd = `[${id}`;
      for (const [, name, get] of FIELDS[r.kind]) {
        const v = get(r);
        if (v !== undefined) sd += ` ${name}="${typeof v === 'number' ? v : escapeParam(v)}"`;
      }
      sd += ` whereSYSTEM="${r.system}" whereSYSPLEX="${r.sysplex}"]`;
      return `<${80 + (r.failed ? 4 : 5)}>1 ${tf.isoOffset(r.wallMs, r.offsetMin)} ${r.system} C2POLICE - ${id} ${sd} ${describe(r)}`;
    },
  };
}

const PARAM_SPECIAL = /["\\\]]/;

function escapeParam(v: string): string {
  return PARAM_SPECIAL.test(v) ? v.replace(/["\\\]]/g, (c) => `\\${c}`) : v;
}
