// npm run es:start | es:stop | es:status | es:features — the local development node (scripts/es/local-node.ts).

import { createClient } from '../agent/outputs/elasticsearch/client.js';
import { detectFeatures } from '../agent/outputs/elasticsearch/features.js';
import { describeError, SmfError } from '../agent/errors.js';
import * as node from './es/local-node.js';

const log = (s: string) => console.error(`[es] ${s}`);

async function main(cmd: string | undefined): Promise<number> {
  switch (cmd) {
    case 'start': {
      const c = await node.start({ log });
      log(c.alreadyRunning ? 'already running' : `healthy after ${(c.startedMs / 1000).toFixed(1)} s`);
      console.log(`ES_URL=${c.url} ES_USERNAME=${c.username} ES_PASSWORD=${c.password}`);
      return 0;
    }
    case 'stop':
      log((await node.stop()) ? 'stopped' : 'was not running');
      return 0;
    case 'status': {
      const s = await node.status();
      if (!s.running) {
        console.log(`not running (home ${node.nodeHome()})`);
        return 3;
      }
      console.log(`running pid ${s.pid}, health ${s.health}, Elasticsearch ${node.ES_VERSION}`);
      console.log(`ES_URL=${s.connection!.url} ES_USERNAME=${s.connection!.username} ES_PASSWORD=${s.connection!.password}`);
      return 0;
    }
    case 'features': {
      const s = await node.status();
      if (!s.running) throw new SmfError('SMF_ERR_ES_LOCAL', 'the local node is not running', { hint: 'npm run es:start' });
      const es = createClient({ hosts: [s.connection!.url], username: s.connection!.username, password: s.connection!.password });
      console.log(JSON.stringify(await detectFeatures(es), null, 2));
      await es.close();
      return 0;
    }
    default:
      console.error('usage: tsx scripts/es.ts start|stop|status|features');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[es] error: ${describeError(err)}`);
    if (err instanceof SmfError && err.hint) console.error(`[es] hint: ${err.hint}`);
    process.exit(1);
  },
);
