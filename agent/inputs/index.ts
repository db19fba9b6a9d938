// Builds an input from its configuration (one case per input type).

import type { InputConfig } from '../config/schema.js';
import type { AgentContext } from '../context.js';
import type { StateStore } from '../store/store.js';
import { FileInput } from './file/index.js';
import type { Input } from './input.js';
import { StdinInput } from './stdin/index.js';
import { createSyslogInput } from './syslog/index.js';

/** `store.dir` is agent.data_dir: inputs keep their local files (the UDP spool) under it. */
export function createInput(config: InputConfig, ctx: AgentContext, store: StateStore): Input {
  switch (config.type) {
    case 'file':
      return new FileInput(config, ctx, store);
    case 'syslog':
      return createSyslogInput(config, ctx, store.dir);
    case 'stdin':
      return new StdinInput(config, ctx);
  }
}
