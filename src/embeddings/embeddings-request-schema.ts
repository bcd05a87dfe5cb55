import { z } from "zod";

/**
 * The OpenAI embeddings request (https://platform.openai.com/docs/api-reference/embeddings/create):
 * `input` as a string, strings, one token array or token arrays. `models`
 * with `route: "fallback"` works as on chat. Extra fields are kept for
 * OpenAI-compatible upstreams.
 */
const tokens = z.array(z.number().int().nonnegative()).min(1, "a token array must not be empty");

export const embeddingsRequestSchema = z
  .object({
    model: z.string().min(1).optional(),
    models: z.array(z.string().min(1)).min(1).optional(),
    route: z.literal("fallback").optional(),
    input: z.union([
      z.string(),
      z.array(z.string()).min(1, "input must not be an empty array").max(2048, "input may hold at most 2048 items"),
      tokens,
      z.array(tokens).min(1, "input must not be an empty array").max(2048, "input may hold at most 2048 items"),
    ]),
    dimensions: z.number().int().positive().optional(),
    encoding_format: z.enum(["float", "base64"]).optional(),
    user: z.string().optional(),
  })
  .loose()
  .superRefine((req, ctx) => {
    if (req.model === undefined && req.models === undefined) ctx.addIssue({ code: "custom", path: ["model"], message: "model is required (or models, a fallback list)" });
  });

export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;
