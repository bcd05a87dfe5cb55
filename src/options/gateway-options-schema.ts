import { z } from "zod";

const priceString = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => /^\d+(\.\d{1,12})?$/.test(v), "must be a non-negative decimal USD amount per 1M tokens, e.g. \"0.15\"");

const timeoutsSchema = z
  .object({
    /** TCP/TLS connect. */
    connectMs: z.number().int().positive().optional(),
    /** From sending the request to the response headers (and, for streams, the first event). */
    firstByteMs: z.number().int().positive().optional(),
    /** A non-streamed answer, whose headers come only with the whole body (default 10 min). */
    responseMs: z.number().int().positive().optional(),
    /** Longest silence between two stream chunks. */
    idleMs: z.number().int().positive().optional(),
    /** Whole request, across all attempts. 0 disables it: a healthy stream is never cut. */
    totalMs: z.number().int().nonnegative().optional(),
  })
  .strict();

const commonProvider = {
  apiKey: z.string().optional(),
  baseURL: z.string().url().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  timeouts: timeoutsSchema.optional(),
};

export const providerOptionsSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("openai"),
      ...commonProvider,
      /** Whether the upstream serves the legacy /completions endpoint itself. */
      legacyCompletions: z.boolean().optional(),
    })
    .strict(),
  z.object({ type: z.literal("anthropic"), ...commonProvider, version: z.string().optional() }).strict(),
  z
    .object({
      type: z.literal("google"),
      ...commonProvider,
      /** Let the gateway fetch https image/file URLs for Gemini (never private addresses). */
      fetchUrls: z.boolean().optional(),
    })
    .strict(),
  z.object({ type: z.literal("mock"), latencyMs: z.number().int().nonnegative().optional(), chunkDelayMs: z.number().int().nonnegative().optional() }).strict(),
]);

export const routeOptionsSchema = z
  .object({
    provider: z.string().min(1),
    model: z.string().min(1),
    weight: z.number().positive().optional(),
    priority: z.number().int().optional(),
  })
  .strict();

export const modelOptionsSchema = z
  .object({
    id: z.string().regex(/^[^/\s]+\/[^\s]+$/, "must be a canonical id 'provider/model-name'"),
    name: z.string().optional(),
    description: z.string().optional(),
    created: z.number().int().optional(),
    context_length: z.number().int().positive().optional(),
    max_output_tokens: z.number().int().positive().optional(),
    pricing: z
      .object({
        prompt: priceString,
        completion: priceString,
        input_cache_read: priceString.optional(),
        input_cache_write: priceString.optional(),
        request: priceString.optional(),
        image: priceString.optional(),
      })
      .strict()
      .optional(),
    modalities: z
      .object({
        input: z.array(z.enum(["text", "image", "audio", "file", "video"])).optional(),
        output: z.array(z.enum(["text", "image", "audio", "embeddings"])).optional(),
      })
      .strict()
      .optional(),
    routes: z.array(routeOptionsSchema).min(1, "a model needs at least one route"),
    /** The model has no system role: system/developer messages become a leading user message. */
    noSystemRole: z.boolean().optional(),
    /** The upstream wants max_completion_tokens instead of max_tokens (o-series and newer). Guessed from the name when absent. */
    maxCompletionTokens: z.boolean().optional(),
    tokenizer: z.string().optional(),
    supported_parameters: z.array(z.string()).optional(),
    is_free: z.boolean().optional(),
    expiration_date: z.string().nullable().optional(),
    kind: z.enum(["chat", "embedding"]).optional(),
    /** How to pick among routes of one priority tier. */
    routing: z.enum(["weighted", "latency"]).optional(),
    /** Start the next route if the first has not produced a token after this long ("p95": its measured p95 time to first token, once 20 answers are measured). */
    hedgeAfterMs: z.union([z.number().int().positive(), z.literal("p95")]).optional(),
  })
  .strict();

const fn = <T extends (...args: never[]) => unknown>() => z.custom<T>((v) => typeof v === "function", "must be a function");

export const gatewayOptionsSchema = z
  .object({
    providers: z.record(z.string().regex(/^[a-zA-Z0-9_-]+$/, "provider names are letters, digits, _ or -"), providerOptionsSchema),
    models: z.array(modelOptionsSchema).optional(),
    /** Include the built-in mock models (mock/echo, ...) when a mock provider is configured. Default true. */
    defaultModels: z.boolean().optional(),
    /** A SQLite file path, ":memory:", or a Store object. Default: an in-memory store. */
    store: z.union([z.string(), z.custom<object>((v) => typeof v === "object" && v !== null, "must be a Store")]).optional(),
    /** Static API keys accepted as-is (hashed at start-up). */
    keys: z.array(z.string().min(8, "static keys must be at least 8 characters")).optional(),
    /** Key for /admin endpoints. Without it the admin endpoints answer 404. */
    adminKey: z.string().min(16, "adminKey must be at least 16 characters").optional(),
    /** Turn off API-key checks (for a host that authenticates in front of the gateway). */
    auth: z.boolean().optional(),
    /** Limits for keys that set none of their own: with them every answer carries x-ratelimit-* headers. */
    defaultKeyLimits: z
      .object({
        requestsPerMinute: z.number().int().positive().optional(),
        tokensPerMinute: z.number().int().positive().optional(),
        concurrent: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    keyPrefix: z.string().regex(/^[a-zA-Z0-9_-]{1,16}$/).optional(),
    /** API keys looked up from the store, kept in this process: how many, and for how long (another process's revocation is seen that late). */
    keyCache: z
      .object({
        max: z.number().int().positive().optional(),
        ttlMs: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    maxBodyBytes: z.number().int().positive().optional(),
    timeouts: timeoutsSchema.optional(),
    retry: z
      .object({
        maxRetries: z.number().int().nonnegative().optional(),
        baseDelayMs: z.number().int().nonnegative().optional(),
        maxDelayMs: z.number().int().nonnegative().optional(),
        maxRetryAfterMs: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    cooldown: z
      .object({
        failures: z.number().int().positive().optional(),
        windowMs: z.number().int().positive().optional(),
        cooldownMs: z.number().int().positive().optional(),
        /** false: no cooldowns and no store traffic for them. Default true. */
        enabled: z.boolean().optional(),
        /** How long a cooldown read from a shared store is trusted before asking again. Default 1000; 0 asks every request. */
        cacheMs: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    keepAliveIntervalMs: z.number().int().positive().optional(),
    hooks: z.record(z.string(), fn<(...args: never[]) => unknown>()).optional(),
    hookTimeoutMs: z.number().int().positive().optional(),
    /** Injected I/O (tests replace these instead of mocking modules). */
    transport: fn<(...args: never[]) => unknown>().optional(),
    now: fn<() => number>().optional(),
    random: fn<() => number>().optional(),
    generateId: fn<(prefix: string) => string>().optional(),
  })
  .strict()
  .superRefine((opts, ctx) => {
    const providerNames = Object.keys(opts.providers);
    const seen = new Set<string>();
    opts.models?.forEach((model, i) => {
      if (seen.has(model.id)) ctx.addIssue({ code: "custom", path: ["models", i, "id"], message: `duplicate model id "${model.id}"` });
      seen.add(model.id);
      model.routes.forEach((route, j) => {
        if (!providerNames.includes(route.provider)) {
          ctx.addIssue({
            code: "custom",
            path: ["models", i, "routes", j, "provider"],
            message: `unknown provider "${route.provider}" (configured: ${providerNames.join(", ") || "none"})`,
          });
        }
      });
    });
  });

export type GatewayOptionsInput = z.input<typeof gatewayOptionsSchema>;
export type GatewayOptions = z.output<typeof gatewayOptionsSchema>;
export type ProviderOptions = z.output<typeof providerOptionsSchema>;
export type ModelOptions = z.output<typeof modelOptionsSchema>;
export type TimeoutOptions = z.output<typeof timeoutsSchema>;
