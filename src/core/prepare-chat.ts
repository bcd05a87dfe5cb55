import type { Admission, Principal } from "../accounts/accounts.js";
import { countPromptTokens } from "../accounting/count-prompt-tokens.js";
import { maxCostNano } from "../accounting/compute-cost.js";
import type { CatalogModel } from "../catalog/catalog-model.js";
import { resolveModel } from "../catalog/resolve-model.js";
import { invalidRequest } from "../errors/errors.js";
import { GatewayError } from "../errors/gateway-error.js";
import { chatRequestSchema, type ChatRequest } from "../schemas/chat-request-schema.js";
import { parseBody } from "../schemas/parse-body.js";
import { readPlainChatRequest } from "../schemas/read-plain-chat-request.js";
import { planCandidates, type Candidate } from "../routing/plan-candidates.js";
import { findDroppedParams } from "./find-dropped-params.js";
import type { GatewayRequest } from "./gateway-types.js";
import type { GatewayRuntime } from "./gateway-runtime.js";
import { headerValue } from "./header-value.js";
import { runBeforeRequest } from "./run-before-request.js";

export interface PreparedCall<R> {
  requestId: string;
  generationId: string;
  principal: Principal;
  request: R;
  models: CatalogModel[];
  candidates: Candidate[];
  admission: Admission;
  promptTokens: number;
  /** Parameters dropped per route key, for the warning header. */
  dropped: Map<string, string[]>;
  startedAt: number;
}

/** `models` (with `route: "fallback"`) plus `model`, in order, without repeats. */
export function requestedModelIds(req: { model?: string; models?: string[] }): Array<{ id: string; param: string }> {
  const out: Array<{ id: string; param: string }> = [];
  if (req.model) out.push({ id: req.model, param: "model" });
  req.models?.forEach((id, i) => {
    if (!out.some((o) => o.id === id)) out.push({ id, param: `models[${i}]` });
  });
  return out;
}

/** The common shape without zod; anything else, and every error, through the schema. */
const parseChatRequest = (body: unknown): ChatRequest => readPlainChatRequest(body) ?? parseBody(chatRequestSchema, body);

const MODALITY_OF: Record<string, string> = { image_url: "image", input_audio: "audio", file: "file" };

/** A part type the model cannot take as input is a 422 (well-formed, but not serviceable by this model). */
function checkModalities(request: ChatRequest, model: CatalogModel): void {
  request.messages.forEach((m, i) => {
    if (!Array.isArray(m.content)) return;
    for (const part of m.content as Array<{ type: string }>) {
      const modality = MODALITY_OF[part.type];
      if (modality && !model.input_modalities.includes(modality)) {
        throw new GatewayError({
          status: 422,
          code: "unsupported_modality",
          message: `The model '${model.id}' does not accept ${modality} input (messages[${i}])`,
          param: `messages[${i}].content`,
        });
      }
    }
  });
}

function keepServiceable(models: CatalogModel[], check: (m: CatalogModel) => void): CatalogModel[] {
  let first: unknown;
  const kept = models.filter((m) => {
    try {
      check(m);
      return true;
    } catch (error) {
      first ??= error;
      return false;
    }
  });
  if (kept.length === 0) throw first;
  return kept;
}

/**
 * Everything before the first upstream byte: authentication, validation,
 * the beforeRequest hook, model resolution, modality and context checks,
 * route planning with pins, and admission (limits and the balance hold).
 */
export async function prepareChat(
  rt: GatewayRuntime,
  req: GatewayRequest,
  rawBody: Record<string, unknown>,
  requestId: string,
  endpoint: string,
): Promise<PreparedCall<ChatRequest>> {
  const startedAt = rt.now();
  const principal = await rt.accounts.authenticate(req);
  let request = parseChatRequest(rawBody);
  if (rt.hooks.beforeRequest) {
    const body = request as Record<string, unknown>;
    const changed = await runBeforeRequest(rt, { requestId, endpoint, request: req, body, keyId: principal.keyId, principal: principal.external ?? principal.key });
    request = parseChatRequest(changed);
  }

  const requested = requestedModelIds(request).map(({ id, param }) => resolveModel(rt.catalog, id, param));
  // In a fallback chain, a model this key may not use or that cannot take the input is
  // skipped; the request fails only when no model is left (with the first model's reason).
  const models = keepServiceable(requested, (model) => {
    rt.accounts.authorizeModel(principal, model);
    if (model.kind !== "chat") throw invalidRequest(`The model '${model.id}' is an embedding model; use /embeddings`, "model");
    checkModalities(request, model);
  });

  const explicitMax = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const budget = Math.max(...models.map((m) => m.context_length)) - (explicitMax ?? 0);
  const counted = await countPromptTokens(models[0]!, request.messages, request.tools, budget);
  const fitting = models.filter((m) => counted.tokens + (explicitMax ?? 0) <= m.context_length || counted.method === "upper_bound");
  if (fitting.length === 0) {
    // Name what to shrink: the output allowance when the prompt alone would fit.
    const promptFits = models.some((m) => counted.tokens <= m.context_length);
    const maxParam = request.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens";
    throw new GatewayError({
      status: 400,
      code: "context_length_exceeded",
      message: `The prompt is about ${counted.tokens} tokens (${counted.method === "exact" ? "counted" : "estimated"}) and with ${maxParam} ${explicitMax ?? 0} exceeds the context length of ${models.map((m) => `${m.id} (${m.context_length})`).join(", ")}`,
      param: promptFits ? maxParam : "messages",
    });
  }

  const candidates = await planRoutes(rt, req, request, fitting);
  const outputAllowance = (m: CatalogModel) => Math.min(explicitMax ?? m.max_output_tokens, m.context_length);
  const maxCost = Math.max(...fitting.map((m) => maxCostNano(m, counted.tokens, outputAllowance(m) * (request.n ?? 1))));
  const generationId = rt.generateId("gen");
  const admission = await rt.accounts.admit({
    principal,
    model: fitting[0]!,
    maxCostNano: maxCost,
    estimatedTokens: counted.tokens + outputAllowance(fitting[0]!),
    requestId,
    generationId,
    endpoint,
    stream: request.stream === true,
    user: request.user ?? null,
  });
  const dropped = new Map<string, string[]>();
  for (const c of candidates) {
    const provider = rt.providers.get(c.route.provider)!;
    dropped.set(c.route.key, findDroppedParams(request, provider.capabilities));
  }
  return {
    requestId,
    generationId,
    principal,
    request,
    models: fitting,
    candidates,
    admission,
    promptTokens: counted.tokens,
    dropped,
    startedAt,
  };
}

/** Route candidates after vendor pin, provider preferences, cooldowns and require_parameters. */
async function planRoutes(rt: GatewayRuntime, req: GatewayRequest, request: ChatRequest, models: CatalogModel[]): Promise<Candidate[]> {
  const vendor = headerValue(req.headers, "vendor") ?? headerValue(req.headers, "x-modelmux-vendor");
  if (vendor && vendor !== "auto" && !rt.providers.has(vendor)) {
    throw invalidRequest(`The vendor header names an unknown provider '${vendor}'`, "vendor");
  }
  const keys: string[] = [];
  for (const m of models) for (const r of m.routes) keys.push(r.key);
  const cooling = await rt.health.coolingKeys(keys);
  let candidates = planCandidates(models, {
    vendor,
    prefs: request.provider,
    cooling,
    random: rt.random,
    latencyOf: (k) => rt.health.latencyOf(k),
  });
  if (candidates.length === 0) {
    const pin = vendor && vendor !== "auto" ? `vendor '${vendor}'` : "the provider preferences";
    throw new GatewayError({ status: 404, code: "no_route", message: `No route for ${models.map((m) => m.id).join(", ")} matches ${pin}`, param: vendor ? "vendor" : "provider" });
  }
  if (request.provider?.require_parameters) {
    const all = candidates;
    candidates = all.filter((c) => findDroppedParams(request, rt.providers.get(c.route.provider)!.capabilities).length === 0);
    if (candidates.length === 0) {
      const missing = findDroppedParams(request, rt.providers.get(all[0]!.route.provider)!.capabilities);
      throw invalidRequest(`No route supports every requested parameter (unsupported: ${missing.join(", ")})`, missing[0] ?? "provider.require_parameters");
    }
  }
  return candidates;
}
