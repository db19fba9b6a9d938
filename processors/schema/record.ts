// What the parse stage hands to normalization: the line taken apart, nothing renamed yet.
//
// A parser only splits syntax (envelope, header, fields); it never decides what a field means.
// Normalization (processors/normalize) maps `fields` onto the event schema through alias maps.

export type PayloadFormat = 'leef' | 'cef' | 'kv' | 'tagged' | 'json' | 'csv' | 'text';
export type EnvelopeKind = 'rfc5424' | 'rfc3164' | 'none';

export interface SyslogEnvelope {
  kind: 'rfc5424' | 'rfc3164';
  priority?: number; // PRI value (facility * 8 + severity)
  /** RFC 5424: the full timestamp as written (with offset). RFC 3164: "Mmm dd hh:mm:ss", no year, no zone. */
  timestamp?: string;
  hostname?: string;
  appName?: string; // RFC 5424 APP-NAME, RFC 3164 TAG (without the trailing ':' or '[pid]')
  procId?: string;
  msgId?: string;
  /** RFC 5424 structured data: SD-ID → params, values unescaped. */
  structuredData?: Record<string, Record<string, string>>;
}

export interface ParsedRecord {
  envelope?: SyslogEnvelope; // absent when the line had no syslog header
  format: PayloadFormat;
  /**
   * Format header, when the payload has one.
   * LEEF: vendor, product, version, eventId (e.g. "119-12"). CEF: vendor, product, version, signatureId, name, severity.
   * Stored as: `version` = the LEEF/CEF format version ("1.0", "0"), `productVersion` = the product's
   * version, `eventId` = LEEF EventID or CEF signature id. Empty header fields are absent.
   */
  header?: {
    version?: string;
    vendor?: string;
    product?: string;
    productVersion?: string;
    eventId?: string;
    name?: string;
    severity?: string;
  };
  /**
   * Fields as read. Keys keep the source's spelling; nested JSON objects are flattened with '.'
   * (so EasySMF's identificationSection.smf30jbn stays addressable); values are strings, numbers or
   * booleans as the source wrote them (CSV empty cells and JSON nulls are absent, not ""). In every
   * format a present field is never the empty string and never has an empty name. RFC 5424
   * structured-data params are also copied here under their PARAM-NAME (payload fields win).
   */
  fields: Record<string, string | number | boolean>;
  /** Free text that is not a field (RFC 5424 MSG after structured data, 3164 content that is not key=value). */
  text?: string;
}

/** Why a line was refused. Stable codes: they are metric label values and dead-letter reasons. */
export type RejectCode =
  | 'empty'
  | 'too_long'
  | 'binary'
  | 'bad_envelope'
  | 'bad_leef'
  | 'bad_cef'
  | 'bad_json'
  | 'bad_csv'
  | 'bad_kv' // also for `Tag: value` lists
  | 'unknown_format'
  | 'no_timestamp'
  | 'bad_timestamp'
  | 'normalize_error';

/**
 * One line's outcome. Three cases, told apart by `ok` and then by `record === null`:
 * - a record (an event);
 * - a CSV header row taken as the stream's column names (`record: null, header: true`): neither an
 *   event nor an error, so the pipeline counts it separately and acknowledges the line;
 * - a rejection with a stable code.
 */
export type ParseResult =
  | { ok: true; record: ParsedRecord }
  | { ok: true; record: null; header: true; columns: string[] }
  | { ok: false; code: RejectCode; reason: string };
