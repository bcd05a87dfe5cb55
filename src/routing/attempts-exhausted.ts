import { GatewayError } from "../errors/gateway-error.js";
import type { AttemptRecord } from "../stores/store.js";

/** Thrown when no attempt succeeded; the error the caller gets, carrying the attempts for the usage log. */
export class AttemptsExhausted extends GatewayError {
  constructor(
    last: GatewayError,
    readonly attempts: AttemptRecord[],
  ) {
    super({
      status: last.status,
      code: last.code,
      type: last.type,
      message: last.message,
      param: last.param,
      headers: last.headers,
      upstream: last.upstream,
      expose: last.expose,
      isRetryable: last.isRetryable,
      cause: last,
    });
  }
}
