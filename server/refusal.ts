/**
 * The server's one error type: a request refused with an HTTP status, the
 * wire `reason` (src/shared/wire-protocol.ts ErrorBody) and a message for
 * people. Anything that refuses a request throws it (a body that is too
 * large or not JSON, an unknown app, a failed login…); the router answers
 * it as `{ ok: false, reason, message }`. Any other error is a 500.
 */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}
