import { invalidRequest } from "../errors/errors.js";
import type { GatewayError } from "../errors/gateway-error.js";

/** The 400 every store throws for a cursor it did not make. */
export function invalidCursor(): GatewayError {
  return invalidRequest("Invalid parameter 'cursor': not a cursor returned by a previous page", "cursor");
}
