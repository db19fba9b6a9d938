// Normalization: ParsedRecord (syntax only, source spelling) → EventDoc (one schema, ECS + zos/smf).
//
// Data flow per record, all pure over plain data (the clock is injected):
//   profile (profile.ts: configured, or detected from the record's shape)
//   → resolve meanings through that profile's alias index (aliases.ts, resolve.ts)
//   → pick and parse the event time (eventtime.ts, time.ts, zone.ts)
//   → SMF type/subtype and event.dataset (smftype.ts)
//   → category/type/action/outcome (categorize.ts)
//   → assemble the document (fields.ts, ip.ts, isotime.ts).
// Everything costly (alias indexes, the Intl time-zone formatter) is built once in createNormalizer.
// normalize() never throws: a defect becomes a `normalize_error` refusal, so the pipeline can
// dead-letter the line and go on.

import { SmfError } from '../../agent/errors.js';
import type { EventDoc } from '../schema/event.js';
import type { ParsedRecord } from '../schema/record.js';
import { CONCRETE_PROFILES, builtinAliases, builtinFixedColumns, mergeAliases, type ConcreteProfile } from './aliases.js';
import { categorize } from './categorize.js';
import { resolveOptions, validateOptions, type NormalizerOptions } from './config.js';
import { pickTimestamp } from './eventtime.js';
import { buildDoc, resolveDsn, toInt } from './fields.js';
import { IsoFormatter } from './isotime.js';
import { text } from './meanings.js';
import { detectProfile } from './profile.js';
import { FieldIndex } from './resolve.js';
import { datasetFor, deriveSmfId } from './smftype.js';
import { Zone } from '../time/zone.js';

export type { NormalizerOptions } from './config.js';
export type { ProfileName, ConcreteProfile } from './aliases.js';
export { MEANINGS, type Meaning } from './meanings.js';

export interface NormalizeContext {
  /** When the agent read the line: event.created, and the anchor for year-less and missing times. */
  receivedAt: Date;
  /** The input the line came from (named in refusal reasons by the caller). */
  inputName: string;
}

export type NormalizeCode = 'no_timestamp' | 'bad_timestamp' | 'normalize_error';

export type NormalizeResult = { ok: true; doc: EventDoc } | { ok: false; code: NormalizeCode; reason: string };

export interface Normalizer {
  normalize(record: ParsedRecord, ctx: NormalizeContext): NormalizeResult;
}

/** @throws SmfError SMF_ERR_CONFIG listing every invalid option. */
export function createNormalizer(options: NormalizerOptions = {}): Normalizer {
  const errors = validateOptions(options);
  if (errors.length > 0) {
    throw new SmfError('SMF_ERR_CONFIG', `invalid normalizer options:\n  ${errors.join('\n  ')}`, {
      hint: 'see docs/normalization.md for profiles, meanings and time zones',
    });
  }
  const opts = resolveOptions(options);
  const zone = new Zone(opts.timezone);
  const indexes = new Map<ConcreteProfile, FieldIndex>();
  for (const profile of CONCRETE_PROFILES) {
    if (opts.profile !== 'auto' && opts.profile !== profile) continue;
    indexes.set(profile, new FieldIndex(mergeAliases(opts.aliases, builtinAliases(profile)), builtinFixedColumns(profile)));
  }
  // One formatter per field: each caches its date part, and event time and receipt time are
  // usually on different days, so a shared one would miss its cache on every call.
  const isoEvent = new IsoFormatter();
  const isoCreated = new IsoFormatter();
  const timeCtx = { zone, receivedAtMs: 0 }; // reused: normalize is synchronous

  function normalizeRecord(record: ParsedRecord, ctx: NormalizeContext): NormalizeResult {
    if (record === null || typeof record !== 'object' || record.fields === null || typeof record.fields !== 'object') {
      return { ok: false, code: 'normalize_error', reason: 'the parsed record has no fields object' };
    }
    let receivedAtMs = ctx.receivedAt instanceof Date ? ctx.receivedAt.getTime() : Number.NaN;
    if (Number.isNaN(receivedAtMs)) receivedAtMs = opts.clock().getTime();

    const profile = opts.profile === 'auto' ? detectProfile(record) : opts.profile;
    const index = indexes.get(profile);
    if (index === undefined) return { ok: false, code: 'normalize_error', reason: `no alias index for profile ${profile}` };
    const r = index.resolve(record);

    timeCtx.receivedAtMs = receivedAtMs;
    const time = pickTimestamp(record, r, timeCtx, opts.missingTimestamp, index);
    if (!time.ok) return time;

    const smf = deriveSmfId(record, r);
    const dataset = datasetFor(smf.type, record, r);
    const dsn = resolveDsn(r, dataset);
    const categorized = categorize({
      type: smf.type,
      subtype: smf.subtype,
      dataset,
      racfEvent: toInt(r.racf_event_code, 0, 255),
      racfQualifier: toInt(r.racf_event_qualifier, 0, 255),
      resourceClass: text(r.resource_class)?.toUpperCase(),
      hasDsn: dsn !== undefined,
      jobId: text(r.job_id)?.toUpperCase(),
      hasConsoleCommand: r.console_command !== undefined,
      hasDb2Grant: r.db2_grantor !== undefined || r.db2_grantee !== undefined,
      db2Ifcid: toInt(r.db2_ifcid, 0, 65535),
      explicitAction: text(r.action),
      explicitOutcome: r.outcome,
    });

    const doc = buildDoc({
      record,
      r,
      profile,
      timestamp: isoEvent.format(time.ms),
      timestampMs: time.ms,
      timeSource: time.source,
      created: isoCreated.format(receivedAtMs),
      smf,
      dataset,
      dsn,
      categorized,
      zone,
    });
    return { ok: true, doc };
  }

  return {
    normalize(record, ctx) {
      try {
        return normalizeRecord(record, ctx);
      } catch (err) {
        return { ok: false, code: 'normalize_error', reason: `normalizer defect: ${err instanceof Error ? err.message : String(err)}` };
      }
    },
  };
}
