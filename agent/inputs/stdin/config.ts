// Configuration of the stdin input: only the decoding keys. Built by a function for the same
// reason as the syslog schema (agent/inputs/syslog/config.ts): no runtime import of schema.ts.

import { z } from 'zod';
import type { decoding as Decoding, InputConfig } from '../../config/schema.js';

export function stdinInputSchema(shared: { name: z.ZodString; decoding: typeof Decoding }) {
  return z.strictObject({
    type: z.literal('stdin'),
    name: shared.name,
    ...shared.decoding,
  });
}

export type StdinInputConfig = Extract<InputConfig, { type: 'stdin' }>;
