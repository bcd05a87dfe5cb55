import type { ChatCall } from "../providers/provider.js";
import type { Candidate } from "../routing/plan-candidates.js";
import type { ChatRequest } from "../schemas/chat-request-schema.js";
import { applySystemRolePolicy } from "./apply-system-role-policy.js";

/** The request as one route receives it: upstream model name, and the model's system-role policy applied. */
export function toChatCall(request: ChatRequest, candidate: Candidate): ChatCall {
  const messages = applySystemRolePolicy(request.messages, candidate.model.noSystemRole);
  return { request: { ...request, model: candidate.route.model, messages }, model: candidate.model, route: candidate.route };
}
