// Retention through the association runtime, against the real Elasticsearch: pairs unseen for
// retention_days leave the store and the index (deleted by id: the test node has no
// delete-by-query); recent pairs stay; the definition row records what was dropped.
import test from 'ava';
import { join } from 'node:path';
import { createAssociations } from '../../../agent/associations/index.js';
import { parseConfig } from '../../../agent/config/load.js';
import { StateStore } from '../../../agent/store/store.js';
import { pairDocId } from '../../../processors/associations/index.js';
import { useEs } from '../../helpers/es.js';
import { testContext } from '../../helpers/context.js';
import { tempDir } from '../../helpers/agent-process.js';
import { installTemplates } from '../../../agent/outputs/elasticsearch/templates.js';
import { total } from '../../../agent/telemetry/metrics.js';

const DAY = 86_400_000;

test('pairs unseen for retention_days are dropped from the store and from Elasticsearch', async (t) => {
  const { es, settings, prefix } = useEs(t);
  await installTemplates(es);
  const dir = tempDir();
  const config = parseConfig(
    JSON.stringify({
      agent: { data_dir: join(dir, 'data'), timezone: 'UTC' },
      inputs: [{ type: 'file', name: 'x', paths: ['x.log'] }],
      output: { elasticsearch: { hosts: settings.hosts, username: settings.username, password: settings.password } },
      associations: { index: `smf-associations-${prefix}`, definitions_index: `smf-association-definitions-${prefix}`, retention_days: 30 },
    }),
    { source: 'test' },
  );
  let now = Date.parse('2025-05-01T12:00:00Z');
  const ctx = { ...testContext(), clock: { now: () => now } };
  const store = StateStore.open(config.agent.data_dir);
  t.teardown(() => store.close());
  const assoc = createAssociations(config, ctx, store, es, { retryInitialMs: 10, retryMaxMs: 100 })!;
  const obs = (v1: string, v2: string, time: number) => ({ def: 'userid-dsn', v1, v2, time });
  // Seen 45 and 40 days before the sweep (old), and 2 days before (recent).
  const old = now;
  await store.commit(() => assoc.stage.apply([obs('ALICE', 'OLD.DATA', old), obs('BOB', 'OLD.DATA', old + 5 * DAY), obs('ALICE', 'NEW.DATA', old + 43 * DAY)]));
  now = old + 45 * DAY;
  await assoc.indexer.flush();
  const index = `smf-associations-${prefix}`;
  await es.indices.refresh({ index });
  t.is((await es.count({ index })).count, 3);

  const dropped = await assoc.indexer.sweep();
  t.is(dropped, 2);
  await es.indices.refresh({ index });
  const left = await es.search({ index, size: 10 });
  t.deepEqual(left.hits.hits.map((h) => h._id), [pairDocId('userid-dsn', 'ALICE', 'NEW.DATA')]);
  t.is(assoc.state.getPair('userid-dsn\u0000ALICE\u0000OLD.DATA'), undefined);
  t.truthy(assoc.state.getPair('userid-dsn\u0000ALICE\u0000NEW.DATA'));

  await assoc.indexer.flush();
  const rowsIndex = `smf-association-definitions-${prefix}`;
  await es.indices.refresh({ index: rowsIndex });
  const row = (await es.get({ index: rowsIndex, id: 'userid-dsn' }))._source as { association: { unique: { history: number }; retention: { dropped_pairs: number } } };
  t.is(row.association.unique.history, 3, 'History is cumulative: never reduced by retention');
  t.is(row.association.retention.dropped_pairs, 2);
  t.is(await total(ctx.metrics.associationsDropped), 2);
  t.is(await total(ctx.metrics.associationDocuments, { kind: 'pair' }), 3);
});
