// Normalizer options: declared once with their defaults, checked when the normalizer is created.
// Every problem is reported at once, each prefixed with its option name; the central config pass
// prefixes the key path of the input that owns these options.

import { PROFILE_NAMES, type ProfileName } from './aliases.js';
import type { MissingTimestampPolicy } from './eventtime.js';
import { MEANINGS, isMeaning, type Meaning } from './meanings.js';
import { checkZone } from '../time/zone.js';

export interface NormalizerOptions {
  /** Alias profile; 'auto' picks one per record from its shape (profile.ts). Default 'auto'. */
  profile?: ProfileName;
  /** IANA zone of zone-less times (RFC 3164, EasySMF smfDateTime, CDP) and of zos.logon.*. Default 'UTC'. */
  timezone?: string;
  /**
   * Meaning (see meanings.ts) → extra source field names, tried before the profile's own
   * (case-insensitive). Keys are plain strings because they come from YAML; unknown meanings are
   * reported by validateOptions.
   */
  aliases?: Readonly<Record<string, readonly string[]>>;
  /** A record with no time at all: 'received' uses the receipt time, 'reject' refuses it. Default 'received'. */
  missingTimestamp?: MissingTimestampPolicy;
  /** Current time, used only when ctx.receivedAt is not a valid Date. Default: the system clock. */
  clock?: () => Date;
}

export interface ResolvedOptions {
  profile: ProfileName;
  timezone: string;
  aliases: Partial<Record<Meaning, readonly string[]>>;
  missingTimestamp: MissingTimestampPolicy;
  clock: () => Date;
}

export const DEFAULTS: Readonly<Omit<ResolvedOptions, 'aliases' | 'clock'>> = Object.freeze({
  profile: 'auto',
  timezone: 'UTC',
  missingTimestamp: 'received',
});

/** Every problem with the options, each naming the option and the bad value; empty when valid. */
export function validateOptions(options: unknown): string[] {
  if (options === undefined) return [];
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return ['options: expected an object'];
  const errors: string[] = [];
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!['profile', 'timezone', 'aliases', 'missingTimestamp', 'clock'].includes(key)) errors.push(`${key}: unknown option`);
  }
  if (o.profile !== undefined && !(PROFILE_NAMES as readonly unknown[]).includes(o.profile)) {
    errors.push(`profile: ${JSON.stringify(o.profile)} is not one of ${PROFILE_NAMES.join(', ')}`);
  }
  if (o.timezone !== undefined) {
    const problem = typeof o.timezone === 'string' ? checkZone(o.timezone) : 'expected a string';
    if (problem !== undefined) errors.push(`timezone: ${JSON.stringify(o.timezone)} is not an IANA time zone (${problem})`);
  }
  if (o.missingTimestamp !== undefined && o.missingTimestamp !== 'received' && o.missingTimestamp !== 'reject') {
    errors.push(`missingTimestamp: ${JSON.stringify(o.missingTimestamp)} is not one of received, reject`);
  }
  if (o.clock !== undefined && typeof o.clock !== 'function') errors.push('clock: expected a function returning a Date');
  if (o.aliases !== undefined) errors.push(...validateAliases(o.aliases));
  return errors;
}

function validateAliases(aliases: unknown): string[] {
  if (aliases === null || typeof aliases !== 'object' || Array.isArray(aliases)) return ['aliases: expected a map of meaning → list of field names'];
  const errors: string[] = [];
  for (const [meaning, names] of Object.entries(aliases)) {
    if (!isMeaning(meaning)) {
      errors.push(`aliases.${meaning}: unknown meaning (known: ${MEANINGS.join(', ')})`);
      continue;
    }
    if (!Array.isArray(names)) {
      errors.push(`aliases.${meaning}: expected a list of field names`);
      continue;
    }
    names.forEach((name: unknown, i) => {
      if (typeof name !== 'string' || name.trim() === '') errors.push(`aliases.${meaning}[${i}]: ${JSON.stringify(name)} is not a field name`);
    });
  }
  return errors;
}

/** Defaults applied; call after validateOptions returned no errors. */
export function resolveOptions(options: NormalizerOptions = {}): ResolvedOptions {
  return {
    profile: options.profile ?? DEFAULTS.profile,
    timezone: options.timezone ?? DEFAULTS.timezone,
    aliases: (options.aliases ?? {}) as Partial<Record<Meaning, readonly string[]>>,
    missingTimestamp: options.missingTimestamp ?? DEFAULTS.missingTimestamp,
    clock: options.clock ?? (() => new Date()),
  };
}
