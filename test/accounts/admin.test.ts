import { afterEach, describe, expect, it } from "vitest";
import type { Accounts } from "../../src/accounts/accounts.js";
import { createAccounts } from "../../src/accounts/create-accounts.js";
import type { GatewayRequest, JsonResponse } from "../../src/core/gateway-types.js";
import { usageFor } from "./helpers.js";

const ADMIN = "admin-secret-0123456789";
let accounts: Accounts | undefined;
afterEach(async () => accounts?.close());

const call = async (method: string, path: string, body?: unknown, token: string | null = ADMIN) => {
  const request: GatewayRequest = { method, path: `/admin${path}`, headers: token === null ? {} : { authorization: `Bearer ${token}` }, body };
  const res = await accounts!.handleAdmin(request, path);
  if (res.kind !== "json") throw new Error(`expected json, got ${res.kind}`);
  return res as JsonResponse & { body: Record<string, unknown> };
};

describe("admin endpoints", () => {
  it("pass through when no admin key is configured", async () => {
    accounts = createAccounts();
    expect(await accounts.handleAdmin({ method: "GET", path: "/admin/keys", headers: { authorization: `Bearer ${ADMIN}` } }, "/keys")).toEqual({ kind: "pass" });
  });

  it("401 without or with a wrong admin key (an API key is not an admin key)", async () => {
    accounts = createAccounts({ adminKey: ADMIN });
    const { key } = await accounts.keys.create();
    await expect(call("GET", "/keys", undefined, null)).rejects.toMatchObject({ status: 401 });
    await expect(call("GET", "/keys", undefined, "admin-secret-012345678X")).rejects.toMatchObject({ status: 401 });
    await expect(call("GET", "/keys", undefined, key)).rejects.toMatchObject({ status: 401 });
  });

  it("counts wrong admin keys per address like wrong API keys: past the limit a 429, even for the right key, until the window ends", async () => {
    let now = Date.UTC(2025, 0, 1, 0, 0, 0);
    accounts = createAccounts({ adminKey: ADMIN, now: () => now, failedAuthLimit: { max: 3, windowMs: 60_000 } });
    const { key } = await accounts.keys.create();
    const from = (address: string, token: string): GatewayRequest => ({ method: "GET", path: "/admin/keys", headers: { authorization: `Bearer ${token}` }, clientAddress: address });
    const admin = (address: string, token = ADMIN) => accounts!.handleAdmin(from(address, token), "/keys");
    // One count for both kinds of credential: two wrong admin keys and a wrong API key reach the limit of 3.
    await expect(admin("7.7.7.7", "admin-guess-1")).rejects.toMatchObject({ status: 401 });
    await expect(admin("7.7.7.7", "admin-guess-2")).rejects.toMatchObject({ status: 401 });
    await expect(accounts.authenticate({ ...from("7.7.7.7", "mm_wrongwrongwrongwrongwrongwrong1"), path: "/chat/completions" })).rejects.toMatchObject({ status: 401 });
    await expect(admin("7.7.7.7")).rejects.toMatchObject({ status: 429, code: "rate_limit_exceeded", headers: { "retry-after": "60" } });
    await expect(accounts.authenticate({ ...from("7.7.7.7", key), path: "/chat/completions" })).rejects.toMatchObject({ status: 429 });
    // Another address is not affected; after the window the locked-out one gets in again.
    expect(await admin("8.8.8.8")).toMatchObject({ kind: "json", status: 200 });
    now += 60_000;
    expect(await admin("7.7.7.7")).toMatchObject({ kind: "json", status: 200 });
  });

  it("a request with valid credentials does not read the client address while no address is locked out", async () => {
    accounts = createAccounts({ adminKey: ADMIN });
    const { key } = await accounts.keys.create();
    let reads = 0;
    // Behind Express the address is req.ip, computed through the trust-proxy rules on every read.
    const counted = (path: string, token: string): GatewayRequest => ({
      method: "GET",
      path,
      headers: { authorization: `Bearer ${token}` },
      get clientAddress() {
        reads++;
        return "1.1.1.1";
      },
    });
    await accounts.authenticate(counted("/chat/completions", key));
    await accounts.handleAdmin(counted("/admin/keys", ADMIN), "/keys");
    expect(reads).toBe(0);
    await expect(accounts.handleAdmin(counted("/admin/keys", "admin-guess"), "/keys")).rejects.toMatchObject({ status: 401 });
    expect(reads).toBe(1);
  });

  it("create, list, get, credit and revoke keys", async () => {
    accounts = createAccounts({ adminKey: ADMIN });
    const created = await call("POST", "/keys", JSON.stringify({ name: "team-a", credits: 5, limits: { requests_per_minute: 10 }, models: ["mock/*"] }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.key).toMatch(/^mm_/);
    expect(created.body.data).toMatchObject({ name: "team-a", balance: 5, limits: { requestsPerMinute: 10 } });

    const list = await call("GET", "/keys?limit=10");
    expect(list.body).toMatchObject({ object: "list", next_cursor: null });
    expect(JSON.stringify(list.body)).not.toContain(created.body.key as string);

    expect((await call("POST", `/keys/${id}/credits`, { amount: 2.25, reason: "invoice 42" })).body).toEqual({ data: { id, balance: 7.25 } });
    const one = await call("GET", `/keys/${id}`);
    expect(one.body.data).toMatchObject({ id, balance: 7.25 });
    expect(one.body.credits).toEqual([
      expect.objectContaining({ amount: 5, reason: "initial credit" }),
      expect.objectContaining({ amount: 2.25, reason: "invoice 42" }),
    ]);
    const revoked = await call("DELETE", `/keys/${id}`);
    expect((revoked.body.data as { revokedAt: string | null }).revokedAt).not.toBeNull();
    await expect(accounts.authenticate({ method: "GET", path: "/key", headers: { authorization: `Bearer ${created.body.key as string}` } })).rejects.toMatchObject({ status: 401 });
  });

  it("400 for bad input, 404 for unknown keys and paths", async () => {
    accounts = createAccounts({ adminKey: ADMIN });
    const { id } = await accounts.keys.create({ credits: 1 });
    await expect(call("POST", "/keys", "{not json")).rejects.toMatchObject({ status: 400, code: "invalid_json" });
    await expect(call("POST", "/keys", { credits: "lots" })).rejects.toMatchObject({ status: 400, param: "credits" });
    await expect(call("POST", "/keys", { nonsense: 1 })).rejects.toMatchObject({ status: 400 });
    await expect(call("POST", `/keys/${id}/credits`, { reason: "x" })).rejects.toMatchObject({ status: 400, param: "amount" });
    await expect(call("POST", `/keys/${id}/credits`, { amount: 0 })).rejects.toMatchObject({ status: 400, param: "amount" });
    await expect(call("POST", "/keys/key_nope/credits", { amount: 1 })).rejects.toMatchObject({ status: 404 });
    await expect(call("GET", "/keys/key_nope")).rejects.toMatchObject({ status: 404 });
    await expect(call("DELETE", "/keys/key_nope")).rejects.toMatchObject({ status: 404 });
    await expect(call("GET", "/keys?limit=abc")).rejects.toMatchObject({ status: 400 });
    await expect(call("GET", "/usage?limit=0")).rejects.toMatchObject({ status: 400, param: "limit" });
    await expect(call("GET", "/usage?from=yesterday")).rejects.toMatchObject({ status: 400, param: "from" });
    await expect(call("GET", "/usage?cursor=zzz")).rejects.toMatchObject({ status: 400, param: "cursor" });
    await expect(call("GET", "/usage?color=red")).rejects.toMatchObject({ status: 400 });
    await expect(call("GET", "/nothing")).rejects.toMatchObject({ status: 404 });
    await expect(call("PUT", "/keys")).rejects.toMatchObject({ status: 404 });
  });

  it("GET /admin/usage filters by key, model and time, and pages with a cursor", async () => {
    accounts = createAccounts({ adminKey: ADMIN });
    const a = await accounts.keys.create();
    const b = await accounts.keys.create();
    const t0 = Date.UTC(2025, 4, 1);
    for (let i = 0; i < 7; i++) {
      await accounts.finish(null, usageFor(i % 2 ? a.id : b.id, { model: i < 3 ? "mock/echo" : "openai/gpt-4o-mini", requestedModel: i < 3 ? "mock/echo" : "openai/gpt-4o-mini", createdAt: t0 + i * 1000, costNano: 1_500_000 }));
    }
    const page1 = await call("GET", `/usage?key_id=${b.id}&limit=2`);
    const data1 = page1.body.data as Array<Record<string, unknown>>;
    expect(data1.length).toBe(2);
    expect(data1[0]).toMatchObject({ key_id: b.id, usage: expect.objectContaining({ cost: 0.0015 }) });
    const page2 = await call("GET", `/usage?key_id=${b.id}&limit=2&cursor=${page1.body.next_cursor as string}`);
    expect(page2.body.next_cursor).toBeNull();
    expect((page2.body.data as unknown[]).length).toBe(2);
    const byModel = await call("GET", `/usage?model=mock/echo&from=${new Date(t0 + 1000).toISOString()}&to=${t0 + 3000}`);
    expect((byModel.body.data as Array<{ created_at: string }>).map((r) => r.created_at)).toEqual([new Date(t0 + 2000).toISOString(), new Date(t0 + 1000).toISOString()]);
  });
});
