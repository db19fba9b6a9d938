// Runs a command with an Elasticsearch for it: ES_URL (and credentials) when the caller set it,
// otherwise the local development node, started for the run and stopped afterwards (unless it
// was already running, in which case it is left as found). Used by `npm test` and `npm run bench`.
//
//   tsx scripts/with-es.ts <command> [args…]

import { spawn } from 'node:child_process';
import { describeError, SmfError } from '../agent/errors.js';
import * as node from './es/local-node.js';

const log = (s: string) => console.error(`[with-es] ${s}`);

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0) throw new SmfError('SMF_ERR_USAGE', 'usage: tsx scripts/with-es.ts <command> [args…]');
  const env = { ...process.env };
  let startedHere = false;
  if (env.ES_URL) {
    log(`using ES_URL=${env.ES_URL}`);
  } else {
    const c = await node.start({ log });
    startedHere = !c.alreadyRunning;
    log(c.alreadyRunning ? `reusing the running local node at ${c.url}` : `local node ${c.version} healthy after ${(c.startedMs / 1000).toFixed(1)} s`);
    Object.assign(env, { ES_URL: c.url, ES_USERNAME: c.username, ES_PASSWORD: c.password, SMF_ES_LOCAL_HOME: c.home });
  }
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit', env });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward).on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) => child.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1))));
  if (startedHere) {
    await node.stop();
    log('local node stopped');
  }
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[with-es] error: ${describeError(err)}`);
    if (err instanceof SmfError && err.hint) console.error(`[with-es] hint: ${err.hint}`);
    process.exit(1);
  },
);
