import { z } from "zod";
import type { GatewayRequest, GatewayResponse } from "../core/gateway-types.js";
import { invalidRequest, notFound } from "../errors/errors.js";
import type { GatewayError } from "../errors/gateway-error.js";
import { nanoToUsd } from "../accounting/parse-usd.js";
import type { CreditRecord } from "../stores/store.js";
import { parseBody } from "../schemas/parse-body.js";
import type { KeyManager } from "./accounts.js";
import type { AccountsContext } from "./accounts-options.js";
import type { FailedAuthGuard } from "./create-failed-auth-guard.js";
import { formatUsageRecord } from "./format-usage-record.js";
import { hashApiKey } from "./hash-api-key.js";
import { hashesEqual } from "./hashes-equal.js";
import { parseUsageQuery } from "./parse-usage-query.js";
import { readApiToken } from "./read-api-token.js";
import { readJsonBody } from "./read-json-body.js";

const creditBodySchema = z.object({ amount: z.number().finite(), reason: z.string().max(500).optional() }).strict();
const json = (status: number, body: unknown): GatewayResponse => ({ kind: "json", status, headers: {}, body });

/**
 * /admin/keys, /admin/keys/{id}, /admin/keys/{id}/credits, /admin/usage,
 * behind `Authorization: Bearer <adminKey>`; wrong admin keys count in the
 * same per-address failure limit as API keys. Errors are thrown as
 * GatewayErrors; the core maps them to the wire.
 */
export function createAdminHandler(ctx: AccountsContext, keys: KeyManager, adminKey: string | undefined, failedAuth: FailedAuthGuard) {
  const adminHash = adminKey === undefined ? undefined : hashApiKey(adminKey);

  return async (request: GatewayRequest, subpath: string): Promise<GatewayResponse> => {
    if (adminHash === undefined) return { kind: "pass" };
    // A wrong admin key counts against the address like a wrong API key: no guessing it at full speed.
    failedAuth.check(request);
    const token = readApiToken(request);
    if (token === null || !hashesEqual(hashApiKey(token), adminHash)) return failedAuth.refuse(request, "Missing or invalid admin key.");

    const url = new URL(subpath.includes("?") ? subpath : `${subpath}${request.path.includes("?") ? request.path.slice(request.path.indexOf("?")) : ""}`, "http://admin.invalid");
    const parts = url.pathname.replace(/^\/+|\/+$/g, "").split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] === "admin") parts.shift();
    const method = request.method.toUpperCase();
    const [resource, id, sub, ...rest] = parts;

    if (resource === "keys" && id === undefined) {
      if (method === "GET") {
        const limit = url.searchParams.get("limit");
        if (limit !== null && !/^\d+$/.test(limit)) throw invalidRequest("Invalid parameter 'limit': must be a whole number", "limit");
        const page = await keys.list({ limit: limit === null ? undefined : Number(limit), cursor: url.searchParams.get("cursor") ?? undefined });
        return json(200, { object: "list", data: page.keys, next_cursor: page.nextCursor });
      }
      if (method === "POST") {
        const created = await keys.create(readJsonBody(request.body) as never);
        return json(201, { key: created.key, id: created.id, data: created.record });
      }
      throw methodNotAllowed(method);
    }
    if (resource === "keys" && id !== undefined && sub === undefined) {
      if (method === "GET") {
        const key = await keys.get(id);
        if (!key) throw notFound(`No API key with id '${id}'`, "key_not_found", "id");
        return json(200, { data: key, credits: (await ctx.store.listCredits(id)).map(toCreditView) });
      }
      if (method === "DELETE") return json(200, { data: await keys.revoke(id) });
      throw methodNotAllowed(method);
    }
    if (resource === "keys" && id !== undefined && sub === "credits" && rest.length === 0) {
      if (method === "GET") {
        if (!(await keys.get(id))) throw notFound(`No API key with id '${id}'`, "key_not_found", "id");
        return json(200, { object: "list", data: (await ctx.store.listCredits(id)).map(toCreditView) });
      }
      if (method !== "POST") throw methodNotAllowed(method);
      const body = parseBody(creditBodySchema, readJsonBody(request.body));
      const result = await keys.credit(id, body.amount, body.reason ?? "admin credit");
      return json(200, { data: { id, balance: result.balance } });
    }
    if (resource === "usage" && id === undefined) {
      if (method !== "GET") throw methodNotAllowed(method);
      const page = await ctx.store.listUsage(parseUsageQuery(url.searchParams));
      return json(200, { object: "list", data: page.records.map(formatUsageRecord), next_cursor: page.nextCursor });
    }
    throw notFound(`Unknown admin endpoint: ${method} /admin/${parts.join("/")}`);
  };
}

function toCreditView(c: CreditRecord) {
  return { id: c.id, amount: nanoToUsd(c.amountNano), reason: c.reason, created_at: new Date(c.createdAt).toISOString() };
}

/** 404 rather than 405: the wire status table has no 405. */
function methodNotAllowed(method: string): GatewayError {
  return notFound(`No ${method} handler for this admin endpoint`);
}
