import type { IncomingMessage } from "node:http";
import { GatewayError } from "../../src/errors/gateway-error.js";

function tooLarge(limit: number): GatewayError {
  return new GatewayError({ status: 413, code: "request_too_large", message: `The request body exceeds the limit of ${limit} bytes` });
}

/**
 * The body a host's parser left (express.json, @koa/bodyparser), or the raw
 * bytes read here with a size limit (413 past it, checked on
 * Content-Length first so a huge upload is refused before it is read).
 */
export async function readRequestBody(req: IncomingMessage, parsed: unknown, limit: number): Promise<unknown> {
  // The limit holds even when the host's parser (with its own, larger limit) read the body first.
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (parsed !== undefined && (req.readableEnded || (req as { _body?: boolean })._body)) {
    if (!Number.isFinite(declared) && Buffer.byteLength(JSON.stringify(parsed) ?? "") > limit) throw tooLarge(limit);
    return parsed;
  }
  if (req.readableEnded) return parsed;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
