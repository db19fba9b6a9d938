// `associations:` configuration. Definitions are YAML files (config/associations/ ships the 19
// defaults); pattern lists (PII, honeypot, sensitive data set masks) are text files, one mask a line.

import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The package's own config/ directory (bundled definitions and lists). */
export const BUNDLED_CONFIG = fileURLToPath(new URL('../../config/', import.meta.url)).replace(/\/dist\/config\/$/, '/config/');

const indexName = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lowercase index name');

export const associationsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Load the 19 bundled default definitions (config/associations/*.yaml of the package). */
  include_defaults: z.boolean().default(true),
  /** More definition files or globs (relative to the config file). A file with a bundled id replaces it. */
  definitions: z.array(z.string().min(1)).default([]),
  /** Pattern lists by name (relative to the config file); bundled pii/honeypot/sensitive unless overridden. */
  lists: z.record(z.string().regex(/^[a-z0-9_-]+$/), z.string().min(1)).default({}),
  /** Pairs not seen for this many days are dropped from the store and from Elasticsearch. */
  retention_days: z.number().int().min(1).max(3650).default(30),
  /** How often changed association and definition documents are written to Elasticsearch. */
  flush_interval_ms: z.number().int().min(100).default(5000),
  index: indexName.default('smf-associations-default'),
  definitions_index: indexName.default('smf-association-definitions-default'),
});

export type AssociationsConfig = z.infer<typeof associationsSchema>;
