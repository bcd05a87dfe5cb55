import { invalidRequest } from "../errors/errors.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { GatewayRequest } from "./gateway-types.js";
import { asBuffer } from "./as-buffer.js";
import { parseJsonText } from "./parse-json-text.js";

function header(req: GatewayRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The request body as a JSON object, whether the host parsed it already
 * (express.json, @koa/bodyparser) or handed us the raw text. Wrong content
 * type, bad JSON or a non-object are 400s naming the problem.
 */
export function readJsonRequest(req: GatewayRequest): Record<string, unknown> {
  const type = header(req, "content-type");
  if (type !== undefined && !/^application\/([\w.+-]*\+)?json\b/i.test(type.trim())) {
    throw new GatewayError({ status: 400, code: "invalid_content_type", message: `Content-Type must be application/json (got '${type}')`, param: null });
  }
  let body = req.body;
  if (typeof body === "string" || body instanceof Uint8Array) {
    const text = typeof body === "string" ? body : asBuffer(body).toString("utf8");
    if (text.trim() === "") throw invalidRequest("The request body is empty; send a JSON object");
    body = parseJsonText(text);
  }
  if (body === undefined || body === null) throw invalidRequest("The request body is empty; send a JSON object");
  if (typeof body !== "object" || Array.isArray(body)) throw invalidRequest("The request body must be a JSON object");
  return body as Record<string, unknown>;
}
