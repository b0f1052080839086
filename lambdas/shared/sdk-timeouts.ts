/**
 * Bounds on every AWS SDK call, so a stalled dependency fails a request in seconds instead of holding it
 * to the function's timeout (and the client to API Gateway's 29 s): a connection must open within
 * CONNECTION_TIMEOUT_MS and a response start within REQUEST_TIMEOUT_MS, with at most MAX_ATTEMPTS tries.
 * WORST_CASE_SDK_CALL_MS stays below the shortest function timeout (10 s), which a test checks.
 */
export const CONNECTION_TIMEOUT_MS = 1_000;
export const REQUEST_TIMEOUT_MS = 2_000;
export const MAX_ATTEMPTS = 2;
/** The SDK's standard retry waits at most this long between attempts (base delay 100 ms, jittered). */
const RETRY_DELAY_CEILING_MS = 1_000;

export const WORST_CASE_SDK_CALL_MS =
  MAX_ATTEMPTS * (CONNECTION_TIMEOUT_MS + REQUEST_TIMEOUT_MS) + (MAX_ATTEMPTS - 1) * RETRY_DELAY_CEILING_MS;

/** Client configuration every SDK client of the functions is created with. */
export const SDK_CLIENT_CONFIG = {
  maxAttempts: MAX_ATTEMPTS,
  requestHandler: {
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Without it the SDK only logs a warning when the request timeout passes, and the request goes on.
    throwOnRequestTimeout: true,
  },
} as const;
