import { z } from "zod";
import { parseBody } from "../schemas/parse-body.js";
import type { UsageFilter } from "../stores/store.js";

const time = z
  .string()
  .refine((v) => /^\d+$/.test(v) || !Number.isNaN(Date.parse(v)), "must be an ISO date or epoch milliseconds")
  .transform((v) => (/^\d+$/.test(v) ? Number(v) : Date.parse(v)));

const usageQuerySchema = z
  .object({
    key_id: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    from: time.optional(),
    to: time.optional(),
    limit: z
      .string()
      .regex(/^\d+$/, "must be a whole number")
      .transform(Number)
      .refine((n) => n >= 1 && n <= 1000, "must be between 1 and 1000")
      .optional(),
    cursor: z.string().min(1).optional(),
  })
  .strict();

/** GET /admin/usage query → store filter; a bad value is a 400 naming it. `to` is exclusive. */
export function parseUsageQuery(query: URLSearchParams): UsageFilter {
  const q = parseBody(usageQuerySchema, Object.fromEntries(query));
  return { keyId: q.key_id, model: q.model, from: q.from, to: q.to, limit: q.limit, cursor: q.cursor };
}
