// CSV as IBM Z Common Data Provider streams write it (domain.md §2): one header row, written once,
// then one row per record. The header is the union of the columns of every record type that can
// occur (with `recordTypes: [80]` that is exactly the SMF_080 stream), so rows are wide and sparse.
//   DATASTREAM,SMFID,SYSPLEX,SMFSTY,SMF80DTE,SMF80TME,SMF80EVT,SMF80EVQ,SMF80USR,…
//   SMF_080,SYSA,PLEX1,,2025-03-03,09:04:05.12,1,0,JSMITH,…
// Date and time are local (SMF header) in per-type columns (SMF80DTE/SMF80TME …, SMFDTE/SMFTME for
// types without their own). Only SMF records. Traps reproduced: empty cells mean absent; RFC 4180
// quoting of cells with commas and quotes (console and RACF commands).
// Column names for 80's relocate data, 110, 102, 116 and 82 are this simulator's choice (verify).

import { TimeFormat } from '../calendar.js';
import type { Rng } from '../random.js';
import { KIND_SMF, RECORD_KINDS, type RecordKind, type SimRecord } from '../records.js';
import { GET, isSmf, type Field, type FormatWriter, type Getter } from './fields.js';

export type Columns = readonly (readonly [Field, string])[];

const RACF: Columns = [
  ['racfEvent', 'SMF80EVT'], ['racfQual', 'SMF80EVQ'], ['user', 'SMF80USR'], ['group', 'SMF80GRP'], ['job', 'SMF80JBN'],
  ['terminal', 'SMF80TRM'], ['resClass', 'SMF80_CLASS'], ['dsn', 'SMF80_RESOURCE'], ['resource', 'SMF80_RESOURCE'],
  ['member', 'SMF80_MEMBER'], ['access', 'SMF80_INTENT'], ['command', 'SMF80_COMMAND'],
];
const JOB: Columns = [['job', 'SMF30JBN'], ['jobId', 'SMF30JNM'], ['user', 'SMF30RUD'], ['group', 'SMF30GRP'], ['program', 'SMF30PGM'], ['terminal', 'SMF30TID']];

export const CSV_COLUMNS: Readonly<Partial<Record<RecordKind, Columns>>> = {
  'tn3270-session': [
    ['job', 'SMF119TI_ASNAME'], ['terminal', 'SMF119TN_NILU'], ['ip', 'SMF119TN_NIRIP'], ['port', 'SMF119TN_NIRPORT'],
    ['localIp', 'SMF119TN_NILIP'], ['localPort', 'SMF119TN_NILPORT'], ['applid', 'SMF119TN_NIAPPL'],
  ],
  'racf-logon': RACF,
  'racf-access': RACF,
  'racf-command': RACF,
  'tso-logon': JOB,
  'tso-logoff': JOB,
  'job-start': JOB,
  'job-end': JOB,
  'dataset-read': [['job', 'SMF14JBN'], ['dsn', 'JFCBDSNM'], ['volser', 'JFCBVOLS']],
  'dataset-write': [['job', 'SMF15JBN'], ['dsn', 'JFCBDSNM'], ['volser', 'JFCBVOLS']],
  'dataset-activity': [['job', 'SMF42JBN'], ['dsn', 'SMF42DSN'], ['volser', 'SMF42VOL']],
  'cics-transaction': [
    ['cicsApplid', 'SMFMNPRN'], ['job', 'SMFMNJBN'], ['tran', 'TRAN'], ['user', 'USERID'], ['terminal', 'TERM'], ['program', 'PGMNAME'], ['cicsFile', 'FILENAME'],
  ],
  'db2-audit': [['db2Ssid', 'QWHSSSID'], ['user', 'QWHCAID'], ['job', 'QWHCCV'], ['ifcid', 'IFCID'], ['dbid', 'DBID'], ['table', 'TABLE_NAME'], ['grantor', 'GRANTOR']],
  'mq-access': [['qmgr', 'QWHSSSID'], ['user', 'QWHCAID'], ['job', 'QWHCCV'], ['queue', 'QUEUE_NAME'], ['channel', 'CHANNEL_NAME']],
  'icsf-service': [['user', 'SMF82USR'], ['job', 'SMF82JBN'], ['icsfService', 'SMF82SVC']],
};

const OWN_DATE_COLUMNS = new Set([14, 15, 30, 80, 119]);

function dateColumns(kind: RecordKind): [string, string] {
  const type = KIND_SMF[kind].type;
  return type !== undefined && OWN_DATE_COLUMNS.has(type) ? [`SMF${type}DTE`, `SMF${type}TME`] : ['SMFDTE', 'SMFTME'];
}

/** The union header for these kinds, in a stable order: common columns, then each kind's in RECORD_KINDS order. */
export function csvHeader(kinds: readonly RecordKind[]): string[] {
  const columns = ['DATASTREAM', 'SMFID', 'SYSPLEX', 'SMFSTY'];
  const seen = new Set(columns);
  const add = (c: string): void => {
    if (!seen.has(c)) {
      seen.add(c);
      columns.push(c);
    }
  };
  for (const kind of RECORD_KINDS) {
    if (!kinds.includes(kind) || CSV_COLUMNS[kind] === undefined) continue;
    for (const c of dateColumns(kind)) add(c);
    for (const [, c] of CSV_COLUMNS[kind] ?? []) add(c);
  }
  return columns;
}

/** Per kind, its cells as [column index, getter] in column order (built when the header is). */
type RowPlan = readonly (readonly [number, Getter])[];

export function createCsvWriter(): FormatWriter {
  const tf = new TimeFormat();
  const plans = new Map<RecordKind, RowPlan>();
  let width = 0;
  let fixed = { stream: 0, smfid: 0, sysplex: 0, subtype: 0 };
  const dates = new Map<RecordKind, [number, number]>();
  return {
    format: 'csv',
    accepts: isSmf,
    header(kinds: readonly RecordKind[]): string {
      const columns = csvHeader(kinds);
      const index = new Map(columns.map((c, i) => [c, i]));
      const at = (c: string): number => index.get(c) ?? -1;
      width = columns.length;
      fixed = { stream: at('DATASTREAM'), smfid: at('SMFID'), sysplex: at('SYSPLEX'), subtype: at('SMFSTY') };
      for (const kind of kinds) {
        const [date, time] = dateColumns(kind);
        dates.set(kind, [at(date), at(time)]);
        plans.set(kind, (CSV_COLUMNS[kind] ?? []).map(([f, c]) => [at(c), GET[f]] as const).filter(([i]) => i >= 0));
      }
      return columns.join(',');
    },
    write(r: SimRecord, _rng: Rng): string {
      // Cells are placed by index into a reused array; a sparse row is mostly empty cells.
      const cells: (string | number)[] = [];
      const { type, subtype } = KIND_SMF[r.kind];
      cells[fixed.stream] = `SMF_${String(type).padStart(3, '0')}`;
      cells[fixed.smfid] = r.system;
      cells[fixed.sysplex] = r.sysplex;
      if (subtype !== undefined) cells[fixed.subtype] = subtype;
      const [date, time] = dates.get(r.kind) ?? [-1, -1];
      if (date >= 0) cells[date] = tf.dateOnly(r.wallMs);
      if (time >= 0) cells[time] = tf.timeHundredths(r.wallMs);
      for (const [i, get] of plans.get(r.kind) ?? []) {
        const v = get(r);
        if (v !== undefined) cells[i] = typeof v === 'number' ? v : quote(v);
      }
      let out = '';
      for (let i = 0; i < width; i++) {
        const v = cells[i];
        out += i === 0 ? (v ?? '') : v === undefined ? ',' : `,${v}`;
      }
      return out;
    },
  };
}

function quote(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}
