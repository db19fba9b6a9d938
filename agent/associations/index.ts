// The association runtime: definitions loaded from files, the stage that counts inside the
// commit transaction, and the indexer that writes documents. Used by the agent and by backfill.

import type { Client } from '@elastic/elasticsearch';
import { LocalCalendar } from '../../processors/associations/index.js';
import type { AgentConfig } from '../config/schema.js';
import type { AgentContext } from '../context.js';
import { ElasticsearchOutput } from '../outputs/elasticsearch/index.js';
import type { DeliveryOptions } from '../pipeline/delivery.js';
import type { StateStore } from '../store/store.js';
import { AssociationIndexer } from './indexer.js';
import { loadDefinitions, type LoadResult } from './loader.js';
import { LmdbAssocState } from './lmdb-state.js';
import { AssociationStage } from './stage.js';

export interface Associations {
  stage: AssociationStage;
  indexer: AssociationIndexer;
  loaded: LoadResult;
  state: LmdbAssocState;
  calendar: LocalCalendar;
}

/**
 * Loads the definitions (those that fail are logged, by name and problem, and skipped) and builds
 * the stage and indexer. `day` files every observation under that local day (backfill).
 */
export function createAssociations(
  config: AgentConfig,
  ctx: AgentContext,
  store: StateStore,
  client: Client,
  delivery: DeliveryOptions,
  opts: { day?: string } = {},
): Associations | undefined {
  const c = config.associations;
  if (!c.enabled) return undefined;
  const loaded = loadDefinitions(c);
  for (const e of loaded.listErrors) ctx.logger.error(e);
  for (const e of loaded.errors) ctx.logger.error(`ERROR loading association definition: ${e.message}`, { definition: { id: e.id, source: e.source } });
  const enabled = loaded.definitions.filter((d) => d.enabled);
  ctx.logger.info(`associations: ${enabled.length} definitions enabled, ${loaded.definitions.length - enabled.length} disabled, ${loaded.errors.length} errors`);
  const state = new LmdbAssocState(store);
  const calendar = new LocalCalendar(config.agent.timezone);
  const es = config.output.elasticsearch;
  const indexer = new AssociationIndexer(c, {
    ctx,
    store,
    state,
    loaded,
    calendar,
    pairs: new ElasticsearchOutput({ ...es, index: c.index }, ctx, client, { op: 'index', name: 'associations' }),
    rows: new ElasticsearchOutput({ ...es, index: c.definitions_index, concurrency: 1 }, ctx, client, { op: 'index', name: 'association-definitions' }),
    client,
    delivery,
  });
  const stage = new AssociationStage(enabled, state, calendar, ctx.clock, opts.day, ctx.metrics);
  return { stage, indexer, loaded, state, calendar };
}
