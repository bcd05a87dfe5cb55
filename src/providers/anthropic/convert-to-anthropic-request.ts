import type { CatalogModel } from "../../catalog/catalog-model.js";
import type { ChatRequest } from "../../schemas/chat-request-schema.js";
import type { AnthropicCallPlan, AnthropicRequest, AnthropicThinkingConfig } from "./anthropic-types.js";
import { convertAnthropicMessages } from "./convert-anthropic-messages.js";
import { convertAnthropicResponseFormat } from "./convert-anthropic-response-format.js";
import { convertAnthropicThinking } from "./convert-anthropic-thinking.js";
import { convertAnthropicTools } from "./convert-anthropic-tools.js";

type Warn = (param: string, reason: string) => void;

export interface ConvertedAnthropicRequest {
  body: AnthropicRequest;
  plan: AnthropicCallPlan;
}

/** Used only when the catalogue gives no output limit: Anthropic requires max_tokens. */
const FALLBACK_MAX_TOKENS = 4096;

/**
 * An OpenAI chat request as an Anthropic Messages request
 * (https://docs.anthropic.com/en/api/messages). Whatever cannot be carried
 * over exactly is reported through `warn` (DESIGN convention 6).
 */
export function convertToAnthropicRequest(request: ChatRequest, model: CatalogModel, upstreamModel: string, warn: Warn): ConvertedAnthropicRequest {
  const { system, messages } = convertAnthropicMessages(request.messages, warn);
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? (model.max_output_tokens > 0 ? model.max_output_tokens : FALLBACK_MAX_TOKENS);
  const body: AnthropicRequest = { model: upstreamModel, max_tokens: maxTokens, messages };
  if (system.length > 0) body.system = system;
  const stop = typeof request.stop === "string" ? [request.stop] : request.stop;
  if (stop && stop.length > 0) body.stop_sequences = stop;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  if (request.stream === true) body.stream = true;

  const plan: AnthropicCallPlan = { excludeReasoning: request.reasoning?.exclude === true };
  const toolSettings = convertAnthropicTools(request, warn);
  Object.assign(body, toolSettings);
  const responseTool = convertAnthropicResponseFormat(request);
  if (responseTool) {
    plan.responseToolName = responseTool.name;
    body.tools = [...(body.tools ?? []), responseTool];
    if (!toolSettings.tools) {
      body.tool_choice = { type: "tool", name: responseTool.name };
    } else {
      // Forcing the answer tool would stop the model from calling the caller's
      // tools, so it is offered, and the model is told to answer through it.
      warn("response_format", "with tools present, the JSON answer tool is offered but not forced");
      body.system = [...(body.system ?? []), { type: "text", text: `When you give your final answer, call the ${responseTool.name} tool with it.` }];
    }
  }

  // Budget warnings are held until we know thinking is kept at all.
  const held: Array<[string, string]> = [];
  let thinking = convertAnthropicThinking(request, maxTokens, (param, reason) => held.push([param, reason]));
  const forced = body.tool_choice?.type === "any" || body.tool_choice?.type === "tool";
  if (thinking && forced) {
    // "Tool use with extended thinking only supports tool_choice auto or none"
    // (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#extended-thinking-with-tool-use).
    warn(request.reasoning ? "reasoning" : "reasoning_effort", "extended thinking cannot be combined with a forced tool choice or response_format on Anthropic; thinking was not enabled");
    thinking = undefined;
  } else {
    for (const [param, reason] of held) warn(param, reason);
  }
  if (thinking) body.thinking = thinking;
  applySampling(body, request, thinking, warn);
  return { body, plan };
}

/**
 * temperature, top_p and top_k. Anthropic's temperature range is 0-1, and
 * with thinking on, temperature must stay 1, top_p at least 0.95, and top_k
 * unset (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking#feature-compatibility).
 */
function applySampling(body: AnthropicRequest, request: ChatRequest, thinking: AnthropicThinkingConfig | undefined, warn: Warn): void {
  const temperature = request.temperature;
  if (temperature != null) {
    if (thinking && temperature !== 1) warn("temperature", "Anthropic requires temperature 1 with extended thinking; temperature was dropped");
    else if (temperature > 1) {
      warn("temperature", `Anthropic's temperature range is 0-1; ${temperature} was lowered to 1`);
      body.temperature = 1;
    } else body.temperature = temperature;
  }
  if (request.top_p != null) {
    if (thinking && request.top_p < 0.95) warn("top_p", "Anthropic requires top_p of at least 0.95 with extended thinking; top_p was dropped");
    else body.top_p = request.top_p;
  }
  const topK = (request as { top_k?: unknown }).top_k;
  if (typeof topK === "number") {
    if (thinking) warn("top_k", "Anthropic does not allow top_k with extended thinking; top_k was dropped");
    else body.top_k = topK;
  }
}
