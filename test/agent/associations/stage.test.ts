// The association stage on a real LMDB store: a group of batches committed together (group
// commit, applyGroup) leaves exactly the state that applying them one by one leaves.
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { AssociationStage } from '../../../agent/associations/stage.js';
import { DIRTY, LmdbAssocState } from '../../../agent/associations/lmdb-state.js';
import { StateStore } from '../../../agent/store/store.js';
import { LocalCalendar, type CompiledDefinition, type Observation } from '../../../processors/associations/index.js';

const NOW = Date.parse('2025-05-10T12:00:00Z');
const DAY = 86_400_000;

function stageOn(dir: string) {
  const store = StateStore.open(dir);
  const state = new LmdbAssocState(store);
  const stage = new AssociationStage([] as CompiledDefinition[], state, new LocalCalendar('Europe/Berlin'), { now: () => NOW });
  return { store, state, stage };
}

/** Every record of the association database; dirty markers by key only (their values are sequence numbers). */
function contents(state: LmdbAssocState): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const { key, value } of state.db.getRange({})) out.push([key, key.startsWith(DIRTY) ? 'dirty' : value]);
  return out;
}

const observation = fc.record({
  def: fc.constantFrom('userid-dsn', 'userid-terminal'),
  v1: fc.constantFrom('ALICE', 'BOB', 'CAROL'),
  v2: fc.constantFrom('A.B', 'C.D', 'E.F', 'G.H'),
  time: fc.integer({ min: NOW - 40 * DAY, max: NOW + DAY }),
});

test('applyGroup over consecutive batches equals apply batch by batch (property, real LMDB)', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(observation, { maxLength: 30 }), { minLength: 1, maxLength: 6 }), async (batches: Observation[][]) => {
      const one = stageOn(mkdtempSync(join(tmpdir(), 'smf-stage-a-')));
      const group = stageOn(mkdtempSync(join(tmpdir(), 'smf-stage-b-')));
      try {
        await one.store.commit(() => batches.forEach((b) => one.stage.apply(b)));
        await group.store.commit(() => group.stage.applyGroup(batches));
        t.deepEqual(contents(group.state), contents(one.state));
      } finally {
        await one.store.close();
        await group.store.close();
      }
    }),
    { numRuns: 25 },
  );
});
