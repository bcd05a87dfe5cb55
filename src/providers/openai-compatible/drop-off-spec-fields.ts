const SERVICE_TIERS = new Set(["auto", "default", "flex", "scale", "priority"]);

/**
 * Vendor values that break the OpenAI schema our callers validate against:
 * Alibaba's `system_fingerprint: null`, Groq's `service_tier: "on_demand"`.
 * They carry nothing a caller can use, so they are removed in place.
 */
export function dropOffSpecFields(body: { system_fingerprint?: unknown; service_tier?: unknown }): void {
  if ("system_fingerprint" in body && typeof body.system_fingerprint !== "string") delete body.system_fingerprint;
  if ("service_tier" in body && body.service_tier !== null && !SERVICE_TIERS.has(body.service_tier as string)) delete body.service_tier;
}
