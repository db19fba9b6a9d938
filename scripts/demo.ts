// npm run demo — the whole product on the bundled sample feed, end to end:
//   1. an Elasticsearch: ES_URL (+ ES_USERNAME/ES_PASSWORD or ES_API_KEY), else the local node
//   2. `setup`: index templates
//   3. the agent, in this process, reads every feed in samples/demo/ until all of it is committed
//   4. a summary of what was indexed and how to look at it
// The local node is left running so the data can be explored; `npm run es:stop` stops it.

import { copyFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAgent } from '../agent/agent.js';
import { parseConfig } from '../agent/config/load.js';
import { describeError, SmfError } from '../agent/errors.js';
import { connectionFromEnv, createClient, type ConnectionSettings } from '../agent/outputs/elasticsearch/client.js';
import { installTemplates } from '../agent/outputs/elasticsearch/templates.js';
import { StateStore } from '../agent/store/store.js';
import { createLogger } from '../agent/telemetry/logger.js';
import type { FileCursor } from '../agent/inputs/file/identity.js';
import * as node from './es/local-node.js';
import { writeDemoFeed } from '../agent/cli/simulate.js';
import { runAnomaliesCommand } from '../agent/anomaly/cli.js';
import { formatSummary } from '../agent/anomaly/job.js';
import { LocalCalendar } from '../processors/associations/index.js';
import { printSummary } from './demo-summary.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = join(ROOT, '.demo');
const FEEDS = join(WORK, 'feeds');
const SAMPLES = join(ROOT, 'samples');
const ZONE = 'Europe/Berlin';
const DEMO_INDICES = ['smf-events-demo', 'smf-deadletter-demo', 'smf-associations-demo', 'smf-association-definitions-demo', 'smf-anomalies-demo', 'smf-anomaly-runs-demo'];
const say = (s: string) => console.log(`\x1b[1m==>\x1b[0m ${s}`);

async function main(): Promise<void> {
  const t0 = Date.now();
  let conn: ConnectionSettings;
  const fromEnv = connectionFromEnv();
  if (fromEnv) {
    conn = fromEnv;
    say(`using Elasticsearch at ${conn.hosts.join(', ')} (ES_URL)`);
  } else {
    say('starting the local Elasticsearch (first run fetches it from Maven Central) …');
    const c = await node.start({ log: (s) => console.log(`    ${s}`) });
    conn = { hosts: [c.url], username: c.username, password: c.password };
    say(`Elasticsearch ${c.version} at ${c.url} ${c.alreadyRunning ? '(already running)' : `healthy after ${(c.startedMs / 1000).toFixed(1)} s`}`);
  }
  const es = createClient(conn);
  const installed = await installTemplates(es);
  say(`installed ${installed.length} index/component templates`);

  rmSync(WORK, { recursive: true, force: true });
  // The simulated feed: two weeks of a mainframe's security messages ending yesterday, in every
  // wire format, with labelled incidents injected on the last day.
  const yesterday = new LocalCalendar(ZONE).dayOf(Date.now() - 86_400_000);
  const sim = writeDemoFeed(FEEDS, yesterday);
  say(`simulated two LPAR feeds, ${sim.lines} lines over 14 days ending ${yesterday} (${ZONE}): SYSA as zSecure LEEF with 5 injected incidents on the last day, SYSB as BMC syslog`);
  // The small sample feeds show the other wire formats (CEF, RFC 5424 alerts, JSON, EasySMF, CSV).
  for (const f of readdirSync(SAMPLES).filter((x) => /\.(log|csv)$/.test(x))) copyFileSync(join(SAMPLES, f), join(FEEDS, `sample-${f}`));
  const feeds = readdirSync(FEEDS).filter((f) => /\.(log|csv)$/.test(f)).sort();
  // Fresh indices, so the summary counts this run only.
  for (const index of DEMO_INDICES) await es.indices.delete({ index, ignore_unavailable: true });

  const config = parseConfig(
    JSON.stringify({
      agent: { name: 'smf-agent-demo', data_dir: join(WORK, 'data'), timezone: ZONE },
      inputs: feeds.map((f) => ({
        type: 'file',
        name: f.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60),
        paths: [join(FEEDS, f)],
        format: f.endsWith('.csv') ? 'csv' : 'auto',
        timezone: ZONE,
      })),
      output: {
        elasticsearch: {
          hosts: conn.hosts,
          ...(conn.username ? { username: conn.username, password: conn.password ?? '' } : {}),
          ...(conn.apiKey ? { api_key: conn.apiKey } : {}),
          ...(conn.caCert ? { ca_cert: conn.caCert } : {}),
          index: 'smf-events-demo',
        },
      },
      dead_letter: { index: 'smf-deadletter-demo', file: join(WORK, 'dead-letter.jsonl') },
      associations: { index: 'smf-associations-demo', definitions_index: 'smf-association-definitions-demo', flush_interval_ms: 1000 },
      // The nightly job runs below, once the whole feed is in: at start-up the agent would catch
      // up days whose data is still in the backlog it is about to read.
      anomalies: { enabled: false, index: 'smf-anomalies-demo', runs_index: 'smf-anomaly-runs-demo' },
      monitoring: { enabled: false },
      logging: { level: 'warn' },
    }),
    { source: 'demo configuration' },
  );
  const totalBytes = feeds.reduce((s, f) => s + statSync(join(FEEDS, f)).size, 0);
  say(`agent reading ${feeds.length} feeds (${(totalBytes / 1e6).toFixed(1)} MB): ${feeds.join(', ')}`);
  const agent = await startAgent(config, { logger: createLogger({ level: 'warn', pretty: true }) });
  const tRun = Date.now();
  // Done when the committed positions cover every byte of every feed.
  // A feed whose last line has no newline never completes that line: stop after 15 s without progress.
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const committed = committedBytes(agent.store);
    if (committed >= totalBytes) break;
    if (committed !== last) [last, lastChange] = [committed, Date.now()];
    else if (Date.now() - lastChange > 15_000) {
      say(`no progress for 15 s at ${committed} of ${totalBytes} bytes; stopping (an unterminated last line?)`);
      break;
    }
    await sleep(250);
  }
  await agent.stop('demo feed fully delivered');
  const s = agent.pipeline.stats;
  say(`agent done in ${((Date.now() - tRun) / 1000).toFixed(1)} s: ${s.events} lines → ${s.delivered} indexed, ${s.duplicates} duplicates, ${s.deadLettered} dead-lettered, ${s.skipped} header rows`);
  // The nightly job for the day the incidents happened, against the two weeks before it.
  const run = await runAnomaliesCommand(config, yesterday, createLogger({ level: 'warn', pretty: true }));
  say(formatSummary(run));
  await es.indices.refresh({ index: DEMO_INDICES.join(','), ignore_unavailable: true });
  await printSummary(es, conn, {
    events: 'smf-events-demo',
    deadLetters: 'smf-deadletter-demo',
    pairs: 'smf-associations-demo',
    rows: 'smf-association-definitions-demo',
    anomalies: 'smf-anomalies-demo',
    truthDir: join(FEEDS, 'truth'),
    day: yesterday,
  });
  await es.close();
  say(`finished in ${((Date.now() - t0) / 1000).toFixed(1)} s.${fromEnv ? '' : ' The local node keeps running for you to explore; stop it with: npm run es:stop'}`);
}

/** Sum of the committed file positions in the agent's store. */
function committedBytes(store: StateStore): number {
  let sum = 0;
  for (const { value } of store.db<string, FileCursor>('cursors').getRange()) sum += value.offset;
  return sum;
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`demo failed: ${describeError(err)}`);
    if (err instanceof SmfError && err.hint) console.error(`hint: ${err.hint}`);
    process.exit(1);
  },
);
