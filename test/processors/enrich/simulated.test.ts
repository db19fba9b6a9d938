// End to end against the incident simulator's ground truth: simulated lines → parse → normalize →
// enrich. Every value the session cache fills must be the true one (no wrong user, IP or
// terminal, the costly failure: an analyst would follow the wrong person), and most records that
// lack a user must get one.
import test from 'ava';
import { createEnricher } from '../../../processors/enrich/index.js';
import { createNormalizer } from '../../../processors/normalize/index.js';
import { createParser } from '../../../processors/parse/index.js';
import { simulate, type SimFormat } from '../../../processors/simulate/index.js';

interface Tally {
  lackedUser: number;
  filledUser: number;
  wrong: string[];
  filledIp: number;
  filledTerminal: number;
}

function replay(format: SimFormat): Tally {
  const parser = createParser({ format: 'auto' });
  const normalizer = createNormalizer({});
  const enricher = createEnricher();
  const tally: Tally = { lackedUser: 0, filledUser: 0, wrong: [], filledIp: 0, filledTerminal: 0 };
  for (const line of simulate({ users: 40, days: 2, format, seed: 11 })) {
    const parsed = parser.parse(line.text);
    if (!parsed.ok || parsed.record === null) continue;
    const normalized = normalizer.normalize(parsed.record, { receivedAt: line.time, inputName: 'sim' });
    if (!normalized.ok) continue;
    const doc = normalized.doc;
    const lacked = { user: doc.user?.name === undefined, ip: doc.source?.ip === undefined, terminal: doc.zos?.terminal === undefined };
    enricher.enrich(doc);
    const truth = line.truth;
    const check = (what: string, filled: string | undefined, expected: string | undefined) => {
      if (filled !== expected) tally.wrong.push(`${what} ${filled} for ${expected} on ${truth.kind} at ${doc['@timestamp']} (${doc.enrichment?.sources?.join(', ')})`);
    };
    if (lacked.user) {
      tally.lackedUser++;
      if (doc.user?.name !== undefined) {
        tally.filledUser++;
        check('user', doc.user.name, truth.user);
      }
    }
    if (lacked.ip && doc.source?.ip !== undefined) {
      tally.filledIp++;
      check('ip', doc.source.ip, truth.ip);
    }
    if (lacked.terminal && doc.zos?.terminal !== undefined) {
      tally.filledTerminal++;
      check('terminal', doc.zos.terminal, truth.terminal);
    }
  }
  return tally;
}

for (const [format, minCoverage] of [['leef', 0.9], ['mixed', 0.7]] as const) {
  test(`simulated ${format} feed: every filled user, IP and terminal is the true one`, (t) => {
    const tally = replay(format);
    t.deepEqual(tally.wrong.slice(0, 5), []);
    const coverage = tally.filledUser / tally.lackedUser;
    t.log(`${format}: user filled on ${tally.filledUser} of ${tally.lackedUser} records that lacked it (${(coverage * 100).toFixed(1)} %); ${tally.filledIp} IPs, ${tally.filledTerminal} terminals filled`);
    t.true(coverage >= minCoverage, `coverage ${coverage}`);
    t.true(tally.filledIp > 0 && tally.filledTerminal > 0);
  });
}
