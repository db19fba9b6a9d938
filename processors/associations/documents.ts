// Elasticsearch documents for the Associations tab (the manual's columns), built from state.
//
//   smf-associations              one document per pair, _id = pairDocId(def, v1, v2)
//   smf-association-definitions   one document per definition, _id = definition id
//
// Both are upserted by _id (index, not create): re-indexing a changed pair or summary replaces its
// document, so a replay never duplicates. Mappings: mappings/associations.json and
// mappings/association-definitions.json.
//
// "Today" in a document is a snapshot taken at `today` (the writer's local day). A pair that is
// not seen again keeps its last count.today in the index after midnight; views that need Today
// should filter on association.day = the current day (the summary document is rewritten by the
// runtime at rollover, pairs are not).

import { createHash } from 'node:crypto';
import type { CompiledDefinition, DefinitionError } from './definition.js';
import { pairCountToday, summaryToday, type PairState, type SummaryState } from './state.js';

export const PAIR_INDEX = 'smf-associations';
export const DEFINITION_INDEX = 'smf-association-definitions';

/** 128 bits of SHA-256 over def, v1, v2 (NUL-separated; none contains NUL), base64url: 22 characters. */
export function pairDocId(def: string, v1: string, v2: string): string {
  return createHash('sha256').update(`${def}\0${v1}\0${v2}`, 'utf8').digest().subarray(0, 16).toString('base64url');
}

export interface PairDocument {
  '@timestamp': string;
  association: {
    definition: { id: string; name: string };
    field1: { label: string; value: string };
    field2: { label: string; value: string };
    first_seen: string;
    last_seen: string;
    day: string;
    count: { today: number; history: number };
  };
}

export interface DefinitionDocument {
  '@timestamp': string;
  association: {
    definition: {
      id: string;
      name: string;
      description?: string;
      enabled?: boolean;
      source?: string;
      field1?: { label: string };
      field2?: { label: string };
    };
    status: 'ok' | 'error';
    error?: string;
    last_message?: string;
    day?: string;
    unique: { today: number; history: number };
    messages: { today: number; history: number };
    retention: { dropped_pairs: number; dropped_messages: number };
  };
}

export interface IndexedDocument<T> {
  index: string;
  id: string;
  doc: T;
}

type DefinitionInfo = Pick<CompiledDefinition, 'id' | 'name' | 'field1' | 'field2'>;

const iso = (ms: number): string => new Date(ms).toISOString();

/** The pair's document; @timestamp is last_seen so time pickers show recently active pairs. */
export function pairDocument(def: DefinitionInfo, pair: PairState, today: string): IndexedDocument<PairDocument> {
  return {
    index: PAIR_INDEX,
    id: pairDocId(pair.def, pair.v1, pair.v2),
    doc: {
      '@timestamp': iso(pair.lastSeen),
      association: {
        definition: { id: def.id, name: def.name },
        field1: { label: def.field1.label, value: pair.v1 },
        field2: { label: def.field2.label, value: pair.v2 },
        first_seen: iso(pair.firstSeen),
        last_seen: iso(pair.lastSeen),
        day: pair.day,
        count: { today: pairCountToday(pair, today), history: pair.historyCount },
      },
    },
  };
}

function counts(summary: SummaryState | undefined, today: string): Omit<DefinitionDocument['association'], 'definition' | 'status' | 'error'> {
  if (summary === undefined) {
    return { unique: { today: 0, history: 0 }, messages: { today: 0, history: 0 }, retention: { dropped_pairs: 0, dropped_messages: 0 } };
  }
  const t = summaryToday(summary, today);
  return {
    last_message: iso(summary.lastMessage),
    day: summary.day,
    unique: { today: t.unique, history: summary.uniqueHistory },
    messages: { today: t.messages, history: summary.messagesHistory },
    retention: { dropped_pairs: summary.droppedPairs, dropped_messages: summary.droppedMessages },
  };
}

/** A loaded definition's row: @timestamp is when the row was written (`now`). */
export function definitionDocument(def: CompiledDefinition, summary: SummaryState | undefined, today: string, now: number): IndexedDocument<DefinitionDocument> {
  return {
    index: DEFINITION_INDEX,
    id: def.id,
    doc: {
      '@timestamp': iso(now),
      association: {
        definition: {
          id: def.id,
          name: def.name,
          description: def.description,
          enabled: def.enabled,
          source: def.source,
          field1: { label: def.field1.label },
          field2: { label: def.field2.label },
        },
        status: 'ok',
        ...counts(summary, today),
      },
    },
  };
}

/**
 * Errors of definitions that did not load, grouped by id. Ids that did load are left out: a
 * duplicate id is an error of the later file only, and the loaded definition keeps its row.
 */
export function failedDefinitions(errors: readonly DefinitionError[], loaded: ReadonlySet<string>): Map<string, DefinitionError[]> {
  const out = new Map<string, DefinitionError[]>();
  for (const e of errors) {
    if (loaded.has(e.id)) continue;
    const list = out.get(e.id) ?? [];
    list.push(e);
    out.set(e.id, list);
  }
  return out;
}

/**
 * The row of a definition that cannot be loaded: status "error", every problem in `error`, and the
 * counts kept from before (History survives a broken edit).
 */
export function failedDefinitionDocument(id: string, errors: readonly DefinitionError[], summary: SummaryState | undefined, today: string, now: number): IndexedDocument<DefinitionDocument> {
  return {
    index: DEFINITION_INDEX,
    id,
    doc: {
      '@timestamp': iso(now),
      association: {
        definition: { id, name: id, ...(errors[0] ? { source: errors[0].source } : {}) },
        status: 'error',
        error: errors.map((e) => e.message).join('\n'),
        ...counts(summary, today),
      },
    },
  };
}
