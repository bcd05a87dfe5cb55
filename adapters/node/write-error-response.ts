import type { ServerResponse } from "node:http";
import { toErrorBody } from "../../src/errors/to-error-response.js";
import { writeGatewayResponse } from "./write-gateway-response.js";

/** Any error as the gateway's one JSON error answer (its status, headers and body). */
export function writeErrorResponse(res: ServerResponse, error: unknown): Promise<void> {
  const { status, body, headers } = toErrorBody(error);
  return writeGatewayResponse(res, { kind: "json", status, headers, body });
}
