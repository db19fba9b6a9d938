// What a person does inside a session, one activity at a time, as the records each activity leaves.
// Contract of every function here: add the records to the builder and return how many were added,
// so callers can spend a line budget.
//
// Data set activity is the case the agent's enrichment exists for: SMF 14/15/42 carry only the job
// name and the DSN. RACF writes an SMF 80 record with the user only for audited data sets (PII and
// sensitive ones) and for violations.

import type { DayBuilder, Session } from './day.js';
import {
  CONSOLE_COMMANDS, ICSF_SERVICES, IMS_DBS, IMS_TRANS, RACF_COMMANDS, type DataSet, type Role,
} from './names.js';
import type { Person } from './population.js';
import type { Rng } from './random.js';

export type Activity = 'read' | 'write' | 'stats' | 'db2' | 'mq' | 'cics' | 'ims' | 'icsf' | 'console' | 'racfcmd' | 'batch';

/** Activity mix per role (weights). */
const MIX: Readonly<Record<Role, readonly (readonly [Activity, number])[]>> = {
  developer: [['read', 40], ['write', 18], ['stats', 7], ['db2', 12], ['mq', 3], ['batch', 20]],
  analyst: [['read', 30], ['write', 8], ['stats', 4], ['db2', 38], ['mq', 12], ['icsf', 3], ['batch', 5]],
  clerk: [['cics', 85], ['ims', 10], ['db2', 5]],
  operator: [['console', 45], ['read', 30], ['write', 5], ['stats', 5], ['batch', 15]],
  sysprog: [['read', 40], ['write', 12], ['stats', 8], ['console', 15], ['batch', 15], ['icsf', 2], ['db2', 3]],
  secadmin: [['racfcmd', 35], ['read', 30], ['write', 5], ['icsf', 10], ['console', 5], ['db2', 5], ['batch', 10]],
};

export function pickActivity(rng: Rng, role: Role): Activity {
  const mix = MIX[role];
  let u = rng.next() * 100;
  for (const [activity, weight] of mix) {
    u -= weight;
    if (u < 0) return activity;
  }
  return (mix[0] as readonly [Activity, number])[0];
}

/** Today's data sets: a Zipf-weighted draw of about `dsPerDay` from the person's habits. */
export function todaysDatasets(rng: Rng, p: Person): DataSet[] {
  const k = Math.max(1, Math.min(p.datasets.length, Math.round(p.dsPerDay * rng.lognormal(0, 0.3))));
  return rng.sample(p.datasets, k);
}

/** One activity of `p` at `t` in session `s`. */
export function activity(b: DayBuilder, p: Person, s: Session, t: number, what: Activity, ws: readonly DataSet[]): number {
  const rng = b.rng;
  switch (what) {
    case 'read':
    case 'write':
    case 'stats':
      return ws.length === 0 ? 0 : dataSetAccess(b, p, s, t, what, rng.pick(ws));
    case 'batch':
      return p.batchJobs.length === 0 ? 0 : batchJob(b, p, s, t, ws);
    case 'db2': {
      const r = b.add('db2-audit', t, s);
      r.user = p.id;
      r.job = s.job;
      r.db2Ssid = s.system.db2Ssid;
      r.ifcid = 144;
      r.dbid = rng.pick(p.dbids);
      r.table = rng.pick(p.tables);
      r.grantor = p.grantor;
      return 1;
    }
    case 'mq': {
      const r = b.add('mq-access', t, s);
      r.user = p.id;
      r.job = s.job;
      r.queue = rng.pick(p.queues);
      r.qmgr = s.system.qmgr;
      return 1;
    }
    case 'cics': {
      const r = b.add('cics-transaction', t, s);
      r.user = p.id;
      r.job = s.job;
      r.terminal = p.termid;
      r.cicsApplid = s.system.cicsRegion;
      r.tran = rng.pick(p.trans);
      r.program = `${r.tran}P001`;
      if (rng.chance(0.7)) r.cicsFile = rng.pick(p.files);
      return 1;
    }
    case 'ims': {
      if (!p.ims) return activity(b, p, s, t, 'cics', ws);
      const r = b.add('ims-access', t, s);
      r.user = p.id;
      r.job = `${s.system.imsId}MPP1`;
      r.terminal = s.lu;
      r.imsId = s.system.imsId;
      r.imsDb = IMS_DBS[p.index % IMS_DBS.length];
      r.imsTran = rng.pick(IMS_TRANS);
      return 1;
    }
    case 'icsf': {
      const r = b.add('icsf-service', t, s);
      r.user = p.id;
      r.job = s.job;
      r.icsfService = rng.pick(ICSF_SERVICES);
      return 1;
    }
    case 'console': {
      const r = b.add('console-command', t, s);
      r.user = p.id;
      r.console = p.id;
      r.command = fillCommand(rng, rng.pick(CONSOLE_COMMANDS), p, s, rng.pick(b.world.people).id);
      return 1;
    }
    case 'racfcmd': {
      const [event, template] = rng.pick(RACF_COMMANDS);
      const r = b.add('racf-command', t, s);
      r.user = p.id;
      r.group = p.group;
      r.job = s.job;
      r.jobId = s.jobId;
      r.racfEvent = event;
      r.racfQual = 0;
      r.command = fillCommand(rng, template, p, s, rng.pick(b.world.people).id);
      return 1;
    }
  }
}

/** A data set touched by a job: an audited one first gets its RACF record (with the user), then the close record (job only). */
export function dataSetAccess(
  b: DayBuilder,
  p: { readonly id: string; readonly group: string },
  s: Session,
  t: number,
  what: 'read' | 'write' | 'stats',
  d: DataSet,
): number {
  const rng = b.rng;
  let lines = 0;
  if (d.audited) {
    const r = b.add('racf-access', t, s);
    r.user = p.id;
    r.group = p.group;
    r.job = s.job;
    r.jobId = s.jobId;
    r.dsn = d.name;
    r.resClass = 'DATASET';
    r.access = what === 'write' ? 'UPDATE' : 'READ';
    r.racfEvent = 2;
    r.racfQual = 0;
    if (d.members !== undefined) r.member = rng.pick(d.members);
    lines++;
  }
  const r = b.add(what === 'read' ? 'dataset-read' : what === 'write' ? 'dataset-write' : 'dataset-activity', t + rng.range(20, 900), s);
  r.job = s.job;
  r.dsn = d.name;
  r.volser = volserOf(d.name);
  return lines + 1;
}

/** A RACF violation: the user was refused `access` to a data set (no close record follows). */
export function violation(b: DayBuilder, p: Person, s: Session, t: number, dsn: string, access: string): number {
  const r = b.add('racf-access', t, s);
  r.user = p.id;
  r.group = p.group;
  r.job = s.job;
  r.jobId = s.jobId;
  r.dsn = dsn;
  r.resClass = 'DATASET';
  r.access = access;
  r.racfEvent = 2;
  r.racfQual = 1;
  r.failed = true;
  return 1;
}

/** A batch job submitted from a TSO session: job start, optional RACF job init, data set closes, job end. */
function batchJob(b: DayBuilder, p: Person, from: Session, t: number, ws: readonly DataSet[]): number {
  const rng = b.rng;
  const name = rng.pick(p.batchJobs);
  const jobId = b.jobId(p.system, 'JOB');
  const s: Session = { user: p.id, system: p.system, job: name, jobId, ...(from.incident === undefined ? {} : { incident: from.incident }) };
  const start = t + rng.range(5_000, 60_000);
  let lines = 2;
  let r = b.add('job-start', start, s);
  r.job = name;
  r.jobId = jobId;
  r.user = p.id;
  r.group = p.group;
  const program = rng.pick(['IEBGENER', 'SORT', 'IKJEFT01', 'IGYCRCTL', 'IEWL', 'IDCAMS']);
  r.program = program;
  if (rng.chance(0.3)) {
    r = b.add('racf-logon', start - 200, s);
    r.user = p.id;
    r.group = p.group;
    r.job = name;
    r.jobId = jobId;
    r.racfEvent = 1;
    r.racfQual = 0;
    lines++;
  }
  const runtime = rng.range(30_000, 600_000);
  const k = ws.length === 0 ? 0 : 1 + rng.poisson(1.5);
  for (let i = 0; i < k; i++) {
    lines += dataSetAccess(b, p, s, start + ((i + 1) * runtime) / (k + 1), rng.chance(0.6) ? 'read' : 'write', rng.pick(ws));
  }
  r = b.add('job-end', start + runtime, s);
  r.job = name;
  r.jobId = jobId;
  r.user = p.id;
  r.program = program;
  return lines;
}

/** Fills a command template; `{user}` is the command's target, another user of the installation. */
export function fillCommand(rng: Rng, template: string, p: Person, s: Session, target: string): string {
  return template
    .replace('{job}', p.batchJobs[0] ?? p.id)
    .replace('{user}', target)
    .replace('{group}', p.group)
    .replace('{region}', s.system.cicsRegion)
    .replace('{dsn}', `${p.group}.**`)
    .replace('{n}', String(rng.range(1000, 99999)));
}

/** A stable volume serial per data set name. */
export function volserOf(dsn: string): string {
  let h = 0;
  for (let i = 0; i < dsn.length; i++) h = (Math.imul(h, 31) + dsn.charCodeAt(i)) | 0;
  const n = (h >>> 0) % 400;
  return `${dsn.startsWith('SYS') ? 'SYS' : dsn.startsWith('PROD') ? 'PRD' : 'USR'}${String(n).padStart(3, '0')}`;
}
