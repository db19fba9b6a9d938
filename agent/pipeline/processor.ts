// Per-input line processing: raw line → parse → normalize → (enrich, associate: later stages) →
// a PipelineEvent with its deterministic id and serialised JSON, or a dead letter with the
// reason. Pure per line and total: any failure becomes a counted dead letter, never a throw.

import type { AgentConfig, InputConfig } from '../config/schema.js';
import type { AgentContext } from '../context.js';
import { createParser } from '../../processors/parse/index.js';
import { createNormalizer } from '../../processors/normalize/index.js';
import { AGENT_VERSION, type EventDoc } from '../../processors/schema/event.js';
import type { DeadLetter, RawLine } from './event.js';
import { eventId } from './ids.js';
import type { LineProcessor } from './pipeline.js';

/**
 * `enrich` (optional) fills user, IP and job name from what the stream taught it; it is called in
 * line order, after normalization and before the document is serialised.
 */
export function createLineProcessor(
  input: InputConfig,
  config: AgentConfig,
  ctx: Pick<AgentContext, 'logger'>,
  enrich?: (doc: EventDoc) => void,
): LineProcessor {
  const parser = createParser({ format: input.format, maxLineLength: input.max_line_bytes });
  const normalizer = createNormalizer({
    profile: input.profile,
    timezone: input.timezone ?? config.agent.timezone,
    aliases: input.aliases,
  });
  const agent = { type: 'smf-agent' as const, version: AGENT_VERSION, name: config.agent.name };
  const dead = (line: RawLine, stage: DeadLetter['stage'], code: string, reason: string) => ({
    deadLetter: { stage, code, reason: `${reason} (input '${line.source.input}'${line.source.path ? `, ${line.source.path} at byte ${line.source.offset}` : ''})`, line },
  });

  return {
    process(line: RawLine) {
      if (line.tooLong) return dead(line, 'parse', 'too_long', `line longer than max_line_bytes (${input.max_line_bytes})`);
      let parsed;
      try {
        parsed = parser.parse(line.text);
      } catch (err) {
        // Parsers are total; this is a defect, still never a crash.
        ctx.logger.error(`parser threw: ${(err as Error).message}`);
        return dead(line, 'parse', 'parser_error', (err as Error).message);
      }
      if (!parsed.ok) return dead(line, 'parse', parsed.code, parsed.reason);
      if (parsed.record === null) return { skip: true as const }; // e.g. a CSV header row
      let normalized;
      try {
        normalized = normalizer.normalize(parsed.record, { receivedAt: new Date(line.receivedAt), inputName: line.source.input });
      } catch (err) {
        ctx.logger.error(`normalizer threw: ${(err as Error).message}`);
        return dead(line, 'normalize', 'normalize_error', (err as Error).message);
      }
      if (!normalized.ok) return dead(line, 'normalize', normalized.code, normalized.reason);
      const doc = normalized.doc;
      enrich?.(doc);
      doc.agent = agent;
      if (line.source.path !== undefined) doc.log = { ...doc.log, file: { path: line.source.path }, offset: line.source.offset };
      if (input.keep_original) doc.event.original = line.text;
      return { event: { id: eventId(line), doc, json: JSON.stringify(doc), line } };
    },
  };
}
