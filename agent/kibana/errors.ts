// Errors of the Kibana installer, with stable codes like agent/errors.ts.
//
// A separate class because agent/errors.ts's ErrorCode union has no Kibana codes yet; once it
// does, KibanaError can become an SmfError with these codes and nothing else changes for callers.
// Messages name the Kibana URL (credentials stripped), the request and the HTTP status, never a
// credential: requests carry them in a header only, and nothing here prints headers.

export type KibanaErrorCode =
  | 'SMF_ERR_KIBANA_CONNECT' // Kibana unreachable, timed out, or its certificate was refused
  | 'SMF_ERR_KIBANA_AUTH' // Kibana refused the credentials (401) or the privileges (403)
  | 'SMF_ERR_KIBANA_REQUEST' // Kibana refused or failed a request (any other non-2xx answer)
  | 'SMF_ERR_KIBANA_ASSETS'; // the files under kibana/ are invalid (every problem listed)

export class KibanaError extends Error {
  readonly code: KibanaErrorCode;
  /** HTTP status of the failed request, when there was an answer. */
  readonly status: number | undefined;

  constructor(code: KibanaErrorCode, message: string, options: { cause?: unknown; status?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KibanaError';
    this.code = code;
    this.status = options.status;
  }
}
