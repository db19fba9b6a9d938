// The shape of an association definition as written in YAML (domain.md §4), checked with zod.
//
// This file checks structure only: keys, types, ranges, which options go together. Whether a path
// names an EventDoc field, whether a regular expression compiles, whether a list exists, are
// checked when the definition is compiled (extract.ts, definition.ts), with the same key-path
// error format. Unknown keys are rejected everywhere, so a misspelt option is an error rather
// than a silently ignored line.
//
//   id: userid-dsn                  # slug, unique; also the state and document key
//   name: Userid and DSN
//   description: Which data sets each user touches.
//   enabled: true                   # default true; disabled definitions load but never fire
//   field1: { label: Userid, from: { path: user.name } }
//   field2: { label: DSN, from: { path: zos.dsn, transform: upper } }
//   filter:                         # optional; every given criterion must hold
//     datasets: [smf.racf]          # event.dataset is one of these
//     types: [80, '119-20']         # smf.type (or "type-subtype") is one of these
//     categories: [authentication]  # event.category shares one of these
//     patterns: { path: zos.dsn, list: pii, match: glob }   # or a list of such; all must hold
//
// A `from` reads its source text from `path` or `template` ("{host.name}/{zos.terminal}": every
// placeholder must be present), then optionally narrows it with one of `regex` (+ `group`,
// `flags`), `columns: [start, end]` (1-based, inclusive, trailing blanks dropped) or
// `split: { separator, index }` (0-based; negative counts from the end), then applies
// `transform` (one or a list of upper|lower|trim, in order). An empty result means "absent".

import { z } from 'zod';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const TransformSchema = z.enum(['upper', 'lower', 'trim']);
export type Transform = z.infer<typeof TransformSchema>;

export const FromSchema = z
  .strictObject({
    path: z.string().min(1).optional(),
    template: z.string().min(1).optional(),
    regex: z.string().min(1).optional(),
    flags: z.string().regex(/^(?!.*(.).*\1)[imsu]*$/, 'flags may only be i, m, s, u, each at most once').optional(),
    group: z.union([z.int().min(0), z.string().min(1)]).optional(),
    columns: z.tuple([z.int().min(1), z.int().min(1)]).optional(),
    split: z.strictObject({ separator: z.string().min(1), index: z.int() }).optional(),
    transform: z.union([TransformSchema, z.array(TransformSchema).min(1)]).optional(),
  })
  .superRefine((from, ctx) => {
    if ((from.path === undefined) === (from.template === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of path or template', path: [] });
    }
    const narrowing = (['regex', 'columns', 'split'] as const).filter((k) => from[k] !== undefined);
    if (narrowing.length > 1) {
      ctx.addIssue({ code: 'custom', message: `give at most one of regex, columns, split (got ${narrowing.join(', ')})`, path: [] });
    }
    for (const k of ['group', 'flags'] as const) {
      if (from[k] !== undefined && from.regex === undefined) {
        ctx.addIssue({ code: 'custom', message: `${k} is only meaningful with regex`, path: [k] });
      }
    }
    if (from.columns !== undefined && from.columns[0] > from.columns[1]) {
      ctx.addIssue({ code: 'custom', message: `start column ${from.columns[0]} is after end column ${from.columns[1]}`, path: ['columns'] });
    }
  });
export type FromSpec = z.infer<typeof FromSchema>;

export const FieldSchema = z.strictObject({
  label: z.string().min(1).max(100),
  from: FromSchema,
});
export type FieldSpec = z.infer<typeof FieldSchema>;

export const PatternFilterSchema = z.strictObject({
  path: z.string().min(1),
  list: z.string().min(1),
  match: z.literal('glob').default('glob'),
});
export type PatternFilterSpec = z.infer<typeof PatternFilterSchema>;

const SmfType = z.union([
  z.int().min(0).max(255),
  z.string().regex(/^\d{1,3}(?:-\d{1,5})?$/, 'an SMF type is a number (80) or "type-subtype" ("119-20")'),
]);

export const FilterSchema = z.strictObject({
  datasets: z.array(z.string().min(1)).min(1).optional(),
  types: z.array(SmfType).min(1).optional(),
  categories: z.array(z.string().min(1)).min(1).optional(),
  patterns: z.union([PatternFilterSchema, z.array(PatternFilterSchema).min(1)]).optional(),
});
export type FilterSpec = z.infer<typeof FilterSchema>;

export const DefinitionSchema = z.strictObject({
  id: z.string().max(64).regex(SLUG, 'an id is a slug: lower-case letters and digits separated by single hyphens'),
  name: z.string().min(1).max(200),
  description: z.string().default(''),
  enabled: z.boolean().default(true),
  field1: FieldSchema,
  field2: FieldSchema,
  filter: FilterSchema.optional(),
});
/** A definition as loaded, defaults applied. */
export type AssociationDefinition = z.infer<typeof DefinitionSchema>;
