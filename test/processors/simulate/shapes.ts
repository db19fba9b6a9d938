// Structural checks of each wire format, independent of the parser package: a small regex or
// JSON/CSV check per format, plus the time each line states (to compare with SimLine.time).

import type { ConcreteFormat } from '../../../processors/simulate/index.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const BSD = /^<(\d{1,3})>([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) /;
const LEEF = /^(?:<\d{1,3}>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d SYS[A-Z] )?LEEF:(1\.0|2\.0)\|IBM\|z\/OS\|2\.5\|([0-9A-Z-]+)\|(?:(\^|x5E|x7C)\|)?(.*)$/;
const DEV_TIME = /devTime=([A-Z][a-z]{2}) (\d{1,2}) (\d{4}) (\d{1,2}):(\d\d):(\d\d)\.(\d{3}) ([+-])(\d\d)(\d\d)(?:\t|\^|\||$)/;
const CEF = /^CEF:0\|BMC\|AMI Defender\|7\.1\|(SMF\d+(?:-\d+)?|OPERLOG|IMS|SESSMON)\|((?:[^|\\]|\\[|\\])+)\|(\d+)\|rt=(\d{13}) /;
const RFC5424 = /^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d) (SYS[A-Z]) C2POLICE - (C2P\d{4}) \[\4((?: [A-Za-z][A-Za-z0-9]*="(?:[^"\\\]]|\\["\\\]])*")+)\] .+$/;
const RFC3164 = /^<(\d{1,3})>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (SYS[A-Z]) (SMF\d+(?:_\d+)?|Console|IMS|SessMon): (?:[A-Za-z0-9]+=(?:"(?:[^"\\]|\\["\\])*"|[^\s"]+) ?)+$/;

/** Undefined when `text` has the shape of `format`; else what is wrong. CSV rows need the header's width. */
export function shapeProblem(format: ConcreteFormat, text: string, csvWidth?: number): string | undefined {
  if (/[\r\n]/.test(text)) return 'contains a line break';
  const pri = /^<(\d+)>/.exec(text);
  if (pri !== null && Number(pri[1]) > 191) return 'PRI above 191';
  switch (format) {
    case 'leef': {
      const m = LEEF.exec(text);
      if (m === null) return 'LEEF header';
      const [, version, , declared, rest = ''] = m;
      if ((version === '2.0') !== (declared !== undefined)) return 'LEEF 2.0 without delimiter (or 1.0 with one)';
      const d = declared === undefined ? '\t' : declared === 'x7C' ? '|' : '^';
      const attrs = rest.split(d);
      if (!attrs.every((a) => /^[A-Za-z][A-Za-z0-9]*=./.test(a))) return `LEEF attribute not key=value with delimiter ${JSON.stringify(d)}`;
      return DEV_TIME.test(rest) ? undefined : 'devTime';
    }
    case 'cef':
      return CEF.test(text) ? undefined : 'CEF header';
    case 'rfc5424':
      return RFC5424.test(text) ? undefined : 'RFC 5424 header or structured data';
    case 'rfc3164':
      return RFC3164.test(text) ? undefined : 'RFC 3164 header or key=value fields';
    case 'json':
    case 'easysmf': {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        return 'not JSON';
      }
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'not a JSON object';
      const o = doc as Record<string, unknown>;
      if (format === 'json') {
        return typeof o.timestamp === 'string' && typeof o.smf_system_id === 'string' && ('smf_type' in o || 'stream' in o) ? undefined : 'converter keys';
      }
      if (typeof o.recordType !== 'number' || typeof o.system !== 'string' || typeof o.smfDateTime !== 'string') return 'EasySMF top keys';
      const sections = Object.entries(o).filter(([k]) => !['recordType', 'subType', 'system', 'smfDateTime'].includes(k));
      return sections.length > 0 && sections.every(([, v]) => typeof v === 'object' && v !== null) ? undefined : 'EasySMF sections';
    }
    case 'csv': {
      const cells = splitCsv(text);
      if (cells === undefined) return 'CSV quoting';
      return csvWidth === undefined || cells.length === csvWidth ? undefined : `CSV row has ${cells.length} cells, header ${csvWidth}`;
    }
  }
}

/** RFC 4180 split of one row; undefined on bad quoting. */
export function splitCsv(row: string): string[] | undefined {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (row[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = row.indexOf('"', i);
        if (q < 0) return undefined;
        value += row.slice(i, q);
        if (row[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cells.push(value);
      if (i === row.length) return cells;
      if (row[i] !== ',') return undefined;
      i++;
    } else {
      const c = row.indexOf(',', i);
      if (c < 0) {
        cells.push(row.slice(i));
        return cells;
      }
      cells.push(row.slice(i, c));
      i = c + 1;
    }
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();
const hourCache = new Map<string, { y: number; mo: number; d: number; h: number; weekday: string }>();

/**
 * Local wall-clock parts of an instant in a zone (for comparing with zone-less times). Intl is asked
 * once per zone and UTC hour; minutes and seconds come from the instant (zones with whole-hour offsets).
 */
export function localParts(time: Date, timezone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number; weekday: string } {
  const ms = time.getTime();
  const bucket = Math.floor(ms / 3_600_000);
  const key = `${timezone}/${bucket}`;
  let hour = hourCache.get(key);
  if (hour === undefined) {
    let f = formats.get(timezone);
    if (f === undefined) {
      f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', weekday: 'short' });
      formats.set(timezone, f);
    }
    const p = Object.fromEntries(f.formatToParts(new Date(bucket * 3_600_000)).map((x) => [x.type, x.value]));
    hour = { y: Number(p.year), mo: Number(p.month), d: Number(p.day), h: Number(p.hour), weekday: p.weekday ?? '' };
    hourCache.set(key, hour);
  }
  return { ...hour, mi: Math.floor(ms / 60_000) % 60, s: Math.floor(ms / 1000) % 60 };
}

/**
 * The instant a line states, as epoch ms, where the format carries a zone (LEEF devTime, CEF rt,
 * RFC 5424, converter JSON); for zone-less formats (RFC 3164, EasySMF, CSV) the local wall-clock
 * string "YYYY-MM-DD hh:mm:ss" (year omitted for RFC 3164: "MM-DD hh:mm:ss").
 */
export function statedTime(format: ConcreteFormat, text: string, csvDateTime?: [string, string]): number | string | undefined {
  switch (format) {
    case 'leef': {
      const m = DEV_TIME.exec(text);
      if (m === null) return undefined;
      const [, mon, d, y, h, mi, s, ms, sign, oh, om] = m;
      const wall = Date.UTC(Number(y), MONTHS.indexOf(mon ?? ''), Number(d), Number(h), Number(mi), Number(s), Number(ms));
      return wall - (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
    }
    case 'cef':
      return Number(CEF.exec(text)?.[4]);
    case 'rfc5424':
      return Date.parse(RFC5424.exec(text)?.[2] ?? '');
    case 'json':
      return Date.parse((JSON.parse(text) as { timestamp: string }).timestamp);
    case 'rfc3164': {
      const m = BSD.exec(text);
      if (m === null) return undefined;
      return `${String(MONTHS.indexOf(m[2] ?? '') + 1).padStart(2, '0')}-${(m[3] ?? '').trim().padStart(2, '0')} ${m[4]}:${m[5]}:${m[6]}`;
    }
    case 'easysmf':
      return (JSON.parse(text) as { smfDateTime: string }).smfDateTime.slice(0, 19).replace('T', ' ');
    case 'csv':
      return csvDateTime === undefined ? undefined : `${csvDateTime[0]} ${csvDateTime[1].slice(0, 8)}`;
  }
}

/** "YYYY-MM-DD hh:mm:ss" of an instant in a zone. */
export function wallString(time: Date, timezone: string): string {
  const p = localParts(time, timezone);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${p.y}-${two(p.mo)}-${two(p.d)} ${two(p.h)}:${two(p.mi)}:${two(p.s)}`;
}
