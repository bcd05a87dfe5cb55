/**
 * A second gateway process for the two-process test: N concurrent
 * reserve + settle on one key, then prints what it did as one JSON line.
 * argv: schema prefix keyId count amountNano
 */
import { randomUUID } from "node:crypto";
import { createRedisPostgresStore } from "../../../src/stores/redis-postgres-store.js";
import { PENDING_ERROR_CODE } from "../../../src/stores/store.js";
import { makeUsage } from "../store-contract.js";
import { POSTGRES_URL, REDIS_URL } from "../shared-store-env.js";

const [schema, prefix, keyId, count, amount] = process.argv.slice(2);
const store = createRedisPostgresStore({ redis: REDIS_URL, postgres: { connectionString: POSTGRES_URL, max: 8 }, schema, prefix });
await store.init();
const now = Date.now();
const outcomes = await Promise.all(
  Array.from({ length: Number(count) }, async () => {
    const usage = makeUsage({ id: `gen_${randomUUID()}`, keyId: keyId!, costNano: Number(amount), createdAt: now });
    const held = await store.reserve({ id: usage.id, keyId: keyId!, amountNano: Number(amount), expiresAt: now + 60_000, pending: { ...usage, status: 0, errorCode: PENDING_ERROR_CODE, costNano: 0 } }, now);
    if (!held.ok) return null;
    await store.settle(usage.id, usage);
    return usage.id;
  }),
);
await store.close();
process.stdout.write(`${JSON.stringify({ settled: outcomes.filter((id) => id !== null), refused: outcomes.filter((id) => id === null).length })}\n`);
