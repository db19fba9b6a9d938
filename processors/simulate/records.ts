// The simulator's format-neutral record: what one SMF record (or IMS log / OPERLOG / SessMon message)
// says, before a writer gives it a wire format. A property that is set is carried by that record type
// in the source; writers map property names to their own field names and write exactly the set
// properties (so a data set close, which carries only a job name, stays that way in every format).
//
// The ground truth (who and where really: user, client IP, terminal of the session behind the record,
// and the incident label) lives beside the record fields and is never written into the text.

export const RECORD_KINDS = [
  'tn3270-session', // SMF 119 subtype 20: TN3270 session init (LU ↔ client IP, TSO job name)
  'racf-logon', // SMF 80 event 1: RACINIT (TSO logon, CICS signon, batch job init)
  'racf-access', // SMF 80 event 2: resource access check (audited data sets, violations)
  'racf-command', // SMF 80 events 8-25: RACF commands (ALTUSER, PERMIT …)
  'tso-logon', // SMF 30 subtype 1 for a TSU job
  'tso-logoff', // SMF 30 subtype 5 for a TSU job
  'job-start', // SMF 30 subtype 1 for a batch job or started task
  'job-end', // SMF 30 subtype 5
  'dataset-read', // SMF 14: input close, job name + DSN only
  'dataset-write', // SMF 15: output close, job name + DSN only
  'dataset-activity', // SMF 42 subtype 6: data set I/O statistics, job name + DSN only
  'cics-transaction', // SMF 110 subtype 1: CICS monitoring
  'db2-audit', // SMF 102: Db2 audit trace (auth id, grantor, DBID)
  'mq-access', // SMF 116 subtype 1: MQ queue accounting
  'ims-access', // IMS log (not SMF)
  'icsf-service', // SMF 82: ICSF service call
  'console-command', // OPERLOG (not SMF)
  'sessmon', // NetView session monitor (not SMF): user ↔ VTAM APPLID
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** SMF type and subtype per kind; undefined type = not an SMF record. */
export const KIND_SMF: Readonly<Record<RecordKind, { type?: number; subtype?: number }>> = {
  'tn3270-session': { type: 119, subtype: 20 },
  'racf-logon': { type: 80 },
  'racf-access': { type: 80 },
  'racf-command': { type: 80 },
  'tso-logon': { type: 30, subtype: 1 },
  'tso-logoff': { type: 30, subtype: 5 },
  'job-start': { type: 30, subtype: 1 },
  'job-end': { type: 30, subtype: 5 },
  'dataset-read': { type: 14 },
  'dataset-write': { type: 15 },
  'dataset-activity': { type: 42, subtype: 6 },
  'cics-transaction': { type: 110, subtype: 1 },
  'db2-audit': { type: 102 },
  'mq-access': { type: 116, subtype: 1 },
  'ims-access': {},
  'icsf-service': { type: 82, subtype: 31 },
  'console-command': {},
  sessmon: {},
};

/**
 * The properties each kind may carry (what that record type holds in the source). Writers only look
 * at these, and a test checks that generators set nothing else.
 */
export const KIND_FIELDS: Readonly<Record<RecordKind, readonly string[]>> = {
  'tn3270-session': ['job', 'terminal', 'ip', 'port', 'host', 'localIp', 'localPort', 'applid'],
  'racf-logon': ['user', 'group', 'job', 'jobId', 'terminal', 'racfEvent', 'racfQual'],
  'racf-access': ['user', 'group', 'job', 'jobId', 'racfEvent', 'racfQual', 'resClass', 'resource', 'dsn', 'member', 'access'],
  'racf-command': ['user', 'group', 'job', 'jobId', 'racfEvent', 'racfQual', 'command'],
  'tso-logon': ['user', 'group', 'job', 'jobId', 'program', 'terminal'],
  'tso-logoff': ['user', 'group', 'job', 'jobId', 'program', 'terminal'],
  'job-start': ['user', 'group', 'job', 'jobId', 'program', 'terminal'],
  'job-end': ['user', 'group', 'job', 'jobId', 'program', 'terminal'],
  'dataset-read': ['job', 'dsn', 'volser'],
  'dataset-write': ['job', 'dsn', 'volser'],
  'dataset-activity': ['job', 'dsn', 'volser'],
  'cics-transaction': ['user', 'job', 'terminal', 'program', 'cicsApplid', 'tran', 'cicsFile'],
  'db2-audit': ['user', 'job', 'db2Ssid', 'ifcid', 'dbid', 'table', 'grantor'],
  'mq-access': ['user', 'job', 'queue', 'qmgr', 'channel'],
  'ims-access': ['user', 'job', 'terminal', 'imsId', 'imsDb', 'imsTran'],
  'icsf-service': ['user', 'job', 'icsfService'],
  'console-command': ['user', 'console', 'command'],
  sessmon: ['user', 'terminal', 'applid'],
};

/** Source names of the non-SMF kinds (syslog tag, LEEF EventID, converter `stream`). */
export const NON_SMF_SOURCE: Readonly<Partial<Record<RecordKind, string>>> = {
  'ims-access': 'IMS',
  'console-command': 'OPERLOG',
  sessmon: 'SESSMON',
};

export interface SimTruth {
  /** The record kind (RECORD_KINDS), `malformed`, or `header` for a CSV header row. */
  kind: string;
  /** The person or service account really behind the record. */
  user?: string;
  /** Client IP of the terminal session the record belongs to (absent for batch and started tasks). */
  ip?: string;
  job?: string;
  /** LU / terminal of that session (a CICS record's own 4-character terminal id when it has one). */
  terminal?: string;
  dsn?: string;
  system?: string;
  /** Label of the injected incident this record belongs to. */
  incident?: string;
}

/** The ground truth a record inherits from its session (day.ts Session satisfies it). */
export interface TruthSource {
  readonly user?: string;
  readonly ip?: string;
  readonly lu?: string;
  readonly incident?: string;
}

/**
 * One record. A class with every property declared keeps all records one hidden class, which
 * matters at millions of records per run. Unset = the source record does not carry it.
 */
export class SimRecord {
  utcMs = 0;
  wallMs = 0;
  offsetMin = 0;
  system = '';
  sysplex = '';

  user: string | undefined = undefined;
  group: string | undefined = undefined;
  job: string | undefined = undefined;
  jobId: string | undefined = undefined;
  program: string | undefined = undefined;
  terminal: string | undefined = undefined;
  ip: string | undefined = undefined;
  port: number | undefined = undefined;
  localIp: string | undefined = undefined;
  localPort: number | undefined = undefined;
  host: string | undefined = undefined; // client workstation name
  applid: string | undefined = undefined; // VTAM application
  dsn: string | undefined = undefined;
  member: string | undefined = undefined;
  volser: string | undefined = undefined;
  resClass: string | undefined = undefined;
  resource: string | undefined = undefined;
  access: string | undefined = undefined;
  racfEvent: number | undefined = undefined;
  racfQual: number | undefined = undefined;
  failed = false;
  command: string | undefined = undefined;
  console: string | undefined = undefined;
  cicsApplid: string | undefined = undefined;
  tran: string | undefined = undefined;
  cicsFile: string | undefined = undefined;
  db2Ssid: string | undefined = undefined;
  ifcid: number | undefined = undefined;
  grantor: string | undefined = undefined;
  dbid: string | undefined = undefined;
  table: string | undefined = undefined;
  queue: string | undefined = undefined;
  qmgr: string | undefined = undefined;
  channel: string | undefined = undefined;
  imsId: string | undefined = undefined;
  imsDb: string | undefined = undefined;
  imsTran: string | undefined = undefined;
  icsfService: string | undefined = undefined;

  /**
   * @param kind what the record is
   * @param session who and where really (the ground truth); shared by all records of a session
   */
  constructor(
    readonly kind: RecordKind,
    readonly session: TruthSource,
  ) {}

  truth(): SimTruth {
    const s = this.session;
    const t: SimTruth = { kind: this.kind };
    const user = s.user ?? this.user;
    if (user !== undefined) t.user = user;
    const ip = s.ip ?? this.ip;
    if (ip !== undefined) t.ip = ip;
    if (this.job !== undefined) t.job = this.job;
    const terminal = this.terminal ?? s.lu;
    if (terminal !== undefined) t.terminal = terminal;
    if (this.dsn !== undefined) t.dsn = this.dsn;
    t.system = this.system;
    if (s.incident !== undefined) t.incident = s.incident;
    return t;
  }
}

/** A short human sentence for the record: RFC 5424 MSG, CEF msg, BMC Desc. */
export function describe(r: SimRecord): string {
  switch (r.kind) {
    case 'tn3270-session':
      return `TN3270 session started: LU ${r.terminal} from ${r.ip} to ${r.applid}`;
    case 'racf-logon':
      return r.failed ? `RACINIT failed for ${r.user}: rc=8` : `RACINIT success for ${r.user} rc=0`;
    case 'racf-access':
      return r.failed ? `Insufficient authority: ${r.access} to ${r.dsn ?? r.resource}` : `Access ${r.access} to ${r.dsn ?? r.resource} allowed`;
    case 'racf-command':
      return `RACF command issued: ${r.command}`;
    case 'tso-logon':
      return `TSO logon ${r.job} ${r.jobId}`;
    case 'tso-logoff':
      return `TSO logoff ${r.job} ${r.jobId}`;
    case 'job-start':
      return `Job ${r.job} ${r.jobId} started`;
    case 'job-end':
      return `Job ${r.job} ${r.jobId} ended`;
    case 'dataset-read':
      return `Data set closed (input): ${r.dsn}`;
    case 'dataset-write':
      return `Data set closed (output): ${r.dsn}`;
    case 'dataset-activity':
      return `Data set I/O statistics: ${r.dsn}`;
    case 'cics-transaction':
      return `CICS transaction ${r.tran} ended`;
    case 'db2-audit':
      return `Db2 audit: ${r.user} read DBID ${r.dbid}`;
    case 'mq-access':
      return `MQ queue ${r.queue} opened`;
    case 'ims-access':
      return `IMS transaction ${r.imsTran} accessed ${r.imsDb}`;
    case 'icsf-service':
      return `ICSF service ${r.icsfService} called`;
    case 'console-command':
      return `Command issued: ${r.command}`;
    case 'sessmon':
      return `Session ${r.terminal} bound to ${r.applid}`;
  }
}
