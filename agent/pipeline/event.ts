// The records that travel through the pipeline. What is indexed (`doc`) is kept apart from what
// never is: where the line came from (for checkpoints) and its raw text (for dead letters).

import type { EventDoc } from '../../processors/schema/event.js';

/** Where a line sits in its source; the pipeline commits `end` once the line is fully handled. */
export interface SourceRef {
  input: string; // input name
  /** Store key of the source's cursor (a file identity); absent for sources without positions. */
  cursorKey?: string;
  /** Stable identity of the source (file fingerprint); with `offset` it makes the document id. */
  identity?: string;
  path?: string;
  /** Network sources: the sender's address ("ip:port"); carried, not indexed. */
  peer?: string;
  offset: number; // byte offset of the line's first byte
  end: number; // byte offset just past the line's terminator
}

/** One line as an input emits it. `text` has no terminator; `tooLong` lines carry a prefix only. */
export interface RawLine {
  text: string;
  bytes: number;
  source: SourceRef;
  receivedAt: number; // epoch ms
  tooLong?: boolean;
}

/** A processed event ready for an output. */
export interface PipelineEvent {
  id: string; // deterministic document id
  doc: EventDoc;
  /** JSON of `doc`, serialised once (outputs size and send it). */
  json: string;
  line: RawLine;
}

/** A line or document that could not be delivered as an event, with the reason. */
export interface DeadLetter {
  stage: 'parse' | 'normalize' | 'output';
  code: string; // stable reason code (RejectCode, or the Elasticsearch error type)
  reason: string;
  line: RawLine;
  document?: string; // the refused document's JSON, for output rejections
}
