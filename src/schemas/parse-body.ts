import type { z } from "zod";
import { invalidRequest } from "../errors/errors.js";
import type { GatewayError } from "../errors/gateway-error.js";

/** Formats a zod path the way OpenAI reports `param`: `messages[0].content`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Picks the most useful zod issue: for a failed union, the deepest branch issue. */
function describeIssue(issue: z.core.$ZodIssue): { path: ReadonlyArray<PropertyKey>; message: string } {
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const candidates = issue.errors.map((branch) => branch[0]).filter((i): i is z.core.$ZodIssue => i !== undefined);
    const deepest = candidates.sort((a, b) => b.path.length - a.path.length)[0];
    if (deepest) {
      const inner = describeIssue(deepest);
      return { path: [...issue.path, ...inner.path], message: inner.message };
    }
  }
  if (issue.code === "invalid_union" && "discriminator" in issue && issue.discriminator && issue.path.at(-1) !== issue.discriminator) {
    return { path: [...issue.path, issue.discriminator], message: issue.message };
  }
  return { path: issue.path, message: issue.message };
}

/** Validates a JSON body against a schema; the first problem becomes a 400 naming its parameter. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw invalidRequest("The request body must be a JSON object", null);
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw issueToError(result.error.issues[0]);
}

function issueToError(issue: z.core.$ZodIssue | undefined): GatewayError {
  if (!issue) return invalidRequest("Invalid request body");
  const { path, message } = describeIssue(issue);
  const param = formatPath(path);
  return invalidRequest(param ? `Invalid parameter '${param}': ${message}` : message, param || null);
}
