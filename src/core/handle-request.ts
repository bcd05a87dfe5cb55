import { callerOf } from "./request-signal.js";
import { formatUsageRecord } from "../accounts/format-usage-record.js";
import { invalidRequest, notFound, methodNotAllowed } from "../errors/errors.js";
import { GatewayError } from "../errors/gateway-error.js";
import { toErrorBody } from "../errors/to-error-response.js";
import { runHookBounded } from "../accounts/run-hook-bounded.js";
import type { GatewayRuntime } from "./gateway-runtime.js";
import type { GatewayRequest, GatewayResponse, JsonResponse } from "./gateway-types.js";
import { handleCompletions } from "./handle-completions.js";
import { createModelsHandler } from "./handle-models.js";
import { headerValue } from "./header-value.js";
import { openaiChunkFormatter } from "./openai-chunk-formatter.js";
import { prepareChat } from "./prepare-chat.js";
import { readJsonRequest } from "./read-json-request.js";
import { serveChat } from "./serve-chat.js";
import { streamChat } from "./stream-chat.js";

export type Endpoint = (rt: GatewayRuntime, req: GatewayRequest, ctx: { requestId: string; subpath: string }) => Promise<GatewayResponse>;

const REQUEST_ID = /^[\w.:-]{1,128}$/;


function json(status: number, body: unknown, requestId: string): JsonResponse {
  return { kind: "json", status, headers: { "x-request-id": requestId }, body };
}

/**
 * The framework-neutral core: routes a plain request to its endpoint and
 * turns every failure into the one error shape. Paths that are not the
 * gateway's answer `pass`, so the host's own routes keep working.
 */
export function createRequestHandler(rt: GatewayRuntime, extra: Record<string, Endpoint> = {}) {
  const models = createModelsHandler(rt);

  const chat: Endpoint = async (rt, req, { requestId }) => {
    const body = readJsonRequest(req);
    const prepared = await prepareChat(rt, req, body, requestId, "/chat/completions");
    if (prepared.request.stream) return streamChat(rt, prepared, callerOf(req), "/chat/completions", openaiChunkFormatter);
    return serveChat(rt, prepared, callerOf(req), "/chat/completions");
  };

  async function route(req: GatewayRequest, requestId: string): Promise<GatewayResponse> {
    const q = req.path.indexOf("?");
    const rawPath = (q === -1 ? req.path : req.path.slice(0, q)).replace(/\/+$/, "") || "/";
    const method = req.method.toUpperCase();
    switch (rawPath) {
      case "/chat/completions":
        if (method !== "POST") throw methodNotAllowed("POST");
        return chat(rt, req, { requestId, subpath: "" });
      case "/completions":
        if (method !== "POST") throw methodNotAllowed("POST");
        return handleCompletions(rt, req, readJsonRequest(req), requestId);
      case "/models":
        if (method !== "GET") throw methodNotAllowed("GET");
        return models.list(requestId);
      case "/key": {
        if (method !== "GET") throw methodNotAllowed("GET");
        const principal = await rt.accounts.authenticate(req);
        return json(200, await rt.accounts.describeKey(principal), requestId);
      }
      case "/generation": {
        if (method !== "GET") throw methodNotAllowed("GET");
        const principal = await rt.accounts.authenticate(req);
        const id = new URLSearchParams(q === -1 ? "" : req.path.slice(q + 1)).get("id");
        if (!id) throw invalidRequest("The query parameter 'id' is required", "id");
        const record = await rt.accounts.getGeneration(id, principal);
        if (!record) throw notFound(`No generation with id '${id}'`, "generation_not_found", "id");
        return json(200, { data: formatUsageRecord(record) }, requestId);
      }
    }
    if (rawPath.startsWith("/models/")) {
      if (method !== "GET") throw methodNotAllowed("GET");
      let id: string;
      try {
        id = decodeURIComponent(rawPath.slice("/models/".length));
      } catch {
        throw invalidRequest("The model id in the path is not valid percent-encoding", "model");
      }
      return models.get(id, requestId);
    }
    if (rawPath === "/admin" || rawPath.startsWith("/admin/")) {
      const res = await rt.accounts.handleAdmin(req, rawPath);
      if (res.kind !== "pass") res.headers["x-request-id"] = requestId;
      return res;
    }
    const prefix = rawPath.split("/").slice(0, 2).join("/");
    const handler = extra[rawPath] ?? extra[`${prefix}/*`];
    if (handler) return handler(rt, req, { requestId, subpath: rawPath.slice(prefix.length) });
    return { kind: "pass" };
  }

  return async function handle(req: GatewayRequest): Promise<GatewayResponse> {
    const given = headerValue(req.headers, "x-request-id");
    const requestId = given && REQUEST_ID.test(given) ? given : rt.generateId("req");
    try {
      return await route(req, requestId);
    } catch (error) {
      const { status, body, headers } = toErrorBody(error);
      if (status >= 500 || !(error instanceof GatewayError)) {
        if (rt.hooks.onError) void runHookBounded("onError", () => rt.hooks.onError!(error, { hook: "request", requestId }), rt.hookTimeoutMs);
        if (!(error instanceof GatewayError)) console.error(`[modelmux] internal error on ${req.method} ${req.path} (${requestId}):`, error);
      }
      return { kind: "json", status, headers: { ...headers, "x-request-id": requestId }, body };
    }
  };
}
