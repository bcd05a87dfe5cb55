import type { ChatRequest } from "../../schemas/chat-request-schema.js";
import type { AnthropicTool, AnthropicToolChoice } from "./anthropic-types.js";

type Warn = (param: string, reason: string) => void;

export interface AnthropicToolSettings {
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
}

/** Anthropic requires `input_schema` with `type: "object"`; a tool without parameters takes none. */
const EMPTY_SCHEMA = { type: "object", properties: {} };

/**
 * `tools`, `tool_choice` and `parallel_tool_calls` in Anthropic form
 * (https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use):
 * auto -> auto, none -> none, required -> any, a named function -> tool,
 * and `parallel_tool_calls: false` -> `disable_parallel_tool_use: true`.
 */
export function convertAnthropicTools(request: ChatRequest, warn: Warn): AnthropicToolSettings {
  const tools = request.tools?.map((tool, i): AnthropicTool => {
    const fn = tool.function;
    // Anthropic has no strict flag on plain tools here; say so rather than pretend.
    if (fn.strict === true) warn(`tools[${i}].function.strict`, "strict schema adherence is not enforced by Anthropic");
    const out: AnthropicTool = { name: fn.name, input_schema: fn.parameters ?? EMPTY_SCHEMA };
    if (fn.description !== undefined) out.description = fn.description;
    return out;
  });
  if (!tools || tools.length === 0) {
    if (request.tool_choice === "required") warn("tool_choice", "tool_choice required without tools cannot be honoured");
    return {};
  }
  const choice = convertChoice(request);
  return choice ? { tools, tool_choice: choice } : { tools };
}

function convertChoice(request: ChatRequest): AnthropicToolChoice | undefined {
  const choice = request.tool_choice;
  const noParallel = request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any", ...noParallel };
  if (typeof choice === "object") return { type: "tool", name: choice.function.name, ...noParallel };
  if (choice === "auto" || request.parallel_tool_calls === false) return { type: "auto", ...noParallel };
  return undefined;
}
