// Tests are TypeScript run through tsx. Files that touch Elasticsearch read ES_URL, which
// scripts/with-es.ts sets for the whole run (one local node per run unless ES_URL is given).
export default {
  files: ['test/**/*.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  timeout: '10m', // inactivity limit: end-to-end tests run real processes on 2 shared cores
  workerThreads: false,
  concurrency: 2,
};
