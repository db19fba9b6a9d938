// Associations stage (domain.md §4): pure core, no I/O.
//
//   YAML text + pattern lists ──parseDefinitions──▶ CompiledDefinition[] (+ DefinitionError[])
//   EventDoc ──observe──▶ Observation[] ──applyObservations(state, …, ctx)──▶ ChangedKeys
//   state (pairs, summaries, daily item stats) ──documents──▶ Elasticsearch documents
//   state ──sweepPairs / expiredDailyKeys──▶ deletions (retention)
//
// The runtime shell owns files, the LMDB transaction (AssocStateAccess), the clock and indexing.

export { LocalCalendar, addDays, dayNumber, isDay } from './calendar.js';
export type { AssociationDefinition, FieldSpec, FilterSpec, FromSpec, PatternFilterSpec, Transform } from './definition-schema.js';
export { parseDefinitions, type CompiledDefinition, type DefinitionError, type DefinitionSource, type LoadedDefinitions, type PatternLists } from './definition.js';
export { applyObservations, observe, observeInto, type ApplyContext, type ChangedKeys, type Observation } from './engine.js';
export { parseTimestamp } from './timestamp.js';
export { isEventPath, type EventPath } from './event-paths.js';
export { compilePatternList, maskSource, parsePatternList, type CompiledPatternList } from './patterns.js';
export {
  DEFAULT_RETENTION_DAYS,
  correctSummary,
  dailyCutoff,
  expired,
  expiredDailyKeys,
  sweepPairs,
  type PairSweep,
  type SweepCorrection,
} from './retention.js';
export {
  MemoryAssocState,
  NEW_VALUES,
  TOP_VALUES,
  dailyKey,
  pairCountToday,
  pairKey,
  splitKey,
  summaryToday,
  type AssocStateAccess,
  type DailyItemStats,
  type PairState,
  type SummaryState,
} from './state.js';
export {
  DEFINITION_INDEX,
  PAIR_INDEX,
  definitionDocument,
  failedDefinitionDocument,
  failedDefinitions,
  pairDocId,
  pairDocument,
  type DefinitionDocument,
  type IndexedDocument,
  type PairDocument,
} from './documents.js';
