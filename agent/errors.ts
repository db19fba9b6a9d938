// One catalogue of errors with stable codes (as undici's UND_ERR_* and fastify's FST_ERR_*).
// Every message names the offending value and where it came from; `cause` is always kept.

export type ErrorCode =
  | 'SMF_ERR_CONFIG' // configuration file invalid (all problems listed)
  | 'SMF_ERR_CONFIG_READ' // configuration file unreadable
  | 'SMF_ERR_STORE_CORRUPT' // the state store exists but cannot be trusted
  | 'SMF_ERR_STORE_MISSING' // state expected (marker present elsewhere) but the store is gone
  | 'SMF_ERR_STORE_LOCKED' // another agent holds the store
  | 'SMF_ERR_ES_CONNECT' // Elasticsearch unreachable
  | 'SMF_ERR_ES_AUTH' // Elasticsearch refused the credentials
  | 'SMF_ERR_ES_TLS' // certificate verification failed
  | 'SMF_ERR_ES_REQUEST' // Elasticsearch refused a request (non-retryable)
  | 'SMF_ERR_ES_LOCAL' // the local development node could not be fetched or started
  | 'SMF_ERR_INPUT' // an input could not be opened or started
  | 'SMF_ERR_DEFINITION' // an association definition is invalid
  | 'SMF_ERR_USAGE'; // bad command line

export class SmfError extends Error {
  readonly code: ErrorCode;
  /** A short next step for the user, printed under the message by the CLI. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SmfError';
    this.code = code;
    this.hint = options.hint;
  }
}

export function isSmfError(err: unknown, code?: ErrorCode): err is SmfError {
  return err instanceof SmfError && (code === undefined || err.code === code);
}

/** A message safe to log: an Error's message (and code), never its whole object (which may hold request options). */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
