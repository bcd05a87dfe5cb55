/**
 * A gateway process that reserves, writes its pending record, says so, and
 * then hangs "mid-request" until the test SIGKILLs it.
 * argv: schema prefix keyId usageId amountNano ttlMs
 */
import { createRedisPostgresStore } from "../../../src/stores/redis-postgres-store.js";
import { PENDING_ERROR_CODE } from "../../../src/stores/store.js";
import { makeUsage } from "../store-contract.js";
import { POSTGRES_URL, REDIS_URL } from "../shared-store-env.js";

const [schema, prefix, keyId, usageId, amount, ttl] = process.argv.slice(2);
const store = createRedisPostgresStore({ redis: REDIS_URL, postgres: POSTGRES_URL, schema, prefix });
await store.init();
const now = Date.now();
const pending = makeUsage({ id: usageId!, keyId: keyId!, status: 0, errorCode: PENDING_ERROR_CODE, costNano: 0, createdAt: now });
const held = await store.reserve({ id: usageId!, keyId: keyId!, amountNano: Number(amount), expiresAt: now + Number(ttl), pending }, now);
process.stdout.write(`${JSON.stringify({ reserved: held.ok })}\n`);
setInterval(() => {}, 1_000);
