// Nightly anomaly detection core (domain.md §5): pure functions, no I/O, no clock of its own.
//
// Data flow for one analysed day, driven by the nightly job (which owns scheduling, catch-up of
// missed days in order, state reads and Elasticsearch writes):
//
//   per definition: DetectionInput (day's items + history before the day + first-seen day)
//        ── resolveSettings(defaults, overrides) ──► AnomalySettings
//        ── detect(input, settings) ──► DetectionResult { findings, outcomes }
//        ── anomalyDocuments(result, { createdAt, timeZone }) ──► { id, document }[]  → smf-anomalies*
//   per day: runDocument({ day, attempt, results, errors, … }, createdAt) ──► { id, document } → smf-anomaly-runs*
//
// Documents have deterministic ids: index them with the `index` op (not `create`) so re-running
// a day replaces its documents. See docs/anomalies.md for the decisions behind the defaults.

export type * from './types.js';
export {
  anomalySettingsSchema,
  DEFAULT_SETTINGS,
  resolveSettings,
  type AnomalySettings,
  type AnomalySettingsInput,
  type SettingsResult,
} from './config.js';
export { detect, requiredPopulation } from './detectors.js';
export { anomalyDocuments, anomalyId, describeFinding, SEVERITY_SCORE, type AnomalyDocument, type DocumentContext } from './documents.js';
export { runDocument, runId, runStatus, type RunDocument, type RunInput, type RunStatus } from './run-document.js';
export { addDays, daysBetween, dayStart, isDay, wallClock as zonedWallClock } from '../time/zone.js';
