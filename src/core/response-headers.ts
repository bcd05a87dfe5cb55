import { mergeFields } from "./merge-fields.js";
import type { Candidate } from "../routing/plan-candidates.js";

/**
 * Headers of a served answer: upstream rate-limit headers relayed as they
 * came, the key's own x-ratelimit-* (which win on a clash), which provider
 * and model served, and any dropped parameters.
 */
export function responseHeaders(
  requestId: string,
  upstream: Record<string, string>,
  admission: Record<string, string>,
  candidate: Candidate,
  dropped: string[],
): Record<string, string> {
  const h: Record<string, string> = mergeFields(upstream, admission);
  h["x-request-id"] = requestId;
  h["x-modelmux-provider"] = candidate.route.provider;
  h["x-modelmux-model"] = candidate.model.id;
  if (dropped.length > 0) h["x-modelmux-dropped-params"] = dropped.join(",");
  return h;
}
