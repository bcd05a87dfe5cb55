import type { ChatRequest } from "../../schemas/chat-request-schema.js";
import { convertGeminiSchema } from "./convert-gemini-schema.js";
import { convertGeminiThinkingConfig } from "./convert-gemini-thinking-config.js";
import type { GeminiGenerationConfig } from "./gemini-types.js";

/**
 * Sampling and output parameters -> `generationConfig`
 * (https://ai.google.dev/api/generate-content#generationconfig).
 * `response_format` is never dropped: json_object asks for
 * `application/json`, json_schema adds `responseSchema` (the same schema
 * subset as tools, dropped keywords reported under `response_format`).
 */
export function convertGeminiGenerationConfig(request: ChatRequest, warn: (param: string, reason: string) => void): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {};
  if (request.temperature != null) config.temperature = request.temperature;
  if (request.top_p != null) config.topP = request.top_p;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) config.maxOutputTokens = maxTokens;
  if (request.stop != null) config.stopSequences = typeof request.stop === "string" ? [request.stop] : request.stop;
  // candidateCount defaults to 1; sending it only when >1 keeps older models that reject it working.
  if (request.n != null && request.n > 1) config.candidateCount = request.n;
  if (request.seed != null) config.seed = request.seed;
  if (request.presence_penalty != null) config.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) config.frequencyPenalty = request.frequency_penalty;
  const format = request.response_format;
  if (format?.type === "json_object") config.responseMimeType = "application/json";
  if (format?.type === "json_schema") {
    config.responseMimeType = "application/json";
    const schema = format.json_schema.schema;
    if (schema !== undefined) {
      const dropped: string[] = [];
      config.responseSchema = convertGeminiSchema(schema, dropped);
      if (dropped.length > 0) warn("response_format", `json_schema.schema: Gemini does not support ${dropped.join(", ")}; dropped`);
    }
  }
  const thinking = convertGeminiThinkingConfig(request);
  if (thinking !== undefined) config.thinkingConfig = thinking;
  return Object.keys(config).length > 0 ? config : undefined;
}
