import { z } from "zod";

/**
 * The OpenAI Chat Completions request, as the gateway accepts it. Unknown
 * top-level fields are kept (`loose`) so provider-specific extras pass
 * through to OpenAI-compatible upstreams; every known field is type-checked
 * so a wrong type is a 400 naming its path.
 */
const textPart = z.object({ type: z.literal("text"), text: z.string() }).loose();
const imagePart = z
  .object({
    type: z.literal("image_url"),
    image_url: z.object({ url: z.string().min(1), detail: z.enum(["auto", "low", "high"]).optional() }).loose(),
  })
  .loose();
const audioPart = z
  .object({
    type: z.literal("input_audio"),
    input_audio: z.object({ data: z.string().min(1), format: z.string().min(1) }).loose(),
  })
  .loose();
const filePart = z
  .object({
    type: z.literal("file"),
    file: z
      .object({ filename: z.string().optional(), file_data: z.string().optional(), file_id: z.string().optional() })
      .loose()
      .refine((f) => f.file_data !== undefined || f.file_id !== undefined, "file needs file_data or file_id"),
  })
  .loose();
const refusalPart = z.object({ type: z.literal("refusal"), refusal: z.string() }).loose();

export const contentPartSchema = z.discriminatedUnion("type", [textPart, imagePart, audioPart, filePart, refusalPart]);

const toolCallSchema = z
  .object({
    id: z.string().min(1),
    type: z.literal("function").default("function"),
    function: z.object({ name: z.string().min(1), arguments: z.string() }).loose(),
  })
  .loose();

/** Reasoning blocks sent back in a multi-turn conversation (signatures kept). */
const reasoningDetailSchema = z.object({ type: z.string() }).loose();

const systemMessage = z
  .object({ role: z.literal("system"), content: z.union([z.string(), z.array(textPart)]), name: z.string().optional() })
  .loose();
const developerMessage = z
  .object({ role: z.literal("developer"), content: z.union([z.string(), z.array(textPart)]), name: z.string().optional() })
  .loose();
const userMessage = z
  .object({ role: z.literal("user"), content: z.union([z.string(), z.array(contentPartSchema)]), name: z.string().optional() })
  .loose();
const assistantMessage = z
  .object({
    role: z.literal("assistant"),
    content: z.union([z.string(), z.array(z.union([textPart, refusalPart])), z.null()]).optional(),
    name: z.string().optional(),
    tool_calls: z.array(toolCallSchema).optional(),
    refusal: z.string().nullable().optional(),
    reasoning: z.string().nullable().optional(),
    reasoning_details: z.array(reasoningDetailSchema).optional(),
  })
  .loose();
const toolMessage = z
  .object({
    role: z.literal("tool"),
    content: z.union([z.string(), z.array(contentPartSchema)]),
    tool_call_id: z.string().min(1),
  })
  .loose();

export const chatMessageSchema = z.discriminatedUnion("role", [
  systemMessage,
  developerMessage,
  userMessage,
  assistantMessage,
  toolMessage,
]);

export const toolSchema = z
  .object({
    type: z.literal("function"),
    function: z
      .object({
        name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "function.name must be 1-64 letters, digits, _ or -"),
        description: z.string().optional(),
        parameters: z.record(z.string(), z.unknown()).optional(),
        strict: z.boolean().nullable().optional(),
      })
      .loose(),
  })
  .loose();

export const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: z.string().min(1) }) }).loose(),
]);

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }).loose(),
  z.object({ type: z.literal("json_object") }).loose(),
  z
    .object({
      type: z.literal("json_schema"),
      json_schema: z
        .object({
          name: z.string().min(1),
          description: z.string().optional(),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullable().optional(),
        })
        .loose(),
    })
    .loose(),
]);

export const reasoningEffortSchema = z.enum(["none", "minimal", "low", "medium", "high", "xhigh"]);

export const providerPreferencesSchema = z
  .object({
    order: z.array(z.string()).optional(),
    only: z.array(z.string()).optional(),
    ignore: z.array(z.string()).optional(),
    allow_fallbacks: z.boolean().optional(),
    sort: z.enum(["price", "latency", "throughput"]).optional(),
    require_parameters: z.boolean().optional(),
    max_price: z
      .object({ prompt: z.union([z.number(), z.string()]).optional(), completion: z.union([z.number(), z.string()]).optional() })
      .loose()
      .optional(),
  })
  .loose();

const stopSchema = z.union([z.string(), z.array(z.string()).max(4, "stop may hold at most 4 sequences")]).nullable();

export const chatRequestSchema = z
  .object({
    model: z.string().min(1).optional(),
    models: z.array(z.string().min(1)).min(1).optional(),
    route: z.literal("fallback").optional(),
    messages: z.array(chatMessageSchema).min(1, "messages must hold at least one message"),
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).loose().nullable().optional(),
    max_tokens: z.number().int().positive().nullable().optional(),
    max_completion_tokens: z.number().int().positive().nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    n: z.number().int().min(1).max(128).nullable().optional(),
    stop: stopSchema.optional(),
    presence_penalty: z.number().min(-2).max(2).nullable().optional(),
    frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
    logit_bias: z.record(z.string(), z.number().min(-100).max(100)).nullable().optional(),
    logprobs: z.boolean().nullable().optional(),
    top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
    tools: z.array(toolSchema).optional(),
    tool_choice: toolChoiceSchema.optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: responseFormatSchema.optional(),
    seed: z.number().int().nullable().optional(),
    user: z.string().optional(),
    reasoning_effort: reasoningEffortSchema.nullable().optional(),
    reasoning: z
      .object({
        effort: reasoningEffortSchema.optional(),
        max_tokens: z.number().int().positive().optional(),
        exclude: z.boolean().optional(),
        enabled: z.boolean().optional(),
      })
      .loose()
      .optional(),
    provider: providerPreferencesSchema.optional(),
    metadata: z.record(z.string(), z.string()).optional(),
  })
  .loose()
  .superRefine((req, ctx) => {
    if (req.model === undefined && req.models === undefined) {
      ctx.addIssue({ code: "custom", path: ["model"], message: "model is required (or models, a fallback list)" });
    }
    if (req.top_logprobs != null && req.logprobs !== true) {
      ctx.addIssue({ code: "custom", path: ["top_logprobs"], message: "top_logprobs requires logprobs: true" });
    }
    const choice = req.tool_choice;
    if (choice !== undefined && typeof choice === "object" && !req.tools?.some((t) => t.function.name === choice.function.name)) {
      ctx.addIssue({ code: "custom", path: ["tool_choice"], message: "tool_choice names a function that is not in tools" });
    }
    if (req.stream_options != null && req.stream !== true) {
      ctx.addIssue({ code: "custom", path: ["stream_options"], message: "stream_options is only allowed when stream is true" });
    }
    const names = new Set<string>();
    req.tools?.forEach((tool, i) => {
      if (names.has(tool.function.name)) {
        ctx.addIssue({ code: "custom", path: ["tools", i, "function", "name"], message: `duplicate tool name "${tool.function.name}"` });
      }
      names.add(tool.function.name);
    });
  });

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type ContentPart = z.infer<typeof contentPartSchema>;
export type ChatTool = z.infer<typeof toolSchema>;
export type ToolChoice = z.infer<typeof toolChoiceSchema>;
export type ResponseFormat = z.infer<typeof responseFormatSchema>;
export type ProviderPreferences = z.infer<typeof providerPreferencesSchema>;
