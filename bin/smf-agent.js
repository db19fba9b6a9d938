#!/usr/bin/env node
// The smf-agent command: the compiled CLI when built (npm run build, the Docker image), otherwise
// the TypeScript sources through tsx (a development checkout after `npm install`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/agent/cli/main.js', import.meta.url));
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../agent/cli/main.ts', import.meta.url).href);
}
