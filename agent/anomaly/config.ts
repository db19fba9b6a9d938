// `anomalies:` configuration: when the nightly job runs, how far it catches up, where it writes,
// and the detector settings. The detector settings belong to processors/anomaly (one schema, one
// set of defaults); this file only mounts them, reports their problems under
// `anomalies.settings.…` / `anomalies.definitions.<id>.…`, and hands the job resolved, frozen
// settings, so nothing downstream sees raw YAML.

import { z } from 'zod';
import { resolveSettings, type AnomalySettings } from '../../processors/anomaly/index.js';

const indexName = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lowercase index name');
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Same slug rule as association definition ids (processors/associations/definition-schema.ts). */
const DEFINITION_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const plainObject = z.record(z.string(), z.unknown());

const rawSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Local time (agent.timezone) after midnight at which the day that just ended is analysed. */
  run_after: z.string().regex(HH_MM, 'a local time "HH:MM" (00:00-23:59)').default('00:15'),
  /** At most this many missed days (the newest) are analysed after a downtime; older ones are skipped and logged. */
  catch_up_days: z.int().min(1).max(90).default(7),
  index: indexName.default('smf-anomalies-default'),
  runs_index: indexName.default('smf-anomaly-runs-default'),
  /** Days of daily statistics before the analysed day read as its history (item baselines). */
  baseline_days: z.int().min(1).max(366).default(28),
  /** Detector settings for every definition (processors/anomaly/config.ts; snake_case, all optional). */
  settings: plainObject.default({}),
  /** Per association definition id: overrides deep-merged over `settings`. */
  definitions: z.record(z.string().regex(DEFINITION_ID, 'an association definition id (slug)'), plainObject).default({}),
});

export interface AnomaliesConfig {
  enabled: boolean;
  run_after: string;
  catch_up_days: number;
  index: string;
  runs_index: string;
  baseline_days: number;
  /** Resolved detector settings for definitions without overrides. */
  settings: AnomalySettings;
  /** Resolved settings (overrides merged over `settings`) of the definitions that have overrides. */
  definitions: Record<string, AnomalySettings>;
}

type IssuePath = (string | number)[];

/**
 * resolveSettings reports "a.b.0.c: message"; turned back into a path so the config loader
 * prints it under the full key path. Keys of the settings schema never contain '.' or ': '.
 */
function splitIssue(issue: string): { path: IssuePath; message: string } {
  const at = issue.indexOf(': ');
  const head = at < 0 ? '(root)' : issue.slice(0, at);
  const path = head === '(root)' ? [] : head.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return { path, message: at < 0 ? issue : issue.slice(at + 2) };
}

/**
 * Built-in per-definition settings for the bundled definitions, measured on a 30-day simulated
 * feed with labelled incidents (bench/detection.ts; docs/anomalies.md "Measured detection").
 * User overrides under `anomalies.definitions.<id>` are deep-merged over these.
 * - userid-honeypot-dsn: a filtered definition's first match is the signal, so no learning period.
 * - userid-time-logged-in, jobname-datasets: new associations are daily routine there (most of all
 *   false alarms), their incidents are caught by other definitions.
 * - userid-dsn: one new data set is routine; five or more in a day is worth a look.
 */
export const BUILTIN_DEFINITION_SETTINGS: Readonly<Record<string, Record<string, unknown>>> = {
  'userid-honeypot-dsn': { new_associations: { learning_days: 0, severity: 'high' } },
  'userid-time-logged-in': { new_associations: { severity: 'disabled' } },
  'jobname-datasets': { new_associations: { severity: 'disabled' } },
  'userid-dsn': { new_associations: { min_new_values: 5 } },
};

/** Plain objects merge key by key; anything else (values, lists) is replaced by the override. */
function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
    out[k] = isObj(b) && isObj(v) ? deepMerge(b, v) : v;
  }
  return out;
}

export const anomaliesSchema = rawSchema.transform((raw, ctx): AnomaliesConfig => {
  const problems: { path: IssuePath; message: string }[] = [];
  const base = resolveSettings(raw.settings);
  if (!base.ok) for (const i of base.issues.map(splitIssue)) problems.push({ path: ['settings', ...i.path], message: i.message });
  const definitions: Record<string, AnomalySettings> = {};
  // Overrides are checked only over valid base settings, so one base problem is reported once.
  if (base.ok) {
    checkWindow(base.settings, raw.baseline_days, ['settings'], problems);
    const ids = new Set([...Object.keys(BUILTIN_DEFINITION_SETTINGS), ...Object.keys(raw.definitions)]);
    for (const id of ids) {
      const overrides = deepMerge(BUILTIN_DEFINITION_SETTINGS[id] ?? {}, (raw.definitions[id] as Record<string, unknown> | undefined) ?? {});
      const r = resolveSettings(raw.settings, overrides);
      if (!r.ok) {
        for (const i of r.issues.map(splitIssue)) problems.push({ path: ['definitions', id, ...i.path], message: i.message });
        continue;
      }
      checkWindow(r.settings, raw.baseline_days, ['definitions', id], problems);
      definitions[id] = r.settings;
    }
  }
  for (const p of problems) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  if (!base.ok || problems.length > 0) return z.NEVER;
  return { ...raw, settings: base.settings, definitions };
});

/** The job reads `baseline_days` of history; a longer item-history window would silently get less. */
function checkWindow(s: AnomalySettings, baselineDays: number, at: IssuePath, problems: { path: IssuePath; message: string }[]): void {
  const w = s.robust.history.window_days;
  if (s.robust.history.enabled && w > baselineDays) {
    problems.push({
      path: [...at, 'robust', 'history', 'window_days'],
      message: `${w} days exceeds anomalies.baseline_days (${baselineDays}): the job reads only ${baselineDays} days of history; raise baseline_days or lower window_days`,
    });
  }
}

/** The settings the job uses for one definition. */
export function settingsFor(config: Pick<AnomaliesConfig, 'settings' | 'definitions'>, definitionId: string): AnomalySettings {
  return config.definitions[definitionId] ?? config.settings;
}
