import { buildUsageRecord } from "../core/build-usage-record.js";
import type { GatewayRuntime } from "../core/gateway-runtime.js";
import type { PreparedCall } from "../core/prepare-chat.js";
import { invalidRequest } from "../errors/errors.js";
import type { ChatRequest } from "../schemas/chat-request-schema.js";

/**
 * A request using something only Anthropic understands (server tools, URL
 * documents, more than four stop sequences...) is served by Anthropic
 * routes only, never silently stripped for another provider. With none
 * left it is a 400 naming the parameter, and the admission is released.
 */
export async function keepNativeCandidates(rt: GatewayRuntime, p: PreparedCall<ChatRequest>, nativeOnly: string[], endpoint: string): Promise<void> {
  if (nativeOnly.length === 0) return;
  p.candidates = p.candidates.filter((c) => rt.providers.get(c.route.provider)?.type === "anthropic");
  if (p.candidates.length > 0) return;
  const param = nativeOnly[0]!;
  const error = invalidRequest(`'${param}' can only be served by an Anthropic route, and '${p.request.model}' has none`, param);
  await rt.accounts.finish(
    p.admission,
    buildUsageRecord({
      generationId: p.generationId, keyId: p.principal.keyId, endpoint, requestedModel: p.request.model ?? "", model: null, provider: null, attempts: [],
      usage: null, costNano: 0, ttftMs: null, startedAt: p.startedAt, now: rt.now(), status: 400, errorCode: error.code, stream: Boolean(p.request.stream), user: p.request.user,
    }),
  );
  throw error;
}
