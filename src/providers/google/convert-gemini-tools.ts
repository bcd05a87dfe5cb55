import type { ChatTool } from "../../schemas/chat-request-schema.js";
import { convertGeminiSchema } from "./convert-gemini-schema.js";
import type { GeminiFunctionDeclaration, GeminiTool } from "./gemini-types.js";

/**
 * OpenAI `tools` -> one Gemini tool holding every `functionDeclarations`
 * entry (https://ai.google.dev/gemini-api/docs/function-calling). Parameters
 * go through `convertGeminiSchema` (the OpenAPI subset Gemini accepts, which
 * every Gemini model takes; `parametersJsonSchema` is newer-model only); the
 * keywords it drops are reported once per tool.
 */
export function convertGeminiTools(tools: ChatTool[] | undefined, warn: (param: string, reason: string) => void): GeminiTool[] | undefined {
  if (tools === undefined || tools.length === 0) return undefined;
  const declarations = tools.map((tool, i): GeminiFunctionDeclaration => {
    const fn = tool.function;
    // FunctionDeclaration.description is documented as required.
    const declaration: GeminiFunctionDeclaration = { name: fn.name, description: fn.description ?? "" };
    if (fn.parameters === undefined) return declaration;
    const dropped: string[] = [];
    const parameters = convertGeminiSchema(fn.parameters, dropped);
    if (dropped.length > 0) {
      warn("tools", `tools[${i}].function.parameters: Gemini does not support ${dropped.join(", ")}; dropped`);
    }
    // A zero-argument function is declared without parameters: Gemini rejects an empty OBJECT.
    const emptyObject = (parameters.type === undefined || parameters.type === "OBJECT") && parameters.properties === undefined && parameters.anyOf === undefined;
    if (!emptyObject) declaration.parameters = parameters;
    return declaration;
  });
  return [{ functionDeclarations: declarations }];
}
