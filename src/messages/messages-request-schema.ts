import { z } from "zod";

/**
 * The Anthropic Messages request as POST /messages accepts it
 * (https://docs.anthropic.com/en/api/messages). Known fields are
 * type-checked so a wrong one is a 400 naming its path; everything is
 * `loose` because an Anthropic route receives the original body unchanged
 * (cache_control, citations and beta fields must survive).
 */
const cacheControl = z.object({ type: z.string() }).loose().optional();

const base64Source = z.object({ type: z.literal("base64"), media_type: z.string().min(1), data: z.string().min(1) }).loose();
const urlSource = z.object({ type: z.literal("url"), url: z.string().min(1) }).loose();
const textSource = z.object({ type: z.literal("text"), media_type: z.string().optional(), data: z.string() }).loose();
const otherSource = z.object({ type: z.string() }).loose();

export const textBlockSchema = z.object({ type: z.literal("text"), text: z.string(), cache_control: cacheControl }).loose();
const imageBlock = z.object({ type: z.literal("image"), source: z.union([base64Source, urlSource, otherSource]), cache_control: cacheControl }).loose();
const documentBlock = z
  .object({ type: z.literal("document"), source: z.union([base64Source, urlSource, textSource, otherSource]), title: z.string().nullable().optional(), cache_control: cacheControl })
  .loose();
const toolUseBlock = z.object({ type: z.literal("tool_use"), id: z.string().min(1), name: z.string().min(1), input: z.unknown() }).loose();
const toolResultBlock = z
  .object({
    type: z.literal("tool_result"),
    tool_use_id: z.string().min(1),
    content: z.union([z.string(), z.array(z.object({ type: z.string() }).loose())]).optional(),
    is_error: z.boolean().optional(),
    cache_control: cacheControl,
  })
  .loose();
const thinkingBlock = z.object({ type: z.literal("thinking"), thinking: z.string(), signature: z.string().optional() }).loose();
const redactedThinkingBlock = z.object({ type: z.literal("redacted_thinking"), data: z.string() }).loose();

/** Types this module translates; any other block type (server tools, search results...) only an Anthropic route can take. */
export const KNOWN_BLOCK_TYPES = new Set(["text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking"]);
const otherBlock = z.object({ type: z.string().refine((t) => !KNOWN_BLOCK_TYPES.has(t), "unexpected block") }).loose();

export const contentBlockSchema = z.union([textBlockSchema, imageBlock, documentBlock, toolUseBlock, toolResultBlock, thinkingBlock, redactedThinkingBlock, otherBlock]);

const messageSchema = z
  .object({
    role: z.enum(["user", "assistant"]),
    content: z.union([z.string(), z.array(contentBlockSchema)]),
  })
  .loose();

/** A client tool has an input_schema; server tools (web_search_..., bash_...) have a versioned type instead. */
const toolSchema = z
  .object({
    name: z.string().min(1),
    type: z.string().optional(),
    description: z.string().optional(),
    input_schema: z.record(z.string(), z.unknown()).optional(),
    cache_control: cacheControl,
  })
  .loose();

const toolChoiceSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("auto"), disable_parallel_tool_use: z.boolean().optional() }).loose(),
  z.object({ type: z.literal("any"), disable_parallel_tool_use: z.boolean().optional() }).loose(),
  z.object({ type: z.literal("tool"), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }).loose(),
  z.object({ type: z.literal("none") }).loose(),
]);

const thinkingSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("enabled"), budget_tokens: z.number().int().min(1) }).loose(),
  z.object({ type: z.literal("disabled") }).loose(),
  z.object({ type: z.literal("adaptive") }).loose(),
]);

export const messagesRequestSchema = z
  .object({
    model: z.string().min(1),
    max_tokens: z.number({ error: (i) => (i.input === undefined ? "Field required" : "must be an integer") }).int().positive(),
    messages: z.array(messageSchema),
    system: z.union([z.string(), z.array(textBlockSchema)]).optional(),
    stop_sequences: z.array(z.string()).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
    tools: z.array(toolSchema).optional(),
    tool_choice: toolChoiceSchema.optional(),
    thinking: thinkingSchema.optional(),
    metadata: z.object({ user_id: z.string().nullable().optional() }).loose().optional(),
    stream: z.boolean().optional(),
  })
  .loose();

export type MessagesRequest = z.infer<typeof messagesRequestSchema>;
export type MessagesContentBlock = z.infer<typeof contentBlockSchema>;
export type MessagesTextBlock = z.infer<typeof textBlockSchema>;
