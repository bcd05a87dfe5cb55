import { callerOf } from "../core/request-signal.js";
import { GatewayError } from "../errors/gateway-error.js";
import { methodNotAllowed } from "../errors/errors.js";
import type { Endpoint } from "../core/handle-request.js";
import { headerValue } from "../core/header-value.js";
import { prepareChat } from "../core/prepare-chat.js";
import { readJsonRequest } from "../core/read-json-request.js";
import { serveChat } from "../core/serve-chat.js";
import { streamChat } from "../core/stream-chat.js";
import type { ProviderOptions } from "../options/gateway-options-schema.js";
import type { ChatCompletion } from "../schemas/chat-response.js";
import { parseBody } from "../schemas/parse-body.js";
import { convertMessagesRequest } from "./convert-messages-request.js";
import { createMessagesFormatter } from "./create-messages-formatter.js";
import { keepNativeCandidates } from "./keep-native-candidates.js";
import { messagesRequestSchema } from "./messages-request-schema.js";
import { toAnthropicError } from "./to-anthropic-error.js";
import { toMessageBody } from "./to-message-body.js";
import { withNativeAnthropic } from "./with-native-anthropic.js";

const ENDPOINT = "/messages";

/**
 * POST /messages: the Anthropic Messages API as input for any model
 * (https://docs.anthropic.com/en/api/messages). The request is validated,
 * translated to a chat request and served by the normal pipeline (auth,
 * routing, fallback, admission, usage); Anthropic routes get the original
 * body natively. Answers, streams and errors are in Anthropic's format.
 * The caller's key may come as `x-api-key`, as the Anthropic SDK sends it
 * (read-api-token.ts already accepts it beside Bearer).
 */
export function createMessagesEndpoint(providerOptions: Record<string, ProviderOptions>): Endpoint {
  return async (rt, req, { requestId }) => {
    if (req.method.toUpperCase() !== "POST") return anthropicError(methodNotAllowed("POST"), requestId);
    try {
      const raw = readJsonRequest(req);
      const parsed = parseBody(messagesRequestSchema, raw);
      const { chat, nativeOnly } = convertMessagesRequest(parsed);
      const nrt = withNativeAnthropic(rt, providerOptions, raw, headerValue(req.headers, "anthropic-beta"));
      const prepared = await prepareChat(nrt, req, chat, requestId, ENDPOINT);
      await keepNativeCandidates(nrt, prepared, nativeOnly, ENDPOINT);
      if (parsed.stream) return await streamChat(nrt, prepared, callerOf(req), ENDPOINT, createMessagesFormatter());
      const res = await serveChat(nrt, prepared, callerOf(req), ENDPOINT);
      return { ...res, body: toMessageBody(res.body as ChatCompletion) };
    } catch (error) {
      if (!(error instanceof GatewayError)) console.error(`[modelmux] internal error on POST /messages (${requestId}):`, error);
      return anthropicError(error, requestId);
    }
  };
}

function anthropicError(error: unknown, requestId: string) {
  const { status, body, headers } = toAnthropicError(error);
  return { kind: "json" as const, status, headers: { ...headers, "x-request-id": requestId }, body };
}
