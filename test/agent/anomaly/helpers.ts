// Builders for the anomaly job tests: a real temporary store filled through the association
// engine (applyObservations over LmdbAssocState, as the live stage does), and parsed configs.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { stringify } from 'yaml';
import { LmdbAssocState } from '../../../agent/associations/lmdb-state.js';
import { parseConfig } from '../../../agent/config/load.js';
import type { AgentConfig } from '../../../agent/config/schema.js';
import { StateStore } from '../../../agent/store/store.js';
import { applyObservations, LocalCalendar, type Observation } from '../../../processors/associations/index.js';

export function tempStore(t: ExecutionContext): { store: StateStore; state: LmdbAssocState; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'smf-anomaly-'));
  const store = StateStore.open(dir);
  t.teardown(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, state: new LmdbAssocState(store), dir };
}

const calendar = new LocalCalendar('UTC');

/** Counts observations into the store in one transaction, with the clock at `now` (default: far ahead). */
export async function count(store: StateStore, state: LmdbAssocState, observations: Observation[], now = Date.parse('2100-01-01T00:00:00Z')): Promise<void> {
  await store.commit(() => void applyObservations(state, observations, { now, calendar }));
}

/** `n` observations of def/v1 → v2 at noon UTC of `day`. */
export function obs(def: string, day: string, v1: string, v2: string, n = 1): Observation[] {
  const time = Date.parse(`${day}T12:00:00Z`);
  return Array.from({ length: n }, () => ({ def, v1, v2, time }));
}

export const DEF = 'userid-dsn';
export const SWEEPER = 'U07';

/**
 * `days` days from `first` of 30 users with stable habits: user i reads 3 + (i mod 5) data sets
 * of its own, twice each, every day. On `sweepDay` SWEEPER also reads 40× its usual number of
 * data sets it never read before.
 */
export function population(first: string, days: number, sweepDay?: string): Observation[] {
  const out: Observation[] = [];
  for (let d = 0; d < days; d++) {
    const day = new Date(Date.parse(`${first}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < 30; i++) {
      const user = `U${String(i).padStart(2, '0')}`;
      const habit = 3 + (i % 5);
      for (let k = 0; k < habit; k++) out.push(...obs(DEF, day, user, `${user}.DATA${k}`, 2));
      if (user === SWEEPER && day === sweepDay) {
        for (let k = 0; k < habit * 40; k++) out.push(...obs(DEF, day, user, `PAYROLL.Y${String(k).padStart(4, '0')}`, 2));
      }
    }
  }
  return out;
}

/** A parsed agent config (defaults filled, validated) from the keys a test cares about. */
export function agentConfig(over: { dataDir?: string; es?: { hosts: string[]; username?: string; password?: string }; anomalies?: Record<string, unknown>; timezone?: string } = {}): AgentConfig {
  const es = over.es ?? { hosts: ['http://127.0.0.1:9'] };
  return parseConfig(
    stringify({
      agent: { data_dir: over.dataDir ?? '/tmp/unused', timezone: over.timezone ?? 'UTC' },
      inputs: [{ type: 'stdin', name: 'in' }],
      output: { elasticsearch: { ...es, retry_initial_ms: 10, retry_max_ms: 200 } },
      ...(over.anomalies ? { anomalies: over.anomalies } : {}),
    }),
    { source: 'test.yaml' },
  );
}
