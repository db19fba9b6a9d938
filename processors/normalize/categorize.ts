// event.category / type / action / outcome, where the record says enough (ECS allowed values only).
//
// Precedence: an explicit outcome field of the source wins over what the RACF qualifier implies,
// which wins over what the record type implies. A derived action wins over the source's own
// action text (derived actions are uniform across vendors); the source's text fills in when
// nothing is derived. Nothing is set when nothing is known: no 'unknown' filler.
//
// An outcome is derived from the record type alone only where the record exists because the thing
// happened: a TN3270 session that was set up or ended (119-20/21), a TSO session that started or
// ended (30-1/30-5 TSU), a data set that was opened and closed, scratched or renamed (14, 15, 17, 18),
// a command the system received (console / OPERLOG: that it was issued; a refusal by OPERCMDS is an
// SMF 80 record with its own outcome). Statistics (42), accounting (30 batch, 110, 116) and audit
// records whose result is not in the record get none.

import type { FieldValue } from './meanings.js';

export interface CategorizeInput {
  type: number | undefined;
  subtype: number | undefined;
  dataset: string;
  racfEvent: number | undefined;
  racfQualifier: number | undefined;
  resourceClass: string | undefined;
  hasDsn: boolean;
  jobId: string | undefined;
  hasConsoleCommand: boolean;
  hasDb2Grant: boolean;
  /** Db2 IFCID of an audit trace record (SMF 102), when the source says. */
  db2Ifcid: number | undefined;
  explicitAction: string | undefined;
  explicitOutcome: FieldValue | undefined;
}

export interface Categorized {
  category?: string[];
  type?: string[];
  action?: string;
  outcome?: 'success' | 'failure';
  /** A successful (or not known to have failed) interactive logon: zos.logon.* is filled. */
  logon: boolean;
}

type Derived = { category?: string[]; type?: string[]; action?: string; outcome?: 'success' | 'failure'; logon?: boolean };

export function categorize(input: CategorizeInput): Categorized {
  const derived = derive(input);
  const outcome = parseOutcome(input.explicitOutcome) ?? derived.outcome;
  const action = derived.action ?? input.explicitAction;
  const out: Categorized = { logon: derived.logon === true && outcome !== 'failure' };
  if (derived.category !== undefined) out.category = derived.category;
  if (derived.type !== undefined) out.type = derived.type;
  if (action !== undefined) out.action = action;
  if (outcome !== undefined) out.outcome = outcome;
  return out;
}

function derive(input: CategorizeInput): Derived {
  if (input.racfEvent !== undefined && (input.type === undefined || input.type === 80 || input.type === 83)) {
    return racf(input, input.racfEvent, input.racfQualifier);
  }
  switch (input.dataset) {
    case 'smf.job':
      return input.type === 30 ? job(input.subtype, input.jobId) : {};
    case 'smf.dataset':
      return dataSet(input.type);
    case 'smf.tcpip':
      return tcpip(input.type, input.subtype);
    case 'smf.cics':
      return { category: ['web'], type: ['access'], action: 'cics-transaction' };
    case 'smf.db2':
      return db2(input);
    case 'smf.mq':
      return input.type === 116 ? { category: ['database'], type: ['access'], action: 'mq-access' } : { category: ['database'], type: ['info'] };
    case 'smf.ims':
      return { category: ['database'], type: ['access'], action: 'ims-access' };
    case 'smf.icsf':
      return { action: 'icsf-service' };
    case 'smf.sessmon':
      return { category: ['session'], type: ['info'], action: 'vtam-session' };
    default:
      return input.hasConsoleCommand ? { category: ['process', 'configuration'], type: ['info'], action: 'console-command', outcome: 'success' } : {};
  }
}

/** Db2 audit trace IFCIDs (SMF 102): what the record reports. 140 is a refused authorization check. */
const DB2_IFCIDS: ReadonlyMap<number, Derived> = new Map<number, Derived>([
  [140, { category: ['database', 'iam'], type: ['access'], action: 'db2-authorization-failure', outcome: 'failure' }],
  [141, { category: ['database', 'iam'], type: ['change'], action: 'db2-authorization-change' }], // GRANT / REVOKE
  [142, { category: ['database', 'configuration'], type: ['change'], action: 'db2-ddl' }], // CREATE / ALTER / DROP of an audited table
  [143, { category: ['database'], type: ['change'], action: 'db2-write' }], // first change of an audited table
  [144, { category: ['database'], type: ['access'], action: 'db2-read' }], // first read of an audited table
  [145, { category: ['database'], type: ['access'], action: 'db2-dml' }], // DML statement on an audited table
  [361, { category: ['database', 'iam'], type: ['admin'], action: 'db2-admin-authority' }], // use of an administrative authority
]);

function db2(input: CategorizeInput): Derived {
  const byIfcid = input.db2Ifcid === undefined ? undefined : DB2_IFCIDS.get(input.db2Ifcid);
  // Fresh arrays per event: documents must not share (and so could not corrupt) the table's.
  if (byIfcid !== undefined) return { ...byIfcid, category: [...(byIfcid.category ?? [])], type: [...(byIfcid.type ?? [])] };
  // Without an IFCID, a grantor or grantee is the sign of a GRANT/REVOKE record.
  if (input.hasDb2Grant && input.db2Ifcid === undefined) return { category: ['database', 'iam'], type: ['change'], action: 'db2-authorization-change' };
  return input.type === 102 ? { category: ['database'], type: ['access'], action: 'db2-audit' } : { category: ['database'], type: ['info'] };
}

/** JES job ids of batch jobs (JOB12345, J0123456); TSO sessions are TSUnnnnn, started tasks STCnnnnn. */
const BATCH_JOB_ID = /^J(?:OB)?\d/;

/** RACF event 1 qualifiers that are not violations: initiation, termination, RACINIT, warnings, PassTicket. */
const RACF_LOGON_OK = new Set([0, 8, 12, 13, 20, 21, 22, 24, 32]);

/** RACF command events 8–25: [command, ECS category, ECS types]. */
const RACF_COMMANDS: ReadonlyMap<number, readonly [string, string, readonly string[]]> = new Map([
  [8, ['addsd', 'iam', ['creation']]],
  [9, ['addgroup', 'iam', ['group', 'creation']]],
  [10, ['adduser', 'iam', ['user', 'creation']]],
  [11, ['altdsd', 'iam', ['change']]],
  [12, ['altgroup', 'iam', ['group', 'change']]],
  [13, ['altuser', 'iam', ['user', 'change']]],
  [14, ['connect', 'iam', ['group', 'change']]],
  [15, ['deldsd', 'iam', ['deletion']]],
  [16, ['delgroup', 'iam', ['group', 'deletion']]],
  [17, ['deluser', 'iam', ['user', 'deletion']]],
  [18, ['password', 'iam', ['user', 'change']]],
  [19, ['permit', 'iam', ['change']]],
  [20, ['ralter', 'iam', ['change']]],
  [21, ['rdefine', 'iam', ['creation']]],
  [22, ['rdelete', 'iam', ['deletion']]],
  [23, ['remove', 'iam', ['group', 'change']]],
  [24, ['setropts', 'configuration', ['change']]],
  [25, ['rvary', 'configuration', ['change']]],
]);

/** RACF events 3–7 (RACDEF): [action, ECS type]. */
const RACF_DEFINES: ReadonlyMap<number, readonly [string, string]> = new Map([
  [3, ['racf-addvol', 'change']],
  [4, ['racf-rename-resource', 'change']],
  [5, ['racf-delete-resource', 'deletion']],
  [6, ['racf-delete-volume', 'change']],
  [7, ['racf-define-resource', 'creation']],
]);

function racf(input: CategorizeInput, event: number, qualifier: number | undefined): Derived {
  const outcome = qualifier === undefined ? undefined : racfOutcome(event, qualifier);
  const isDataSet = input.hasDsn || input.resourceClass === 'DATASET';
  if (event === 1) {
    if (qualifier === 8 || qualifier === 13) return { category: ['authentication'], type: ['end'], action: 'logoff', outcome };
    const batch = input.jobId !== undefined && BATCH_JOB_ID.test(input.jobId);
    return { category: ['authentication'], type: ['start'], action: batch ? 'job-initiation' : 'logon', outcome, logon: !batch };
  }
  if (event === 2) {
    return isDataSet
      ? { category: ['file'], type: ['access'], action: 'dataset-access', outcome }
      : { category: ['iam'], type: ['info'], action: 'resource-access', outcome };
  }
  const define = RACF_DEFINES.get(event);
  if (define !== undefined) return { category: [isDataSet ? 'file' : 'configuration'], type: [define[1]], action: define[0], outcome };
  const command = RACF_COMMANDS.get(event);
  if (command !== undefined) return { category: [command[1]], type: [...command[2]], action: `racf-${command[0]}`, outcome };
  return { outcome };
}

function racfOutcome(event: number, qualifier: number): 'success' | 'failure' {
  if (event === 1) return RACF_LOGON_OK.has(qualifier) ? 'success' : 'failure';
  if (event === 2) return qualifier === 0 || qualifier === 3 ? 'success' : 'failure'; // 3: allowed in WARNING mode
  return qualifier === 0 ? 'success' : 'failure';
}

function job(subtype: number | undefined, jobId: string | undefined): Derived {
  const tso = jobId !== undefined && jobId.startsWith('TSU');
  switch (subtype) {
    case 1:
      return tso
        ? { category: ['process', 'session'], type: ['start'], action: 'tso-logon', outcome: 'success', logon: true }
        : { category: ['process'], type: ['start'], action: 'job-start' };
    case 4:
      return { category: ['process'], type: ['end'], action: 'step-end' };
    case 5:
      return tso
        ? { category: ['process', 'session'], type: ['end'], action: 'tso-logoff', outcome: 'success' }
        : { category: ['process'], type: ['end'], action: 'job-end' };
    case 2:
    case 3:
      return { category: ['process'], type: ['info'], action: 'interval' };
    default:
      return { category: ['process'], type: ['info'] };
  }
}

const DATA_SET_TYPES: ReadonlyMap<number, readonly [string, string]> = new Map([
  [14, ['access', 'dataset-read']],
  [15, ['change', 'dataset-write']],
  [17, ['deletion', 'dataset-scratch']],
  [18, ['change', 'dataset-rename']],
  [42, ['info', 'dataset-activity']],
  [61, ['creation', 'catalog-define']],
  [62, ['access', 'vsam-open']],
  [63, ['creation', 'vsam-define']],
  [64, ['access', 'vsam-close']],
  [65, ['deletion', 'catalog-delete']],
  [66, ['change', 'catalog-alter']],
]);

/** Written only when the data set was opened and closed, scratched or renamed. */
const DATA_SET_DONE = new Set([14, 15, 17, 18]);

function dataSet(type: number | undefined): Derived {
  const entry = type === undefined ? undefined : DATA_SET_TYPES.get(type);
  if (entry === undefined) return { category: ['file'], type: ['info'] };
  const derived: Derived = { category: ['file'], type: [entry[0]], action: entry[1] };
  if (type !== undefined && DATA_SET_DONE.has(type)) derived.outcome = 'success';
  return derived;
}

function tcpip(type: number | undefined, subtype: number | undefined): Derived {
  if (type !== 119) return { category: ['network'], type: ['info'] };
  switch (subtype) {
    case 1:
      return { category: ['network'], type: ['connection', 'start'], action: 'tcp-connection-start' };
    case 2:
      return { category: ['network'], type: ['connection', 'end'], action: 'tcp-connection-end' };
    case 3:
    case 70:
      return { category: ['network', 'file'], type: ['access'], action: 'ftp-transfer' };
    case 11:
    case 12:
      return { category: ['network'], type: ['info'], action: subtype === 11 ? 'zert-connection' : 'zert-summary' };
    case 20:
      return { category: ['network', 'session'], type: ['start'], action: 'tn3270-session-start', outcome: 'success' };
    case 21:
      return { category: ['network', 'session'], type: ['end'], action: 'tn3270-session-end', outcome: 'success' };
    case 22:
      return { category: ['network'], type: ['connection', 'start'], action: 'telnet-client-start' };
    case 23:
      return { category: ['network'], type: ['connection', 'end'], action: 'telnet-client-end' };
    case 72:
      return { category: ['authentication'], type: ['start'], action: 'ftp-logon-failure', outcome: 'failure' };
    default:
      return { category: ['network'], type: ['info'] };
  }
}

const SUCCESS_WORDS = new Set(['success', 'succeeded', 'successful', 'ok', 'allowed', 'allow', 'permitted', 'pass', 'passed', 'granted', 'accepted', 'true', 'yes']);
const FAILURE_WORDS = new Set(['failure', 'failed', 'fail', 'denied', 'deny', 'violation', 'rejected', 'refused', 'error', 'false', 'no']);

/** An explicit outcome: booleans, or words (ArcSight writes "/Success", "/Failure"). Unknown words count as absent. */
export function parseOutcome(value: FieldValue | undefined): 'success' | 'failure' | undefined {
  if (typeof value === 'boolean') return value ? 'success' : 'failure';
  if (typeof value !== 'string') return undefined;
  const word = (value.startsWith('/') ? value.slice(1) : value).toLowerCase();
  if (SUCCESS_WORDS.has(word)) return 'success';
  if (FAILURE_WORDS.has(word)) return 'failure';
  return undefined;
}
