import type { ChatRequest } from "../../schemas/chat-request-schema.js";
import type { ToolCall } from "../../schemas/chat-response.js";

export interface MockAnswer {
  content: string | null;
  toolCalls: ToolCall[];
  finish: "stop" | "tool_calls" | "length";
}

function lastText(request: ChatRequest): { role: string; text: string } {
  const last = request.messages[request.messages.length - 1]!;
  const content = (last as { content?: unknown }).content;
  if (typeof content === "string") return { role: last.role, text: content };
  if (Array.isArray(content)) {
    const text = content.map((p: { type: string; text?: string }) => (p.type === "text" ? p.text : `[${p.type}]`)).join(" ");
    return { role: last.role, text };
  }
  return { role: last.role, text: "" };
}

/** A value shaped like a JSON schema asks, so structured-output clients get valid JSON. */
function sampleFor(schema: Record<string, unknown> | undefined, text: string, depth = 0): unknown {
  if (!schema || depth > 6) return text;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(props)) out[k] = sampleFor(v, text, depth + 1);
      return out;
    }
    case "array":
      return [sampleFor(schema.items as Record<string, unknown> | undefined, text, depth + 1)];
    case "integer":
    case "number":
      return 42;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return text;
  }
}

/**
 * The mock model's deterministic answer: after a tool result it reports the
 * result; with tools (and tool_choice not "none") it calls one; with a JSON
 * response_format it answers JSON; otherwise it echoes the last message.
 */
export function buildMockAnswer(request: ChatRequest, callId: (i: number) => string): MockAnswer {
  const { role, text } = lastText(request);
  const tools = request.tools ?? [];
  const choice = request.tool_choice;
  if (role === "tool") return { content: `Tool result: ${text}`, toolCalls: [], finish: "stop" };
  if (tools.length > 0 && choice !== "none") {
    const named = typeof choice === "object" ? choice.function.name : undefined;
    const tool = tools.find((t) => t.function.name === named) ?? tools[0]!;
    const args = sampleFor({ type: "object", ...tool.function.parameters }, text);
    return {
      content: null,
      toolCalls: [{ id: callId(0), type: "function", function: { name: tool.function.name, arguments: JSON.stringify(args) } }],
      finish: "tool_calls",
    };
  }
  const format = request.response_format;
  if (format?.type === "json_schema") return { content: JSON.stringify(sampleFor(format.json_schema.schema, text)), toolCalls: [], finish: "stop" };
  if (format?.type === "json_object") return { content: JSON.stringify({ echo: text }), toolCalls: [], finish: "stop" };
  const limit = request.max_completion_tokens ?? request.max_tokens;
  const words = text.length > 0 ? text.split(/(?<=\s)/) : ["(empty)"];
  if (limit != null && words.length > limit) return { content: words.slice(0, limit).join(""), toolCalls: [], finish: "length" };
  return { content: text.length > 0 ? text : "(empty)", toolCalls: [], finish: "stop" };
}
