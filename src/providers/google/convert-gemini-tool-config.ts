import type { ToolChoice } from "../../schemas/chat-request-schema.js";
import type { GeminiToolConfig } from "./gemini-types.js";

/**
 * OpenAI `tool_choice` -> `toolConfig.functionCallingConfig`
 * (https://ai.google.dev/gemini-api/docs/function-calling#function_calling_modes):
 * auto -> AUTO, none -> NONE, required -> ANY, a named function -> ANY
 * restricted to it with `allowedFunctionNames`.
 */
export function convertGeminiToolConfig(choice: ToolChoice | undefined): GeminiToolConfig | undefined {
  if (choice === undefined) return undefined;
  if (choice === "auto") return { functionCallingConfig: { mode: "AUTO" } };
  if (choice === "none") return { functionCallingConfig: { mode: "NONE" } };
  if (choice === "required") return { functionCallingConfig: { mode: "ANY" } };
  return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [choice.function.name] } };
}
