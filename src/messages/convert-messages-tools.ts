import type { MessagesRequest } from "./messages-request-schema.js";

/**
 * Anthropic `tools` and `tool_choice` in the chat format
 * (https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use):
 * auto -> "auto", any -> "required", tool -> that function, none -> "none";
 * `disable_parallel_tool_use` -> `parallel_tool_calls: false`. Server tools
 * (a versioned `type`, no input_schema) run at Anthropic only.
 */
export function convertMessagesTools(req: MessagesRequest, nativeOnly: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (req.tools) {
    const tools: unknown[] = [];
    req.tools.forEach((tool, i) => {
      const client = tool.input_schema !== undefined && (tool.type === undefined || tool.type === "custom");
      if (!client) return void nativeOnly.push(`tools[${i}]`);
      tools.push({ type: "function", function: { name: tool.name, ...(tool.description !== undefined ? { description: tool.description } : {}), parameters: tool.input_schema } });
    });
    if (tools.length > 0) out.tools = tools;
  }
  const choice = req.tool_choice;
  if (choice) {
    if (choice.type === "auto") out.tool_choice = "auto";
    else if (choice.type === "any") out.tool_choice = "required";
    else if (choice.type === "none") out.tool_choice = "none";
    else out.tool_choice = { type: "function", function: { name: choice.name } };
    if ("disable_parallel_tool_use" in choice && choice.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
  }
  return out;
}
