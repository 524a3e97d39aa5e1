/**
 * The runtime's one error type: something refused or failed, with a machine-readable `reason`. A command
 * handler throws it to refuse a command (its reason and message become the result's); the session API
 * throws it for a request the server refused (its reason) or that failed (`network`, `timeout`, `invalid_response`).
 */
export class Refusal extends Error {
  constructor(
    readonly reason: string,
    message: string,
    /** The HTTP status of a refused request (0: none). */
    readonly status = 0,
    /** From the answer's Retry-After (a `rate_limited` refusal): how long the server asks us to wait. */
    readonly retryAfterMs = 0,
  ) {
    super(message);
  }
}
