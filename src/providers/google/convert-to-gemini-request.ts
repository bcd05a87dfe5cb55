import type { ChatRequest } from "../../schemas/chat-request-schema.js";
import { convertGeminiGenerationConfig } from "./convert-gemini-generation-config.js";
import { convertGeminiMessages } from "./convert-gemini-messages.js";
import { convertGeminiToolConfig } from "./convert-gemini-tool-config.js";
import { convertGeminiTools } from "./convert-gemini-tools.js";
import type { GeminiRequest } from "./gemini-types.js";
import type { GeminiConvertOptions } from "./remote-media.js";

/**
 * An OpenAI chat request -> a Gemini `GenerateContentRequest` body
 * (https://ai.google.dev/api/generate-content#request-body). Parameters
 * outside `googleCapabilities` are the core's to report; parts of honoured
 * parameters that Gemini cannot carry are reported here through `warn`.
 */
export function convertToGeminiRequest(request: ChatRequest, options: GeminiConvertOptions): GeminiRequest {
  const body: GeminiRequest = convertGeminiMessages(request.messages, options);
  const tools = convertGeminiTools(request.tools, options.warn);
  if (tools !== undefined) body.tools = tools;
  const toolConfig = tools === undefined ? undefined : convertGeminiToolConfig(request.tool_choice);
  if (toolConfig !== undefined) body.toolConfig = toolConfig;
  const generationConfig = convertGeminiGenerationConfig(request, options.warn);
  if (generationConfig !== undefined) body.generationConfig = generationConfig;
  return body;
}
