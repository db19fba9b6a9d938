// Service accounts: the few ids that write most of an installation's records.
// - BATCHPRD runs the production batch schedule (mostly 18:00–06:00): job start/end (SMF 30), RACF job
//   init, and many data set closes that carry only the job name.
// - DB2PROD: distributed Db2 work (SMF 102 audit records) under the DDF address space, day-heavy.
// - CICSPRD: each system's CICS region restarts at 05:00 (SMF 30 start, its files opened) and runs
//   background transactions all day (SMF 110 with the region's user).
// - OPSAUTO: automation issuing console commands around the clock (OPERLOG).
// At weekends the schedule shrinks to the jobs flagged for it and the rest to about a third.

import { dataSetAccess } from './activity.js';
import { between, diurnal, type DayBuilder, type Session } from './day.js';
import { DAY_MS, HOUR_MS } from './calendar.js';
import { AUTOMATION_COMMANDS, CICS_BACKGROUND, CICS_FILES, DB2_DBIDS, DB2_TABLES, ds } from './names.js';
import { SERVICE_ACCOUNTS, type ProdJob, type SystemInfo } from './population.js';

const WEEKEND_LOAD = 0.3;

export function serviceDay(b: DayBuilder): void {
  for (const job of b.world.prodJobs) if (!b.day.weekend || job.weekend) prodJob(b, job);
  for (const system of b.world.systems) cicsRegionStart(b, system);
  const load = b.day.weekend ? WEEKEND_LOAD : 1;
  db2Distributed(b, b.rng.poisson(b.world.db2Lines * load));
  cicsBackground(b, b.rng.poisson(b.world.cicsLines * load));
  automation(b, b.rng.poisson(b.world.opsLines * (b.day.weekend ? 0.8 : 1)));
}

function prodJob(b: DayBuilder, job: ProdJob): void {
  const rng = b.rng;
  const user = SERVICE_ACCOUNTS.batch;
  const jobId = b.jobId(job.system, 'JOB');
  const s: Session = { user, system: job.system, job: job.name, jobId };
  const runtime = rng.range(60_000, 45 * 60_000);
  // The schedule wraps around midnight; a run never crosses it (each day is generated on its own).
  const start = Math.min((job.at + rng.range(-600_000, 600_000) + DAY_MS) % DAY_MS, DAY_MS - runtime - 60_000);
  let r = b.add('job-start', start, s);
  r.job = job.name;
  r.jobId = jobId;
  r.user = user;
  r.group = 'PRODGRP';
  r.program = job.program;
  if (rng.chance(0.5)) {
    r = b.add('racf-logon', start - 300, s);
    r.user = user;
    r.group = 'PRODGRP';
    r.job = job.name;
    r.jobId = jobId;
    r.racfEvent = 1;
    r.racfQual = 0;
  }
  const owner = { id: user, group: 'PRODGRP' };
  const steps = [...job.inputs.map((d) => ['read', d] as const), ...job.outputs.map((d) => ['write', d] as const)];
  if (job.gdg !== undefined) steps.push(['write', ds(`${job.gdg}.G${String(1000 + b.day.index).padStart(4, '0')}V00`)]);
  steps.forEach(([what, d], i) => {
    const t = start + ((i + 1) * runtime) / (steps.length + 1);
    dataSetAccess(b, owner, s, t, what, d);
    if (rng.chance(0.4)) dataSetAccess(b, owner, s, t + 1000, 'stats', d);
  });
  r = b.add('job-end', start + runtime, s);
  r.job = job.name;
  r.jobId = jobId;
  r.user = user;
  r.program = job.program;
}

function cicsRegionStart(b: DayBuilder, system: SystemInfo): void {
  const jobId = b.regionJobIds.get(system.id);
  if (jobId === undefined) return;
  const user = SERVICE_ACCOUNTS.cics;
  const s: Session = { user, system, job: system.cicsRegion, jobId };
  const t = 5 * HOUR_MS + b.rng.range(0, 120_000);
  const r = b.add('job-start', t, s);
  r.job = system.cicsRegion;
  r.jobId = jobId;
  r.user = user;
  r.group = 'STCGROUP';
  r.program = 'DFHSIP';
  CICS_FILES.forEach((file, i) => dataSetAccess(b, { id: user, group: 'STCGROUP' }, s, t + 20_000 + i * 700, 'read', ds(`PROD.CICS.${file}`)));
}

function db2Distributed(b: DayBuilder, n: number): void {
  const rng = b.rng;
  const user = SERVICE_ACCOUNTS.db2;
  for (let i = 0; i < n; i++) {
    const system = rng.pick(b.world.systems);
    const s: Session = { user, system, job: `${system.db2Ssid}DIST` };
    const r = b.add('db2-audit', diurnal(rng), s);
    r.user = user;
    r.job = s.job;
    r.db2Ssid = system.db2Ssid;
    r.ifcid = rng.chance(0.7) ? 144 : 145;
    r.dbid = DB2_DBIDS[rng.zipfIndex(DB2_DBIDS.length)];
    r.table = DB2_TABLES[rng.zipfIndex(DB2_TABLES.length)];
    r.grantor = 'SYSADM';
  }
}

function cicsBackground(b: DayBuilder, n: number): void {
  const rng = b.rng;
  const user = SERVICE_ACCOUNTS.cics;
  for (let i = 0; i < n; i++) {
    const system = rng.pick(b.world.systems);
    const s: Session = { user, system, job: system.cicsRegion };
    // The region starts at 05:00; earlier background work belongs to yesterday's region instance.
    const r = b.add('cics-transaction', rng.chance(0.8) ? between(rng, 5.1, 24) : diurnal(rng), s);
    r.user = user;
    r.job = system.cicsRegion;
    r.cicsApplid = system.cicsRegion;
    r.tran = rng.pick(CICS_BACKGROUND);
    r.program = `DFH${r.tran}`;
  }
}

function automation(b: DayBuilder, n: number): void {
  const rng = b.rng;
  const user = SERVICE_ACCOUNTS.ops;
  for (let i = 0; i < n; i++) {
    const system = rng.pick(b.world.systems);
    const s: Session = { user, system };
    const r = b.add('console-command', between(rng, 0, 24), s);
    r.user = user;
    r.console = 'AUTO01';
    r.command = rng.pick(AUTOMATION_COMMANDS).replace('{region}', system.cicsRegion);
  }
}
