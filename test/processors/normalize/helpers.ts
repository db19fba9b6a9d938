// Shared builders for normalizer tests: ParsedRecords are written by hand (the parser is tested
// on its own), normalized with a fixed receipt time.

import type { ExecutionContext } from 'ava';
import { createNormalizer, type NormalizerOptions } from '../../../processors/normalize/index.js';
import type { EventDoc } from '../../../processors/schema/event.js';
import type { ParsedRecord } from '../../../processors/schema/record.js';

export const RECEIVED_AT = new Date('2025-03-03T12:00:00.000Z');

export function record(fields: ParsedRecord['fields'], rest: Partial<ParsedRecord> = {}): ParsedRecord {
  return { format: 'json', ...rest, fields };
}

/** Normalize one record and return the document, failing the test when it is refused. */
export function normalizeOk(t: ExecutionContext, rec: ParsedRecord, options: NormalizerOptions = {}): EventDoc {
  const result = createNormalizer(options).normalize(rec, { receivedAt: RECEIVED_AT, inputName: 'test' });
  if (!result.ok) {
    t.fail(`refused: ${result.code}: ${result.reason}`);
    throw new Error('unreachable');
  }
  return result.doc;
}
