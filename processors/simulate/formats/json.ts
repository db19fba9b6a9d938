// Flat snake_case JSON, as home-grown SMF converters write it (domain.md §2):
//   {"timestamp":"2025-03-03T08:04:05.123Z","smf_type":80,"smf_system_id":"SYSA","sysplex_name":"PLEX1",
//    "job_name":"JSMITH","job_id":"TSU01234","user_id":"JSMITH","terminal":"TCPA0001",…}
// `timestamp` is UTC ISO 8601. Non-SMF records carry `stream` (`OPERLOG`, `IMS`, `SESSMON`) instead
// of `smf_type`. Trap reproduced: on about 30 % of lines every number is written as a string
// (`"smf_type":"80"`, `"remote_port":"51234"`).

import { TimeFormat } from '../calendar.js';
import type { Rng } from '../random.js';
import { KIND_SMF, NON_SMF_SOURCE, type SimRecord } from '../records.js';
import { fieldLists, jsonString, type FormatWriter, type NameMap } from './fields.js';

export const JSON_NAMES: NameMap = {
  user: 'user_id',
  group: 'group',
  job: 'job_name',
  jobId: 'job_id',
  program: 'program',
  terminal: 'terminal',
  ip: 'remote_ip',
  port: 'remote_port',
  host: 'remote_host',
  localIp: 'local_ip',
  localPort: 'local_port',
  applid: 'vtam_applid',
  racfEvent: 'racf_event_code',
  racfQual: 'racf_event_qualifier',
  resClass: 'resource_class',
  resource: 'resource',
  dsn: 'dsn',
  member: 'member',
  volser: 'volser',
  access: 'access',
  command: 'console_command',
  console: 'console_name',
  cicsApplid: 'cics_applid',
  tran: 'cics_transaction',
  cicsFile: 'cics_file',
  db2Ssid: 'db2_ssid',
  ifcid: 'db2_ifcid',
  dbid: 'db2_dbid',
  table: 'db2_table',
  grantor: 'db2_grantor',
  queue: 'mq_queue',
  qmgr: 'mq_qmgr',
  channel: 'mq_channel',
  imsId: 'ims_id',
  imsDb: 'ims_db_name',
  imsTran: 'ims_transaction',
  icsfService: 'icsf_service',
};

const FIELDS = fieldLists(JSON_NAMES);

export function createJsonWriter(): FormatWriter {
  const tf = new TimeFormat();
  return {
    format: 'json',
    accepts: () => true,
    write(r: SimRecord, rng: Rng): string {
      // Built by hand (keys are fixed identifiers, values mostly plain ASCII): JSON.stringify of a
      // fresh object per line was the slowest step of the whole simulator.
      const q = rng.chance(0.3) ? '"' : '';
      const { type, subtype } = KIND_SMF[r.kind];
      let out = `{"timestamp":"${tf.isoUtc(r.utcMs)}"`;
      out += type === undefined ? `,"stream":"${NON_SMF_SOURCE[r.kind]}"` : `,"smf_type":${q}${type}${q}`;
      if (subtype !== undefined) out += `,"smf_subtype":${q}${subtype}${q}`;
      out += `,"smf_system_id":"${r.system}","sysplex_name":"${r.sysplex}"`;
      for (const [, name, get] of FIELDS[r.kind]) {
        const v = get(r);
        if (v !== undefined) out += typeof v === 'number' ? `,"${name}":${q}${v}${q}` : `,"${name}":${jsonString(v)}`;
      }
      if (r.kind === 'racf-access' || r.kind === 'racf-logon' || r.kind === 'racf-command') out += `,"outcome":"${r.failed ? 'failure' : 'success'}"`;
      return `${out}}`;
    },
  };
}
