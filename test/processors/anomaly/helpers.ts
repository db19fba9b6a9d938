// Builders for detection inputs and settings, so each test states only the numbers it is about.

import { resolveSettings, type AnomalySettings } from '../../../processors/anomaly/config.js';
import type { DetectionInput, HistoryDay, ItemDay, ValueCount } from '../../../processors/anomaly/types.js';

export const DEFINITION = { id: 'user-dsn', name: 'Userid and DSN', field1Label: 'User ID', field2Label: 'data set' };

/** An item with `messages` defaulting to `distinct` (one message per associated value). */
export function item(name: string, distinct: number, messages = distinct, extra: Partial<ItemDay> = {}): ItemDay {
  return { item: name, distinct, messages, newValues: [], top: [], ...extra };
}

/** `count` items named prefix0, prefix1 … all with the same counts. */
export function same(count: number, distinct: number, messages = distinct, prefix = 'U'): ItemDay[] {
  return Array.from({ length: count }, (_, i) => item(`${prefix}${String(i).padStart(3, '0')}`, distinct, messages));
}

export function input(items: ItemDay[], extra: Partial<DetectionInput> = {}): DetectionInput {
  return { definition: DEFINITION, day: '2024-05-08', items, history: [], firstSeenDay: '2024-01-01', ...extra };
}

/** Settings from overrides; throws with the issues when they are invalid (a test bug). */
export function settings(overrides: unknown = {}): AnomalySettings {
  const r = resolveSettings({}, overrides);
  if (!r.ok) throw new Error(r.issues.join('; '));
  return r.settings;
}

/** Only the named detectors enabled (severity `high`); everything else disabled. */
export function only(
  detectors: ('count/compatible' | 'count/robust' | 'activity/compatible' | 'activity/robust' | 'new')[],
  overrides: Record<string, unknown> = {},
): AnomalySettings {
  const sev = (d: (typeof detectors)[number]) => (detectors.includes(d) ? 'high' : 'disabled');
  const merged = deepAssign(
    {
      association_count: { compatible: { severity: sev('count/compatible') }, robust: { severity: sev('count/robust') } },
      association_activity: { compatible: { severity: sev('activity/compatible') }, robust: { severity: sev('activity/robust') } },
      new_associations: { severity: sev('new') },
    },
    overrides,
  );
  return settings(merged);
}

export const ALL = ['count/compatible', 'count/robust', 'activity/compatible', 'activity/robust', 'new'] as const;

/** One history day from [item, distinct, messages?] rows. */
export function historyDay(day: string, rows: [string, number, number?][]): HistoryDay {
  return { day, items: rows.map(([i, d, m]) => ({ item: i, distinct: d, messages: m ?? d })) };
}

export function values(...pairs: [string, number][]): ValueCount[] {
  return pairs.map(([value, count]) => ({ value, count }));
}

function deepAssign(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      typeof b === 'object' && b !== null && typeof v === 'object' && v !== null && !Array.isArray(v)
        ? deepAssign(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
