// Per-profile alias maps: meaning → source field names, best first (domain.md §3).
//
// Matching is case-insensitive (resolve.ts indexes lowercase names once per normalizer). A name
// may also match the last segment of a flattened JSON key, so `smf30jbn` finds EasySMF's
// `identificationSection.smf30jbn`; a name given with its section (`performanceSection.userid`)
// matches only that key. Names not confirmed from a vendor document are the obvious
// spelling for that product; users extend or override any meaning through `aliases` in the
// configuration (merged in front of the profile's list, so a user's name wins).

import type { Meaning } from './meanings.js';

export const CONCRETE_PROFILES = ['zsecure', 'bmc', 'easysmf', 'cdp', 'generic'] as const;
export type ConcreteProfile = (typeof CONCRETE_PROFILES)[number];
export type ProfileName = ConcreteProfile | 'auto';
export const PROFILE_NAMES: readonly ProfileName[] = ['auto', ...CONCRETE_PROFILES];

export type AliasMap = Partial<Record<Meaning, readonly string[]>>;

/**
 * A value read from fixed columns instead of whole. zSecure's RACF `job=` can carry a fixed-width
 * record image; the jobname is the `length` characters after a `start`-character prefix. A value
 * not longer than `start` is taken whole when it fits in `length` (an ordinary jobname), else ignored.
 * Columns count on the value as the parser delivered it, so the parser must not strip leading blanks.
 */
export interface FixedColumnRule {
  field: string;
  meaning: Meaning;
  start: number;
  length: number;
}

const ZSECURE_JOB_COLUMNS: FixedColumnRule = { field: 'job', meaning: 'job_name', start: 29, length: 8 };

/** IBM SMF field names (EasySMF writes them lowercase inside sections, CDP as CSV column headers). */
const SMF_FIELD_NAMES: AliasMap = {
  // Not smf119ti_userid: that is the TCP/IP stack's or server's user, not the person behind the connection.
  // qwhcaid: the primary authorization id of Db2 (SMF 100-102) and MQ (SMF 116) records.
  user: ['smf30rud', 'smf80usr', 'smf83usr', 'smf82usr', 'qwhcaid'],
  user_full_name: ['smf30usr'],
  group: ['smf30grp', 'smf80grp'],
  // smfmnjbn: the CICS region (SMF 110 product section); qwhccv: the Db2/MQ correlation id, the jobname for batch and TSO.
  job_name: ['smf30jbn', 'smf80jbn', 'smf14jbn', 'smf15jbn', 'smf17jbn', 'smf18jbn', 'smf42jbn', 'smf82jbn', 'smf119ti_asname', 'smfmnjbn', 'qwhccv'],
  job_id: ['smf30jnm'],
  program: ['smf30pgm'],
  step: ['smf30stm'],
  system: ['smf30sid', 'smf80sid', 'smf14sid', 'smf15sid', 'smf119ti_sysname', 'smfsid'],
  sysplex: ['smf30syp', 'smf119ti_sysplexname'],
  terminal: ['smf30tid', 'smf30tsn', 'smf80trm', 'smf119tn_nilu', 'smf119tn_ntlu'],
  dsn: ['jfcbdsnm', 'smf14dsn', 'smf15dsn', 'smf17dsn', 'smf18ods', 'smf42dsn'],
  volser: ['jfcbvols', 'smf42vol'],
  source_ip: ['smf119tn_nirip', 'smf119tn_ntrip', 'smf119ap_tirip', 'smf119ap_ttrip'],
  source_port: ['smf119tn_nirport', 'smf119tn_ntrport', 'smf119ap_tirport', 'smf119ap_ttrport'],
  destination_ip: ['smf119tn_nilip', 'smf119tn_ntlip', 'smf119ap_tilip', 'smf119ap_ttlip'],
  destination_port: ['smf119tn_nilport', 'smf119tn_ntlport', 'smf119ap_tilport', 'smf119ap_ttlport'],
  vtam_applid: ['smf119tn_niappl', 'smf119tn_ntappl'],
  racf_event_code: ['smf80evt'],
  racf_event_qualifier: ['smf80evq'],
  cics_applid: ['smfmnprn'],
  // qwhsssid is the subsystem id in the common Db2/MQ header: the Db2 subsystem in SMF 100-102, the
  // queue manager in SMF 115/116. Both meanings; fields.ts keeps the one that fits the record's dataset.
  db2_ssid: ['qwhsssid'],
  mq_qmgr: ['qwhsssid'],
  mq_queue: ['wqobjnam'],
  mq_channel: ['qwhcchnm'],
  icsf_service: ['smf82svc'],
};

// IBM zSecure: LEEF attributes (QRadar's predefined keys plus zSecure's own) and zSecure Alert SD-PARAMs.
// LEEF: `appl`, `cmd`, `dsn`, `intent`, `poe`, `job` … as IBM's QRadar RACF property pack names them;
// CICS/Db2/MQ/IMS/ICSF in camelCase. zSecure Alert: who*/what*/fromWhere*/where* + the IBM field's name.
const ZSECURE: AliasMap = {
  user: ['usrName', 'userid', 'whoUSERID'],
  user_full_name: ['userName', 'whoNAME'],
  group: ['group', 'whoGROUP'],
  job_name: ['jobname', 'jobnm', 'whatJOBNAME', 'job'],
  job_id: ['jobid', 'whatJOBID'],
  program: ['program', 'whatPROGRAM'],
  step: ['stepname', 'step'],
  source_ip: ['src', 'fromWhereSRCIP'],
  source_port: ['srcPort', 'fromWhereSRCPORT'],
  source_host: ['fromWhereHOST'],
  destination_ip: ['dst', 'whereIP'],
  destination_port: ['dstPort', 'wherePORT'],
  system: ['sysname', 'sid', 'whereSYSTEM', 'system'],
  sysplex: ['sysplex', 'whereSYSPLEX'],
  terminal: ['terminal', 'poe', 'fromWhereTERMINAL'],
  dsn: ['dsn', 'whatDSNAME'],
  dsn_member: ['member', 'whatMEMBER'],
  volser: ['volser', 'whatVOLSER'],
  resource: ['resource', 'res', 'whatRESOURCE'],
  resource_class: ['class', 'whatCLASS'],
  access: ['intent', 'access', 'allowed', 'whatACCESS'],
  racf_event_code: ['racfEventCode', 'evtCode', 'whatRACFEVENT'],
  racf_event_qualifier: ['racfEventQual', 'evtQual', 'whatRACFQUAL'],
  cics_applid: ['cicsApplid', 'whereCICSAPPLID'],
  cics_transaction: ['tranId', 'whatTRANSACTION'],
  cics_file: ['cicsFile', 'whatCICSFILE'],
  db2_ssid: ['db2Ssid', 'whereDB2SSID'],
  db2_ifcid: ['ifcid', 'whatIFCID'],
  db2_dbid: ['dbid', 'whatDB2DBID'],
  db2_table: ['tableName', 'whatDB2TABLE'],
  db2_grantor: ['grantor', 'whatDB2GRANTOR'],
  mq_qmgr: ['qmgrName', 'whereMQQMGR'],
  mq_queue: ['queueName', 'whatMQQUEUE'],
  mq_channel: ['channelName', 'fromWhereMQCHANNEL'],
  ims_id: ['imsId', 'whereIMSID'],
  ims_db_name: ['dbName', 'whatIMSDBNAME'],
  ims_transaction: ['imsTran', 'whatIMSTRAN'],
  vtam_applid: ['applid', 'appl', 'whatAPPLID', 'whereAPPLID'],
  console_command: ['command', 'cmd', 'whatCOMMAND'],
  console_name: ['console', 'fromWhereCONSOLE'],
  icsf_service: ['icsfService', 'whatICSFSERVICE'],
  severity: ['sev'],
  message: ['msg', 'descr', 'evtDesc'],
  timestamp: ['devTime'],
};

/**
 * zSecure LEEF names too short or common to mean this outside a zSecure record, so not in generic:
 * `prof` (the RACF profile that decided the check), `allow` (the access it allowed), `sum` (the
 * one-line summary), `desc` (Success / Violation / Warning: read as an outcome only when it is one
 * of parseOutcome's words).
 */
const ZSECURE_ONLY: AliasMap = {
  racf_profile: ['prof'],
  allowed_access: ['allow'],
  outcome: ['desc'],
  message: ['sum'],
};

// BMC AMI Datastream / Defender: RFC 3164 tagged fields (`Tag: value`, tags may contain spaces) and CEF keys.
const BMC: AliasMap = {
  user: ['UserProfile', 'suser', 'Userid', 'User', 'User ID'],
  target_user: ['duser', 'TargetUser'],
  group: ['Group', 'GroupName'],
  job_name: ['Jobname', 'ASRENAME', 'sproc'],
  job_id: ['ASREJBID', 'JobId'],
  program: ['Program', 'ProgramName'],
  step: ['Stepname'],
  source_ip: ['RemtIP', 'src', 'RemoteAddress', 'RemoteIP', 'Remote IP address', 'Remote IP'],
  source_port: ['RemtPort', 'spt', 'RemotePort', 'Remote Port'],
  source_host: ['shost'],
  destination_ip: ['LoclIP', 'dst', 'LocalIP', 'LocalAddress', 'Local IP address', 'Local IP'],
  destination_port: ['LoclPort', 'dpt', 'LocalPort', 'Local Port'],
  system: ['SYSNAME', 'SystemName', 'System', 'SMFID'],
  sysplex: ['PLEXNAME', 'Sysplex'],
  terminal: ['TermNm', 'Terminal', 'Terminal ID', 'LUName', 'LU Name', 'POE'],
  observer_hostname: ['dvchost'],
  dsn: ['RCDNAME', 'DSN', 'DatasetName', 'fname', 'filePath'],
  dsn_member: ['Member'],
  volser: ['Volser'],
  resource: ['Resource', 'ResourceName', 'old_resource'],
  resource_class: ['Class', 'ResourceClass'],
  access: ['Access', 'Intent'],
  racf_event_code: ['RacfEvent'],
  racf_event_qualifier: ['RacfQual'],
  cics_transaction: ['TranId', 'Transaction'],
  cics_file: ['CICSFile', 'FileName'],
  cics_applid: ['CICSApplid'],
  db2_ssid: ['DB2SSID'],
  db2_ifcid: ['IFCID'],
  db2_auth_id: ['AuthID'],
  db2_grantor: ['Grantor'],
  db2_grantee: ['Grantee'],
  db2_dbid: ['DBID'],
  db2_table: ['TableName'],
  mq_qmgr: ['QMgrName'],
  mq_queue: ['QueueName', 'Queue'],
  mq_channel: ['ChannelName', 'Channel'],
  ims_id: ['IMSID'],
  ims_db_name: ['DBName'],
  ims_transaction: ['IMSTran'],
  vtam_applid: ['ApplID', 'APPLID'],
  console_command: ['Command', 'CommandText'],
  console_name: ['Console', 'ConsoleName'],
  icsf_service: ['ICSFService'],
  smf_subtype: ['SubType'],
  action: ['act', 'Action'],
  outcome: ['outcome', 'Result'],
  message: ['msg', 'Message', 'Desc'],
  // CEF `end`/`start` are left out: in generic (the union) those names are too common to mean a time.
  timestamp: ['rt'],
};

// EasySMF sections: names that are only unambiguous with their section (`userid`, `tran`,
// `grantor` …) are given in full, which matches the flattened key exactly.
const EASYSMF: AliasMap = mergeAliases({ system: ['system'] }, SMF_FIELD_NAMES, {
  user: ['performanceSection.userid'],
  terminal: ['performanceSection.term'],
  program: ['performanceSection.pgmname'],
  resource: ['relocateSection.resourceName'],
  resource_class: ['relocateSection.className'],
  dsn_member: ['relocateSection.memberName'],
  access: ['relocateSection.accessIntent'],
  console_command: ['relocateSection.commandText'],
  cics_transaction: ['performanceSection.tran'],
  cics_file: ['fileSection.filename'],
  db2_ifcid: ['auditSection.ifcid'],
  db2_dbid: ['auditSection.dbid'],
  db2_table: ['auditSection.tablename'],
  db2_grantor: ['auditSection.grantor'],
  smf_type: ['recordType'],
  smf_subtype: ['subType'],
  timestamp: ['smfDateTime'],
});

// CDP columns: IBM field names, `SMF80_*` for the RACF relocate data, plain names for SMF 102/116.
const CDP: AliasMap = mergeAliases(
  {
    system: ['SMFID', 'SYSTEM'],
    sysplex: ['SYSPLEX'],
  },
  SMF_FIELD_NAMES,
  {
    resource: ['SMF80_RESOURCE'],
    resource_class: ['SMF80_CLASS'],
    dsn_member: ['SMF80_MEMBER'],
    access: ['SMF80_INTENT'],
    console_command: ['SMF80_COMMAND'],
    db2_ifcid: ['IFCID'],
    db2_dbid: ['DBID'],
    db2_table: ['TABLE_NAME'],
    db2_grantor: ['GRANTOR'],
    mq_queue: ['QUEUE_NAME'],
    mq_channel: ['CHANNEL_NAME'],
    smf_type: ['SMFRTY', 'RECORD_TYPE'],
    smf_subtype: ['SMFSTY', 'SUBTYPE'],
    stream: ['DATASTREAM', 'STREAM', 'sourcetype'],
    timestamp: ['DATETIME', 'TIMESTAMP'],
    date: ['SMFDTE', 'SMF30DTE', 'SMF80DTE', 'SMF14DTE', 'SMF15DTE', 'SMF119DTE', 'DATE'],
    time: ['SMFTME', 'SMF30TME', 'SMF80TME', 'SMF14TME', 'SMF15TME', 'SMF119TME', 'TIME'],
  },
);

/**
 * CDP's SMF 110 (CICS monitoring) columns: CMF field names that are ordinary words elsewhere
 * (`TERM`, `TRAN`, `PGMNAME`), so only in cdp, not in generic. A CDP stream is always detected as
 * cdp. (`USERID` and `FILENAME` reach generic anyway, as converters' `userid` and BMC's `FileName`.)
 */
const CDP_ONLY: AliasMap = {
  user: ['USERID'],
  terminal: ['TERM'],
  program: ['PGMNAME'],
  cics_transaction: ['TRAN'],
  cics_file: ['FILENAME'],
};

/** Converters and ECS-shaped JSON: snake_case names and ECS paths. Generic is this plus every other profile. */
const CONVERTERS: AliasMap = {
  user: ['user_id', 'userid', 'racf_user', 'user', 'user.name', 'username'],
  user_full_name: ['user_full_name', 'user.full_name', 'programmer_name'],
  target_user: ['target_user', 'user.target.name'],
  group: ['group', 'group_name', 'racf_group', 'user.group.name'],
  racf_group: ['target_group', 'racf_target_group'],
  job_name: ['job_name', 'jobname', 'process.name'],
  job_id: ['job_id', 'jobid', 'jes_job_id'],
  program: ['program', 'program_name'],
  step: ['step_name', 'step'],
  source_ip: ['remote_ip', 'source_ip', 'src_ip', 'client_ip', 'source.ip'],
  source_port: ['remote_port', 'source_port', 'src_port', 'client_port', 'source.port'],
  source_host: ['remote_host', 'source_host', 'source.domain'],
  destination_ip: ['local_ip', 'destination_ip', 'dst_ip', 'destination.ip'],
  destination_port: ['local_port', 'destination_port', 'dst_port', 'destination.port'],
  system: ['smf_system_id', 'system_id', 'sysname', 'system', 'host.name', 'hostname', 'host'],
  lpar: ['lpar', 'lpar_name', 'lparname'],
  sysplex: ['sysplex', 'sysplex_name', 'plexname'],
  terminal: ['terminal', 'terminal_id', 'lu_name', 'luname', 'port_of_entry'],
  dsn: ['dsn', 'dataset', 'dataset_name', 'data_set_name'],
  dsn_member: ['member', 'dsn_member', 'member_name'],
  volser: ['volser', 'volume_serial'],
  resource: ['resource', 'resource_name', 'old_resource'],
  resource_class: ['resource_class', 'class'],
  access: ['access', 'access_intent', 'requested_access'],
  racf_event_code: ['racf_event_code', 'racf_event'],
  racf_event_qualifier: ['racf_event_qualifier', 'racf_qualifier'],
  racf_profile: ['racf_profile'],
  allowed_access: ['allowed_access'],
  cics_transaction: ['cics_transaction', 'transaction_id', 'tran_id'],
  cics_file: ['cics_file', 'cics_file_name'],
  cics_applid: ['cics_applid'],
  db2_ssid: ['db2_ssid', 'db2_subsystem'],
  db2_ifcid: ['db2_ifcid', 'ifcid'],
  db2_auth_id: ['db2_auth_id', 'auth_id', 'authid'],
  db2_grantor: ['db2_grantor', 'grantor'],
  db2_grantee: ['db2_grantee', 'grantee'],
  db2_dbid: ['db2_dbid', 'dbid'],
  db2_table: ['db2_table', 'table_name'],
  mq_qmgr: ['mq_qmgr', 'queue_manager', 'qmgr'],
  mq_queue: ['mq_queue', 'queue_name', 'queue'],
  mq_channel: ['mq_channel', 'channel_name', 'channel'],
  ims_id: ['ims_id', 'imsid'],
  ims_db_name: ['ims_db_name', 'db_name', 'dbname'],
  ims_transaction: ['ims_transaction', 'ims_tran'],
  vtam_applid: ['vtam_applid', 'applid', 'appl_id'],
  console_command: ['console_command', 'command', 'command_text'],
  console_name: ['console_name', 'console', 'console_id'],
  icsf_service: ['icsf_service'],
  smf_type: ['smf_type', 'smf_record_type', 'record_type', 'recordType'],
  smf_subtype: ['smf_subtype', 'smf_record_subtype', 'subtype', 'subType'],
  stream: ['stream', 'stream_name', 'sourcetype'],
  event_code: ['event_code', 'event_id', 'event.code'],
  action: ['action', 'event_action', 'event.action'],
  outcome: ['outcome', 'result', 'event.outcome'],
  severity: ['severity', 'event.severity'],
  message: ['message', 'msg'],
  timestamp: ['@timestamp', 'timestamp', 'datetime', 'date_time', 'event_time', 'smf_datetime'],
  date: ['date', 'smf_date'],
  time: ['time', 'smf_time'],
};


/** Concatenate alias maps per meaning, earlier maps first; duplicate names (case-insensitive) keep their first place. */
export function mergeAliases(...maps: readonly AliasMap[]): AliasMap {
  const out: Partial<Record<Meaning, string[]>> = {};
  const seen = new Map<Meaning, Set<string>>();
  for (const map of maps) {
    for (const [meaning, names] of Object.entries(map) as [Meaning, readonly string[]][]) {
      const list = (out[meaning] ??= []);
      let known = seen.get(meaning);
      if (known === undefined) seen.set(meaning, (known = new Set()));
      for (const name of names) {
        const key = name.toLowerCase();
        if (known.has(key)) continue;
        known.add(key);
        list.push(name);
      }
    }
  }
  return out;
}

/**
 * The built-in alias map of a profile. Generic is the union, converter names first, without the
 * profile-only names (ZSECURE_ONLY, CDP_ONLY). Called when a normalizer is created, never per event.
 */
export function builtinAliases(profile: ConcreteProfile): AliasMap {
  switch (profile) {
    case 'generic':
      return mergeAliases(CONVERTERS, ZSECURE, BMC, EASYSMF, CDP);
    case 'zsecure':
      return mergeAliases(ZSECURE, ZSECURE_ONLY);
    case 'bmc':
      return BMC;
    case 'easysmf':
      return EASYSMF;
    case 'cdp':
      return mergeAliases(CDP, CDP_ONLY);
  }
}

/** Fixed-column rules of a profile: zSecure's, and generic's as the union (harmless elsewhere: no jobname is 30 characters). */
export function builtinFixedColumns(profile: ConcreteProfile): readonly FixedColumnRule[] {
  return profile === 'zsecure' || profile === 'generic' ? [ZSECURE_JOB_COLUMNS] : [];
}
