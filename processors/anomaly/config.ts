// Settings of the anomaly detectors for one association definition, with every default declared
// once here. The config loader parses `defaults` and each definition's overrides with
// `resolveSettings`; detectors receive the frozen result and never see raw YAML.
//
// Unknown keys are rejected (strict objects) so a misspelt threshold cannot silently fall back
// to its default. Zod reports every problem at once with its key path.

import { z } from 'zod';

import type { AnomalyMode, CountKind, Severity } from './types.js';

const severity = z.enum(['disabled', 'low', 'medium', 'high', 'critical']);

/** One count kind (number of associations, or activity): a compatible and a robust detector. */
function countKindSchema(compatibleMarginalPct: number) {
  return z
    .strictObject({
      compatible: z
        .strictObject({
          // Disabled by default, as in the source product ("no message is sent").
          severity: severity.default('disabled'),
          k: z.number().positive().default(3), // standard deviations above the mean
          marginal_pct: z.number().min(0).default(compatibleMarginalPct), // and this much above the mean
        })
        .prefault({}),
      robust: z
        .strictObject({
          severity: severity.default('medium'),
          threshold: z.number().positive().default(3.5), // modified z (Iglewicz & Hoaglin's 3.5)
        })
        .prefault({}),
    })
    .prefault({});
}

export const anomalySettingsSchema = z.strictObject({
  /**
   * Fewest items a day's population must have for a population verdict. 11 is the smallest n for
   * which a z-score can exceed 3 at all (max z = √(n−1) with the population σ). Compatible
   * detectors also require n > k² + 1 whatever this says, since below it they cannot fire.
   */
  min_population: z.int().min(3).default(11),
  // The manual gives 20 % for activity and no default for the number of associations; we use
  // 20 for both so the two kinds behave alike (the k·σ test does the work, the margin only
  // guards near-zero spread). Documented in docs/anomalies.md.
  association_count: countKindSchema(20),
  association_activity: countKindSchema(20),
  robust: z
    .strictObject({
      /**
       * Floor of the robust scale, in log1p units: scale = max(MAD, min_scale). With zero spread an
       * item then fires only when log1p(x) − log1p(median) > threshold·min_scale/0.6745 (1.30 with
       * the defaults: (x+1)/(median+1) > 3.66).
       */
      min_scale: z.number().positive().default(0.25),
      history: z
        .strictObject({
          /** Confirm each population verdict against the item's own past when it has enough of it. */
          enabled: z.boolean().default(true),
          window_days: z.int().min(1).max(366).default(28), // baseline: the last N days before the analysed day
          min_days: z.int().min(3).default(7), // active days in the window needed to use the item's history
          /** 'same-kind' compares weekdays with weekdays and weekend days with weekend days. */
          baseline_days: z.enum(['all', 'same-kind']).default('all'),
          weekend_days: z.array(z.int().min(0).max(6)).max(7).default([0, 6]), // 0 = Sunday
        })
        .prefault({}),
    })
    .prefault({}),
  new_associations: z
    .strictObject({
      severity: severity.default('low'),
      learning_days: z.int().min(0).default(7), // days of data before new values are reported
      min_new_values: z.int().min(1).default(1), // fewest new values for an item to be reported
      max_values: z.int().min(1).max(100).default(10), // new values listed per document
    })
    .prefault({}),
  evidence: z
    .strictObject({
      top_values: z.int().min(0).max(100).default(10), // top Field 2 values listed per document
    })
    .prefault({}),
});

export type AnomalySettings = z.output<typeof anomalySettingsSchema>;
/** What a user writes: any subset of the settings. */
export type AnomalySettingsInput = z.input<typeof anomalySettingsSchema>;

export const DEFAULT_SETTINGS: AnomalySettings = deepFreeze(anomalySettingsSchema.parse({}));

export type SettingsResult = { ok: true; settings: AnomalySettings } | { ok: false; issues: string[] };

/**
 * Settings for one definition: `overrides` deep-merged over `defaults` (objects merge, arrays and
 * scalars replace), then validated. Issues name their key path, e.g. "association_count.compatible.k: …".
 */
export function resolveSettings(defaults: unknown, overrides?: unknown): SettingsResult {
  const merged = overrides === undefined ? defaults ?? {} : deepMerge(defaults ?? {}, overrides);
  const parsed = anomalySettingsSchema.safeParse(merged);
  if (parsed.success) return { ok: true, settings: deepFreeze(parsed.data) };
  return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`) };
}

/** The settings of one count detector. */
export function countDetectorSettings(settings: AnomalySettings, kind: CountKind) {
  return settings[kind];
}

/** Severity configured for a detector; `mode` is ignored for new_associations. */
export function detectorSeverity(settings: AnomalySettings, kind: CountKind | 'new_associations', mode: AnomalyMode): Severity {
  if (kind === 'new_associations') return settings.new_associations.severity;
  return countDetectorSettings(settings, kind)[mode].severity;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    // defineProperty, not assignment: a "__proto__" key from YAML stays a plain (rejected) key.
    const merged = Object.hasOwn(base, key) ? deepMerge(base[key], value) : value;
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
