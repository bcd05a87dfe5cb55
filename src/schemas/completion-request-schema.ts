import { z } from "zod";
import { providerPreferencesSchema } from "./chat-request-schema.js";

/** The legacy /completions request. */
export const completionRequestSchema = z
  .object({
    model: z.string().min(1).optional(),
    models: z.array(z.string().min(1)).min(1).optional(),
    route: z.literal("fallback").optional(),
    prompt: z.union([z.string(), z.array(z.string()).min(1, "prompt must not be an empty array")]),
    max_tokens: z.number().int().positive().nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    n: z.number().int().min(1).max(128).nullable().optional(),
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).loose().nullable().optional(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullable().optional(),
    presence_penalty: z.number().min(-2).max(2).nullable().optional(),
    frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
    seed: z.number().int().nullable().optional(),
    user: z.string().optional(),
    provider: providerPreferencesSchema.optional(),
  })
  .loose()
  .superRefine((req, ctx) => {
    if (req.model === undefined && req.models === undefined) {
      ctx.addIssue({ code: "custom", path: ["model"], message: "model is required (or models, a fallback list)" });
    }
  });

export type CompletionRequest = z.infer<typeof completionRequestSchema>;
