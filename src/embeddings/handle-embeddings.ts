import { callerOf } from "../core/request-signal.js";
import { maxCostNano } from "../accounting/compute-cost.js";
import { resolveModel } from "../catalog/resolve-model.js";
import type { Endpoint } from "../core/handle-request.js";
import { requestedModelIds } from "../core/prepare-chat.js";
import { runBeforeRequest } from "../core/run-before-request.js";
import { readJsonRequest } from "../core/read-json-request.js";
import { invalidRequest, methodNotAllowed } from "../errors/errors.js";
import { parseBody } from "../schemas/parse-body.js";
import { countEmbeddingTokens } from "./count-embedding-tokens.js";
import { embeddingsRequestSchema, type EmbeddingsRequest } from "./embeddings-request-schema.js";
import { planEmbeddingCandidates } from "./plan-embedding-candidates.js";
import { serveEmbeddings } from "./serve-embeddings.js";

/**
 * POST /embeddings, routed like chat: authentication, validation, the
 * beforeRequest hook, model resolution (an embedding model, else 400), key
 * model rules, route planning with fallback, admission (limits and the
 * balance hold), then the attempts, usage with cost, and the usage record.
 */
export const handleEmbeddings: Endpoint = async (rt, req, { requestId }) => {
  if (req.method.toUpperCase() !== "POST") throw methodNotAllowed("POST");
  const startedAt = rt.now();
  const principal = await rt.accounts.authenticate(req);
  let request: EmbeddingsRequest = parseBody(embeddingsRequestSchema, readJsonRequest(req));
  if (rt.hooks.beforeRequest) {
    const body = request as Record<string, unknown>;
    const changed = await runBeforeRequest(rt, { requestId, endpoint: "/embeddings", request: req, body, keyId: principal.keyId, principal: principal.external ?? principal.key });
    request = parseBody(embeddingsRequestSchema, changed);
  }
  const models = requestedModelIds(request).map(({ id, param }) => resolveModel(rt.catalog, id, param));
  for (const model of models) {
    rt.accounts.authorizeModel(principal, model);
    if (model.kind !== "embedding") throw invalidRequest(`The model '${model.id}' is not an embedding model; use /chat/completions`, "model");
  }
  const candidates = await planEmbeddingCandidates(rt, req, models);
  const tokens = countEmbeddingTokens(request.input);
  const generationId = rt.generateId("gen");
  const admission = await rt.accounts.admit({
    principal,
    model: models[0]!,
    maxCostNano: Math.max(...models.map((m) => maxCostNano(m, tokens, 0))),
    estimatedTokens: tokens,
    requestId,
    generationId,
    endpoint: "/embeddings",
    user: request.user ?? null,
  });
  return serveEmbeddings(rt, { requestId, generationId, principal, request, candidates, admission, startedAt }, callerOf(req));
};
