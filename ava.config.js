// Tests are TypeScript run through tsx. Files that touch Elasticsearch read ES_URL, which
// scripts/with-es.ts sets for the whole run (one local node per run unless ES_URL is given).
export default {
  files: ['test/**/*.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  timeout: '3m',
  workerThreads: false,
  concurrency: 2,
};
