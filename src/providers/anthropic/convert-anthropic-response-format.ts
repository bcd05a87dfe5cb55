import type { ChatRequest } from "../../schemas/chat-request-schema.js";
import type { AnthropicTool } from "./anthropic-types.js";

/**
 * `response_format` as a tool whose input is the answer. We use a forced
 * tool rather than Anthropic's native structured outputs (`output_config.format`)
 * because tool use works on every Claude model the gateway may route to,
 * while native structured output is limited to recent models
 * (https://docs.anthropic.com/en/docs/test-and-evaluate/strengthen-guardrails/increase-consistency#specify-the-desired-output-format,
 * https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#json-mode).
 * The tool's input is returned as the JSON text of `message.content` with
 * finish_reason "stop", so callers see an ordinary JSON answer.
 */
export function convertAnthropicResponseFormat(request: ChatRequest): AnthropicTool | undefined {
  const format = request.response_format;
  if (!format || format.type === "text") return undefined;
  const taken = new Set(request.tools?.map((t) => t.function.name));
  if (format.type === "json_object") {
    return {
      name: freeName("json", taken),
      description: "Respond with the answer as a JSON object.",
      // json_object promises only "some JSON object": a permissive schema.
      input_schema: { type: "object", additionalProperties: true },
    };
  }
  const spec = format.json_schema;
  return {
    name: freeName(spec.name, taken),
    description: spec.description ?? "Respond with the answer as JSON matching this schema.",
    input_schema: spec.schema ?? { type: "object", additionalProperties: true },
  };
}

/** The caller's own tools keep their names; the answer tool steps aside. */
function freeName(name: string, taken: Set<string>): string {
  let candidate = name.slice(0, 64);
  for (let i = 2; taken.has(candidate); i++) candidate = `${name.slice(0, 58)}_${i}`;
  return candidate;
}
