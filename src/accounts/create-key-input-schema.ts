import { z } from "zod";

const limitsSchema = z
  .object({
    requestsPerMinute: z.number().int().positive().optional(),
    tokensPerMinute: z.number().int().positive().optional(),
    concurrent: z.number().int().positive().optional(),
  })
  .strict();

/** gateway.keys.create() input, also the POST /admin/keys body (camelCase, or the snake_case spellings). */
export const createKeyInputSchema = z.preprocess(
  (raw) => snakeToCamel(raw),
  z
    .object({
      name: z.string().min(1).max(200).optional(),
      credits: z.number().finite().nonnegative().optional(),
      limits: z.preprocess((raw) => snakeToCamel(raw), limitsSchema).optional(),
      models: z.array(z.string().min(1)).optional(),
      expiresAt: z
        .union([z.date(), z.number().int().nonnegative(), z.string().refine((v) => !Number.isNaN(Date.parse(v)) || /^\d+$/.test(v), "must be an ISO date")])
        .nullable()
        .optional(),
      metadata: z.record(z.string(), z.string()).optional(),
    })
    .strict(),
);

function snakeToCamel(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || raw instanceof Date) return raw;
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
}
