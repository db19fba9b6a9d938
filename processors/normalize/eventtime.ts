// Which time a record happened at: the first candidate that parses, in this order:
// 1. the best-ranked timestamp field (devTime, rt, smfDateTime, timestamp …);
// 2. a date field with a time-of-day field (CDP/SMF columns), or either alone when it holds a
//    full time;
// 3. the syslog envelope's timestamp (send time, less exact than the record's own).
// When none parses but one was present the record is refused as bad_timestamp, naming the field
// and value: a time we cannot read is a format problem the operator must see, not something to
// paper over with the receipt time. When no candidate exists at all, `missingTimestamp` decides:
// 'received' uses the receipt time (and smf.time_source says so), 'reject' refuses no_timestamp.

import type { ParsedRecord } from '../schema/record.js';
import type { FieldValue, Found, Meaning } from './meanings.js';
import { parseDatePair, parseTime, type TimeContext } from './time.js';

export type TimeSource = 'record' | 'envelope' | 'received';
export type MissingTimestampPolicy = 'received' | 'reject';

export type PickedTime =
  | { ok: true; ms: number; source: TimeSource }
  | { ok: false; code: 'no_timestamp' | 'bad_timestamp'; reason: string };

/** Names the source field of a meaning; called only to word a refusal. */
export interface SourceNamer {
  sourceOf(record: ParsedRecord, meaning: Meaning): string | undefined;
}

const SHOWN_VALUE_LIMIT = 64;

export function pickTimestamp(record: ParsedRecord, found: Found, ctx: TimeContext, missing: MissingTimestampPolicy, namer: SourceNamer): PickedTime {
  let bad: string | undefined; // the first candidate that did not parse, worded for the refusal

  const ts = found.timestamp;
  if (ts !== undefined) {
    const ms = typeof ts === 'boolean' ? undefined : parseTime(ts, ctx);
    if (ms !== undefined) return { ok: true, ms, source: 'record' };
    bad = `field "${namer.sourceOf(record, 'timestamp') ?? 'timestamp'}" ${show(ts)}`;
  }

  const date = found.date;
  const time = found.time;
  if (date !== undefined && time !== undefined) {
    const ms = typeof date === 'boolean' || typeof time === 'boolean' ? undefined : parseDatePair(date, time, ctx);
    if (ms !== undefined) return { ok: true, ms, source: 'record' };
    bad ??= `fields "${namer.sourceOf(record, 'date') ?? 'date'}" and "${namer.sourceOf(record, 'time') ?? 'time'}" ${show(`${String(date)} ${String(time)}`)}`;
  } else if (date !== undefined || time !== undefined) {
    const only = (date ?? time) as FieldValue;
    const ms = typeof only === 'boolean' ? undefined : parseTime(only, ctx);
    if (ms !== undefined) return { ok: true, ms, source: 'record' };
    const meaning = date !== undefined ? 'date' : 'time';
    bad ??= `field "${namer.sourceOf(record, meaning) ?? meaning}" ${show(only)}`;
  }

  const envelopeTime = record.envelope?.timestamp;
  if (typeof envelopeTime === 'string' && envelopeTime !== '-' && envelopeTime.trim() !== '') {
    const ms = parseTime(envelopeTime, ctx);
    if (ms !== undefined) return { ok: true, ms, source: 'envelope' };
    bad ??= `syslog timestamp ${show(envelopeTime)}`;
  }

  if (bad !== undefined) return { ok: false, code: 'bad_timestamp', reason: `${bad} is not a supported time` };
  if (missing === 'reject') return { ok: false, code: 'no_timestamp', reason: 'the record has no timestamp field and no syslog timestamp' };
  return { ok: true, ms: ctx.receivedAtMs, source: 'received' };
}

function show(value: FieldValue): string {
  return JSON.stringify(typeof value === 'string' && value.length > SHOWN_VALUE_LIMIT ? `${value.slice(0, SHOWN_VALUE_LIMIT)}…` : value);
}
