// The one event schema every stage produces and consumes (domain.md §3).
//
// `EventDoc` is exactly what is indexed into Elasticsearch: Elastic Common Schema where a field
// exists, mainframe specifics under `zos.*` and `smf.*`. Everything the pipeline needs but never
// indexes (source position, raw line, acknowledgement bookkeeping) lives in `PipelineEvent`
// (agent/pipeline/event.ts), never in the document.
//
// Rules that keep mappings stable: `host` is always an object; every field here is mapped in
// mappings/ (test/mappings checks it); optional fields are absent, never null or "".

export interface EventDoc {
  '@timestamp': string; // ISO 8601 UTC with milliseconds
  message?: string;
  event: {
    kind: 'event';
    module: 'smf';
    dataset: string; // e.g. "smf.racf", "smf.tcpip", "smf.cics"; derived from the SMF type
    category?: string[];
    type?: string[];
    action?: string;
    outcome?: 'success' | 'failure' | 'unknown';
    code?: string; // the source's event id (LEEF EventID, CEF signature id, zSecure alert number …)
    severity?: number;
    created: string; // when the agent read the line
    original?: string; // only when the input is configured to keep it
  };
  user?: { name?: string; full_name?: string; group?: { name?: string }; target?: { name?: string } };
  source?: { ip?: string; port?: number; address?: string; domain?: string };
  destination?: { ip?: string; port?: number; address?: string }; // address: the raw value when it is not an IP
  process?: { name?: string }; // the z/OS jobname
  host: { name?: string; hostname?: string }; // host.name = the SMF system id (LPAR)
  observer?: { vendor?: string; product?: string; version?: string; hostname?: string };
  log?: {
    syslog?: {
      priority?: number;
      facility?: { code?: number };
      severity?: { code?: number };
      hostname?: string;
      appname?: string;
      msgid?: string;
      procid?: string;
    };
    file?: { path?: string };
    offset?: number;
  };
  smf: {
    type?: number;
    subtype?: number;
    format: string;
    profile: string;
    /** Where @timestamp came from: the record's own time, the syslog header, or the receipt time (no time in the record). */
    time_source?: 'record' | 'envelope' | 'received';
  };
  zos?: ZosFields;
  /** Field paths (dotted, e.g. "user.name") filled by enrichment rather than read from the record. */
  enrichment?: { fields?: string[]; sources?: string[] };
  agent?: { name?: string; type: 'smf-agent'; version: string; id?: string };
  data_stream?: { type: 'logs'; dataset: string; namespace: string };
  labels?: Record<string, string>;
}

/** Mainframe-specific fields. Keyword values are stored as read, trimmed; user ids and job names upper-cased. */
export interface ZosFields {
  job_id?: string;
  sysplex?: string;
  lpar?: string;
  terminal?: string; // terminal id / TN3270 LU name / RACF port of entry
  dsn?: string;
  dsn_member?: string;
  volser?: string; // volume serial of the data set (SMF 14/15 JFCB, SMF 42)
  resource?: string;
  resource_class?: string;
  access?: string; // requested / allowed access (READ, UPDATE, ALTER …)
  /**
   * group: the group a RACF command names (CONNECT, ADDGROUP …); the user's own connect group is user.group.name.
   * profile: the RACF profile that decided an access check (`PAY.**`); allowed_access: the access it granted (NONE on a violation).
   */
  racf?: { event_code?: number; event_qualifier?: number; group?: string; profile?: string; allowed_access?: string };
  program?: string;
  step?: string;
  cics?: { transaction?: string; file?: string; applid?: string };
  /** ssid: the Db2 subsystem; ifcid: the trace record (140 authorization failure, 141 GRANT/REVOKE, 144 first read …). */
  db2?: { ssid?: string; ifcid?: number; auth_id?: string; grantor?: string; grantee?: string; dbid?: string; table?: string };
  mq?: { queue_manager?: string; queue?: string; channel?: string };
  ims?: { id?: string; db_name?: string; transaction?: string };
  vtam?: { applid?: string };
  console?: { command?: string; name?: string };
  icsf?: { service?: string };
  /** Logon time of day in the feed's time zone, "HH:MM" and hour "HH", for the time-logged-in associations. */
  logon?: { time?: string; hour?: string };
}

export const AGENT_VERSION = '0.1.0';
