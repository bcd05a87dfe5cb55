import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisPostgresStore } from "../../src/stores/redis-postgres-store.js";
import { ABANDONED_ERROR_CODE, PENDING_ERROR_CODE, type Store } from "../../src/stores/store.js";
import { dropNamespace, POSTGRES_URL, REDIS_URL, uniqueNamespace } from "./shared-store-env.js";
import { keyWithBalance, runStoreContract } from "./store-contract.js";

const contractNs = uniqueNamespace("contract");
runStoreContract(
  "Redis + PostgreSQL",
  async () => createRedisPostgresStore({ redis: REDIS_URL, postgres: POSTGRES_URL, ...contractNs }),
  async (store) => {
    await store.close();
    await dropNamespace(contractNs);
  },
);

/** Runs a child gateway process under tsx; resolves with its stdout lines. */
function runChild(script: string, args: string[], onLine?: (line: string, kill: () => void) => void): Promise<{ lines: string[]; signal: NodeJS.Signals | null; code: number | null }> {
  const path = fileURLToPath(new URL(`./children/${script}`, import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", path, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let buffer = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout.on("data", (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      onLine?.(line, () => child.kill("SIGKILL"));
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`child ${script} exited ${code}: ${stderr}`));
      else resolve({ lines, signal, code });
    });
  });
}

describe("Redis + PostgreSQL across processes", () => {
  const ns = uniqueNamespace("procs");
  let store: Store;
  beforeAll(async () => {
    store = createRedisPostgresStore({ redis: REDIS_URL, postgres: POSTGRES_URL, ...ns });
    await store.init();
  });
  afterAll(async () => {
    await store.close();
    await dropNamespace(ns);
  });

  it("two processes reserving and settling on one key never overspend", { timeout: 60_000 }, async () => {
    const amount = 1_000;
    const affordable = 311;
    const key = await keyWithBalance(store, affordable * amount + 999);
    const args = (n: number) => [ns.schema, ns.prefix, key.id, String(n), String(amount)];
    const [a, b] = await Promise.all([runChild("reserve-settle-child.ts", args(250)), runChild("reserve-settle-child.ts", args(250))]);
    const results = [a, b].map((r) => JSON.parse(r.lines.at(-1) ?? "{}") as { settled: string[]; refused: number });
    const settled = results.flatMap((r) => r.settled);
    const refused = results.reduce((n, r) => n + r.refused, 0);
    expect(settled.length).toBe(affordable);
    expect(refused).toBe(500 - affordable);
    expect((await store.getKey(key.id))?.balanceNano).toBe(999);
    expect(await store.sumUsage(key.id, 0)).toMatchObject({ requests: affordable, costNano: affordable * amount });
    const records = await Promise.all(settled.map((id) => store.getUsage(id)));
    expect(records.every((r) => r?.status === 200 && r.costNano === amount)).toBe(true);
    expect(await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 999, expiresAt: Date.now() + 1_000 }, Date.now())).toMatchObject({ ok: true });
  });

  it("a process SIGKILLed between reserve and settle leaves an abandoned record and no stuck hold after reconcile", { timeout: 60_000 }, async () => {
    const key = await keyWithBalance(store, 10_000);
    const usageId = `gen_${randomUUID()}`;
    const ttl = 1_500;
    const result = await runChild("crash-child.ts", [ns.schema, ns.prefix, key.id, usageId, "8000", String(ttl)], (line, kill) => {
      if (line.includes('"reserved":true')) kill();
    });
    expect(result.signal).toBe("SIGKILL");
    expect(await store.getUsage(usageId)).toMatchObject({ keyId: key.id, status: 0, errorCode: PENDING_ERROR_CODE });
    // The hold is still there: only 2_000 is free until the reservation expires.
    expect((await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 2_001, expiresAt: Date.now() + 1 }, Date.now())).ok).toBe(false);

    const recovered = Date.now() + ttl;
    expect(await store.reconcile(recovered)).toBeGreaterThanOrEqual(1);
    expect(await store.getUsage(usageId)).toMatchObject({ keyId: key.id, errorCode: ABANDONED_ERROR_CODE });
    expect((await store.getKey(key.id))?.balanceNano).toBe(10_000);
    expect((await store.reserve({ id: `r_${randomUUID()}`, keyId: key.id, amountNano: 10_000, expiresAt: recovered + 1_000 }, recovered)).ok).toBe(true);
  });
});
