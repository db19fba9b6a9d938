// Writers by format, and the choice of format per record. A single format writes every record it
// accepts (SMF-only formats drop the others); `mixed` draws a format per record from MIXED_WEIGHTS
// among the formats that accept it, as a SIEM fed by several forwarders would see.
//
// Field names per format: each writer declares them at its top (LEEF_NAMES, CEF_NAMES, RFC5424_NAMES,
// RFC3164_NAMES, JSON_NAMES: record property → name; EASYSMF_LAYOUTS and CSV_COLUMNS per record
// kind), and docs/simulator.md tabulates them (a test keeps the two in step). The core ones:
//   property   LEEF       CEF       RFC 5424            RFC 3164  JSON        EasySMF (by type)            CSV (by type)
//   user       usrName    suser     whoUSERID           User      user_id     smf30rud, smf80usr, userid … SMF30RUD, SMF80USR, USERID …
//   job        jobname|job ASRENAME whatJOBNAME         Jobname   job_name    smf30jbn, smf14jbn, …        SMF30JBN, SMF14JBN, …
//   job id     jobid      ASREJBID  whatJOBID           JobId     job_id      smf30jnm                     SMF30JNM
//   client IP  src        src       fromWhereSRCIP      RemtIP    remote_ip   smf119tn_nirip               SMF119TN_NIRIP
//   terminal   terminal|poe TermNm  fromWhereTERMINAL   TermNm    terminal    smf30tid, smf80trm, nilu     SMF30TID, SMF80TRM, …
//   system     sysname    SYSNAME   whereSYSTEM+host    host      smf_system_id  system                     SMFID
//   DSN        dsn        RCDNAME   whatDSNAME          RCDNAME   dsn         jfcbdsnm, smf42dsn, …        JFCBDSNM, SMF42DSN, …

import type { ConcreteFormat, SimFormat } from '../options.js';
import type { Rng } from '../random.js';
import type { RecordKind } from '../records.js';
import { createCefWriter } from './cef.js';
import { createCsvWriter } from './csv.js';
import { createEasySmfWriter } from './easysmf.js';
import type { FormatWriter } from './fields.js';
import { createJsonWriter } from './json.js';
import { createLeefWriter } from './leef.js';
import { createRfc3164Writer } from './rfc3164.js';
import { createRfc5424Writer } from './rfc5424.js';

export type { FormatWriter } from './fields.js';

export const MIXED_WEIGHTS: Readonly<Record<ConcreteFormat, number>> = {
  leef: 22,
  cef: 14,
  rfc5424: 10,
  rfc3164: 18,
  easysmf: 14,
  json: 12,
  csv: 10,
};

export function createWriter(format: ConcreteFormat, systems: readonly string[]): FormatWriter {
  switch (format) {
    case 'leef':
      return createLeefWriter(systems);
    case 'cef':
      return createCefWriter();
    case 'rfc5424':
      return createRfc5424Writer();
    case 'rfc3164':
      return createRfc3164Writer();
    case 'easysmf':
      return createEasySmfWriter();
    case 'json':
      return createJsonWriter();
    case 'csv':
      return createCsvWriter();
  }
}

/** Picks the writer for each record: the one format, or a weighted draw for `mixed`. */
export interface WriterChoice {
  readonly writers: readonly FormatWriter[];
  /** undefined: no selected format carries this kind. */
  pick(kind: RecordKind, rng: Rng): FormatWriter | undefined;
}

export function chooseWriters(format: SimFormat, systems: readonly string[]): WriterChoice {
  if (format !== 'mixed') {
    const writer = createWriter(format, systems);
    return { writers: [writer], pick: (kind) => (writer.accepts(kind) ? writer : undefined) };
  }
  const writers = (Object.keys(MIXED_WEIGHTS) as ConcreteFormat[]).map((f) => createWriter(f, systems));
  const cache = new Map<RecordKind, { writers: FormatWriter[]; cumulative: number[] }>();
  return {
    writers,
    pick(kind, rng) {
      let entry = cache.get(kind);
      if (entry === undefined) {
        const ok = writers.filter((w) => w.accepts(kind));
        let sum = 0;
        entry = { writers: ok, cumulative: ok.map((w) => (sum += MIXED_WEIGHTS[w.format])) };
        cache.set(kind, entry);
      }
      const total = entry.cumulative[entry.cumulative.length - 1] ?? 0;
      const u = rng.next() * total;
      for (let i = 0; i < entry.writers.length; i++) if (u < (entry.cumulative[i] ?? 0)) return entry.writers[i];
      return undefined;
    },
  };
}
