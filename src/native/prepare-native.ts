import { readApiToken } from "../accounts/read-api-token.js";
import { maxCostNano } from "../accounting/compute-cost.js";
import type { GatewayRuntime } from "../core/gateway-runtime.js";
import type { GatewayRequest } from "../core/gateway-types.js";
import { headerValue } from "../core/header-value.js";
import { invalidRequest } from "../errors/errors.js";
import type { ProviderOptions } from "../options/gateway-options-schema.js";
import { buildNativeAuth, NATIVE_ALLOWED_HEADERS } from "./build-native-auth.js";
import { createUsageTap } from "./create-usage-tap.js";
import { findNativeModel } from "./find-native-model.js";
import type { NativeKind, NativePrepared } from "./native-types.js";
import { readMaxOutput } from "./read-max-output.js";
import { readNativeBody } from "./read-native-body.js";
import { resolveNativeRoute } from "./resolve-native-route.js";
import { toNativeError } from "./to-native-error.js";

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Everything before a native request is forwarded: path allowlist, the
 * caller's modelmux key (Bearer, x-api-key, x-goog-api-key or Gemini's
 * `?key=`), the model by provider and upstream name, key model rules,
 * rate limits and the balance hold. Refusals come back in the provider's
 * own error shape.
 */
export async function prepareNative(rt: GatewayRuntime, providers: Record<string, ProviderOptions>, req: GatewayRequest): Promise<NativePrepared> {
  const given = headerValue(req.headers, "x-request-id");
  const requestId = given && REQUEST_ID.test(given) ? given : rt.generateId("req");
  // Known from the provider segment alone, so even a refused path is answered in that provider's shape.
  const named = providers[req.path.split(/[/?]/)[2] ?? ""]?.type;
  let kind: NativeKind | undefined = named === "mock" ? undefined : named;
  try {
    const startedAt = rt.now();
    const route = resolveNativeRoute(providers, req.method, req.path);
    kind = route.kind;
    const authReq = route.queryKey && readApiToken(req) === null ? { ...req, headers: { ...req.headers, "x-goog-api-key": route.queryKey } } : req;
    const principal = await rt.accounts.authenticate(authReq);
    const body = readNativeBody(req, route.kind);
    const upstreamModel = route.pathModel ?? (typeof body.json?.model === "string" ? body.json.model : undefined);
    if (!upstreamModel) throw invalidRequest("A native request must name its model", "model");
    const model = findNativeModel(rt.catalog, route.provider, upstreamModel);
    rt.accounts.authorizeModel(principal, model);
    // UTF-8 bytes bound the prompt's tokens from above, as for chat (count-prompt-tokens.ts).
    const promptBound = body.bytes?.length ?? 0;
    const maxOut = Math.min(readMaxOutput(route.kind, body.json) ?? model.max_output_tokens, model.context_length);
    const generationId = rt.generateId("gen");
    const stream = body.json?.stream === true || route.path.includes(":streamGenerateContent");
    const user = typeof body.json?.user === "string" ? body.json.user : undefined;
    const admission = await rt.accounts.admit({
      principal, model, maxCostNano: maxCostNano(model, promptBound, maxOut), estimatedTokens: promptBound + maxOut, requestId, generationId, endpoint: `/native/${route.provider}`, stream, user: user ?? null,
    });
    const { setHeaders, secrets } = buildNativeAuth(route, req);
    const tap = createUsageTap({ rt, kind: route.kind, provider: route.provider, upstreamModel, model, principal, admission, requestId, generationId, startedAt, user });
    return { kind: "proxy", ticket: { target: route.target, path: route.path, allowHeaders: NATIVE_ALLOWED_HEADERS, setHeaders, secrets, body: body.bytes, tap, requestId } };
  } catch (error) {
    return toNativeError(kind, error, requestId);
  }
}
