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
  return readRaw(req, limit);
}

/** Reads the raw body with listeners (no async iterator per request: it showed in the profile). */
function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    // A client that goes away mid-body must not leave the request hanging.
    const onClose = () => {
      if (!req.complete) onError(new Error("the client closed the connection before the body ended"));
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
